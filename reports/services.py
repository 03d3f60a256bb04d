"""Writes to papers: saving a paper and its sections; publishing freezes a revision;
withdrawing hides the paper."""

import hashlib
import logging
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from pcc_portal.publication import held_new_values, pending_publish, pending_publish_new
from pcc_portal.searchable import search_changed
from pcc_portal.sequences import next_number, sequence_move
from pcc_portal.services import record_delete, record_save
from pcc_portal.storage import STORAGE_ERRORS
from plan.models import ReportingPeriod
from reports import rendering
from reports.models import PaperPublishing, Publication, Report, ReportSection
from reports.notifications import paper_returned_notify, paper_submitted_notify
from reports.packs import pack_render_all, packs_enqueue
from reports.permissions import CHANGE_REPORT, DELETE_SECTION, PUBLISH_REPORT
from reports.sections import section_publish_problems
from reports.selectors import next_agenda_order
from scrutiny.models import AgendaItem
from scrutiny.services import agenda_item_add

logger = logging.getLogger(__name__)


Status = Report.Status


class PaperNotStored(ValidationError):
    """The paper rendered but its PDF could not be stored: nothing was published, and trying
    again later may work."""

    message = "The paper's PDF could not be stored, so nothing was published."

    def __init__(self, message: str = message):
        super().__init__(message)


def edit_refusal(*, report: Report, user) -> str | None:
    """Why `user` may not change this paper or its sections now; None if they may. As with
    quarterly updates, a paper waiting for approval is the approver's to change: staff wait
    until it is published or returned to them."""
    if not user.has_perm(CHANGE_REPORT):
        return "Only office staff can change papers."
    if report.status == Status.SUBMITTED and not user.has_perm(PUBLISH_REPORT):
        return (
            "This paper has been submitted for approval, so only an approver can change it "
            "until it is published or returned."
        )
    return None


def _check_editable(report: Report, user) -> None:
    """Refuses the change when `user` may not make it, judged on the paper as saved now."""
    if user is None or report.pk is None:
        return
    saved = Report.objects.only("status").get(pk=report.pk)
    if refusal := edit_refusal(report=saved, user=user):
        raise PermissionDenied(refusal)


@transaction.atomic
def paper_save(
    *, report: Report, user, quarter: tuple[int, int] | None, new_item: bool = False, **options
) -> Report:
    """Saves a paper and the quarter it reports on (`(financial_year, quarter)` or None),
    making the quarter's reporting period if it has none yet; a paper with no place on the
    agenda goes last, and a new one with no "as at" date takes its meeting's (an older one
    reads its meeting's date: `Report.figures_as_at`). With `new_item`, a new paper gets an
    agenda item of its own, last among the meeting's open items. `options` are
    `record_save`'s (reason, expected_version)."""
    _check_editable(report, user)
    if new_item and report.agenda_item_id is None and report.pk is None:
        item = AgendaItem(
            meeting_id=report.panel_meeting_id, title=report.title, kind=AgendaItem.Kind.PAPER
        )
        report.agenda_item = agenda_item_add(item=item, user=user)
        if report.agenda_item.pk is None:  # held for approval with the published meeting
            report.agenda_item = None
    report.period = ReportingPeriod.for_quarter(quarter)
    report.plan = report.plan_for_quarter()
    if report.pk is None and report.as_at is None:
        report.as_at = report.panel_meeting.date
    if report.agenda_order is None:
        report.agenda_order = next_agenda_order(report.panel_meeting_id, exclude=report.pk)
    return record_save(instance=report, user=user, **options)


def section_add(*, section: ReportSection, user, **options) -> ReportSection:
    """Adds a section at the end of its paper."""
    _check_editable(section.report, user)
    section.order = next_number(section.report.sections.all())
    return record_save(instance=section, user=user, **options)


@transaction.atomic
def section_move(*, section: ReportSection, user, up: bool) -> bool:
    """Moves a section one place up or down, keeping the order 1, 2, 3 ... False when it
    is already first (or last)."""
    _check_editable(section.report, user)
    return sequence_move(
        section.report.sections.select_for_update().order_by("order", "pk"),
        section,
        up=up,
        field="order",
        save=lambda item: record_save(instance=item, user=user, reason="Moved"),
    )


@transaction.atomic
def section_remove(*, section: ReportSection, user) -> bool:
    """Removes a section (True), or, while its paper is published, holds the removal for an
    approver (False). The sections after it keep their numbers: the order is what counts."""
    if not user.has_perm(DELETE_SECTION):
        raise PermissionDenied("Only office staff can remove a section.")
    _check_editable(section.report, user)
    return record_delete(instance=section, user=user)


def section_save(*, section: ReportSection, user, **options) -> ReportSection:
    """Saves an edited section (`options` are `record_save`'s)."""
    _check_editable(section.report, user)
    return record_save(instance=section, user=user, **options)


def _transition_refusal(report: Report, user, *, to: str) -> str | None:
    allowed_from = {
        Status.SUBMITTED: (Status.DRAFT, Status.RETURNED),
        Status.RETURNED: (Status.SUBMITTED,),
    }[to]
    needs = CHANGE_REPORT if to == Status.SUBMITTED else PUBLISH_REPORT
    if not user.has_perm(needs):
        return (
            "Only office staff can submit a paper for approval."
            if to == Status.SUBMITTED
            else "Only an approver can return a paper."
        )
    if report.status not in allowed_from:
        return f"This paper is {report.get_status_display().lower()}, so that cannot be done now."
    return None


def allowed_actions(*, report: Report, user) -> dict[str, bool]:
    """What the user may do with this paper now, for its page to offer."""
    return {
        "edit": edit_refusal(report=report, user=user) is None,
        "submit": _transition_refusal(report, user, to=Status.SUBMITTED) is None,
        "return": _transition_refusal(report, user, to=Status.RETURNED) is None,
        "publish": user.has_perm(PUBLISH_REPORT),
    }


def _transition(*, report: Report, user, to: str, reason: str, expected_version, **fields):
    report = Report.objects.select_for_update().select_related("panel_meeting").get(pk=report.pk)
    if refusal := _transition_refusal(report, user, to=to):
        raise PermissionDenied(refusal)
    report.status = to
    for name, value in fields.items():
        setattr(report, name, value)
    return record_save(
        instance=report, user=user, reason=reason, gate=False,
        expected_version=-1 if expected_version is None else expected_version,
    )  # fmt: skip


@transaction.atomic
def report_submit(*, report: Report, user, expected_version: int) -> Report:
    """Draft or returned -> waiting for approval, by staff; the approvers are emailed. The
    reason it was last returned stays on record in its history."""
    submitted = _transition(
        report=report, user=user, to=Status.SUBMITTED, reason="Submitted for approval",
        expected_version=expected_version, submitted_by=user, submitted_at=timezone.now(),
    )  # fmt: skip
    paper_submitted_notify(report=submitted, user=user)
    return submitted


@transaction.atomic
def report_return(*, report: Report, user, reason: str, expected_version: int) -> Report:
    """Waiting for approval -> returned to staff with a reason (required), by an approver;
    whoever submitted it is emailed the reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the paper is being returned"})
    returned = _transition(
        report=report, user=user, to=Status.RETURNED, reason=f"Returned: {reason.strip()}",
        expected_version=expected_version, returned_by=user, returned_at=timezone.now(),
        return_reason=reason.strip(),
    )  # fmt: skip
    paper_returned_notify(report=returned, user=user)
    return returned


def report_next_revision(report: Report) -> int:
    return next_number(report.publications.all(), "revision")


def publish_problems(report: Report) -> list[str]:
    """Why the paper cannot be published as it stands (empty when it can)."""
    sections = list(report.sections.all())
    problems = [] if sections else ["A paper with no sections cannot be published."]
    if not report.panel_meeting.published:
        problems.append(
            f"{report.panel_meeting} is not published yet: publish the panel meeting first."
        )
    for section in sections:
        problems += [f"{section}: {problem}" for problem in section_publish_problems(section)]
    return problems


def report_publish(*, report: Report, user, render_pack: bool = True) -> Publication:
    """Applies the changes waiting for approval, renders the paper and stores it as the next
    revision; earlier revisions never change.

    The PDF is written to storage only once the database has committed the revision, so a
    publication that fails (or loses a race) leaves no file behind; if writing the file fails,
    the revision is taken back. Then the meeting's agenda reports packs are rendered again
    (unless `render_pack` is false: whoever publishes many papers renders them once after).
    """
    if user is not None and not user.has_perm(PUBLISH_REPORT):
        raise PermissionDenied("Only an approver can publish a paper.")
    with transaction.atomic():
        publication, pdf = _publish_revision(report, user)
        transaction.on_commit(lambda: _store_pdf(publication, pdf))
        # Its paragraphs as published now replace those found before, once committed.
        search_changed.send(sender=Report, instance=publication.report)
        if render_pack:
            packs_enqueue(report.panel_meeting_id)
    stored_now = not transaction.get_connection().in_atomic_block
    if stored_now and not Publication.objects.filter(pk=publication.pk).exists():
        raise PaperNotStored()
    return publication


def _publish_revision(report: Report, user) -> tuple[Publication, bytes]:
    report = Report.objects.select_for_update().get(pk=report.pk)
    pending_publish(root=report, user=user)
    report.refresh_from_db()
    if report.agenda_item_id is None:
        report.agenda_item = _held_item_approve(report, user)
    if problems := publish_problems(report):
        raise ValidationError(problems)
    context = rendering.paper_context(report)
    pdf = rendering.write_pdf(rendering.paper_document(context))
    revision = report_next_revision(report)
    sha256 = hashlib.sha256(pdf).hexdigest()
    publication = Publication.objects.create(
        report=report,
        revision=revision,
        published_by=user,
        html=rendering.paper_fragment(context),
        pdf=f"reports/{report.pk}/revision-{revision}-{sha256[:16]}.pdf",
        sha256=sha256,
        page_count=_page_count(pdf),
        pdf_size=len(pdf),
    )
    report.status = Report.Status.PUBLISHED
    report.return_reason = ""
    record_save(instance=report, user=user, reason=f"Published revision {revision}", gate=False)
    return publication, pdf


def paper_held_item(report: Report) -> str | None:
    """The title of the agenda item waiting to be added for the paper, which publishing the
    paper adds (see `_held_item_approve`); None when there is none."""
    if report.agenda_item_id is not None:
        return None
    meeting = report.panel_meeting
    held = zip(
        held_new_values(meeting, AgendaItem, "kind"),
        held_new_values(meeting, AgendaItem, "title"),
        strict=True,
    )
    return report.title if (AgendaItem.Kind.PAPER, report.title) in held else None


def _held_item_approve(report: Report, user) -> AgendaItem | None:
    """A paper composed for a published meeting asks for an agenda item of its own, which
    waits for an approver with the meeting's other changes; publishing the paper approves
    that item alone, and the paper is filed in it."""
    return pending_publish_new(
        root=report.panel_meeting,
        user=user,
        model=AgendaItem,
        match={"kind": AgendaItem.Kind.PAPER, "title": report.title},
    )


def _store_pdf(publication: Publication, pdf: bytes) -> None:
    storage = publication.pdf.storage
    try:
        saved = storage.save(publication.pdf.name, ContentFile(pdf))
    except STORAGE_ERRORS:
        logger.exception("Could not store the PDF of %s; taking the revision back", publication)
        _take_back(publication)
        return
    if saved != publication.pdf.name:  # the storage chose another name: point at it
        Publication.objects.filter(pk=publication.pk).update(pdf=saved)


@transaction.atomic
def _take_back(publication: Publication) -> None:
    report = publication.report
    # A request that read as published (its PDF stored after the commit) failed after all.
    PaperPublishing.objects.filter(publication=publication).update(
        state=PaperPublishing.State.FAILED, problem=PaperNotStored.message
    )
    publication.delete()
    if not report.publications.exists():
        report.status = Report.Status.DRAFT
        record_save(instance=report, user=None, reason="Publication failed", gate=False)


@transaction.atomic
def report_withdraw(*, report: Report, user) -> Report:
    """Hides a published paper from everyone who cannot edit it; its revisions are kept."""
    if not user.has_perm(PUBLISH_REPORT):
        raise PermissionDenied("Only an approver can withdraw a paper.")
    report.status = Report.Status.WITHDRAWN
    packs_enqueue(report.panel_meeting_id)
    search_changed.send(sender=Report, instance=report)  # no longer found, once committed
    return record_save(instance=report, user=user, reason="Withdrawn", gate=False)


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def publish_pending(*, user=None) -> int:
    """Publishes papers marked published that have no revision yet (fixtures load them so),
    then renders each of their meetings' packs once."""
    pending = Report.objects.published().filter(publications__isnull=True)
    meetings, count = set(), 0
    for report in pending:
        report_publish(report=report, user=user, render_pack=False)
        meetings.add(report.panel_meeting_id)
        count += 1
    for meeting_id in sorted(meetings):
        pack_render_all.enqueue(meeting_id)
    return count


def sections_changed_since_published(report: Report) -> list[tuple[str, str]]:
    """The sections added, changed or removed since the paper's latest revision, as
    (section, what happened), for the approver republishing it."""
    latest = report.latest_publication()
    if latest is None:
        return []
    since = latest.published_at
    changed = [
        (str(section), "added" if section.created_at > since else "changed")
        for section in report.sections.filter(updated_at__gt=since)
    ]
    removed = ReportSection.history.filter(
        report_id=report.pk, history_type="-", history_date__gt=since
    )
    return changed + [(str(record.instance), "removed") for record in removed[:50]]


def papers_file_in_items() -> int:
    """For the demo data: puts each paper on no agenda item into the "paper" item of its
    meeting that has the paper's title, if there is one. Returns how many were filed."""
    filed = 0
    for report in Report.objects.filter(agenda_item=None).order_by("pk"):
        item = (
            AgendaItem.objects.filter(
                meeting_id=report.panel_meeting_id, kind=AgendaItem.Kind.PAPER, title=report.title
            )
            .order_by("position", "pk")
            .first()
        )
        if item is not None:
            filed += Report.objects.filter(pk=report.pk).update(agenda_item=item)
    return filed
