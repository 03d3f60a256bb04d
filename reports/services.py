"""Writes to papers: publishing freezes a revision; withdrawing hides the paper."""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from pcc_portal.publication import pending_publish
from pcc_portal.services import record_save
from reports import rendering
from reports.models import Publication, Report, ReportSection
from reports.sections import params_errors

PUBLISH = "reports.publish_report"
logger = logging.getLogger(__name__)


def publish_problems(report: Report) -> list[str]:
    """Why the paper cannot be published as it stands (empty when it can)."""
    sections = list(report.sections.all())
    problems = [] if sections else ["A paper with no sections cannot be published."]
    if not report.panel_meeting.published:
        problems.append(
            f"{report.panel_meeting} is not published yet: publish the panel meeting first."
        )
    for section in sections:
        for error in params_errors(section):
            problems.append(f"{section}: {error}")
        if problems_of_group := _unpublished_task_group(section):
            problems.append(problems_of_group)
    return problems


def _unpublished_task_group(section) -> str | None:
    from scrutiny.models import TaskGroup

    slug = (
        section.params.get("task_group") if section.kind == section.Kind.RECOMMENDATIONS else None
    )
    group = TaskGroup.objects.filter(slug=slug).first() if slug else None
    if group is None or group.published:
        return None
    return f"{section}: the task group “{group}” is not published yet: publish it first."


def report_publish(*, report: Report, user) -> Publication:
    """Applies the changes waiting for approval, renders the paper and stores it as the next
    revision; earlier revisions never change.

    The PDF is written to storage only once the database has committed the revision, so a
    publication that fails (or loses a race) leaves no file behind; if writing the file fails,
    the revision is taken back.
    """
    if user is not None and not user.has_perm(PUBLISH):
        raise PermissionDenied("Only an approver can publish a paper.")
    with transaction.atomic():
        publication, pdf = _publish_revision(report, user)
        transaction.on_commit(lambda: _store_pdf(publication, pdf))
    stored_now = not transaction.get_connection().in_atomic_block
    if stored_now and not Publication.objects.filter(pk=publication.pk).exists():
        raise ValidationError("The paper's PDF could not be stored, so nothing was published.")
    return publication


def _publish_revision(report: Report, user) -> tuple[Publication, bytes]:
    report = Report.objects.select_for_update().get(pk=report.pk)
    pending_publish(root=report, user=user)
    report.refresh_from_db()
    if problems := publish_problems(report):
        raise ValidationError(problems)
    context = rendering.paper_context(report)
    pdf = rendering.write_pdf(rendering.paper_document(context))
    latest = report.publications.aggregate(latest=Max("revision"))["latest"] or 0
    sha256 = hashlib.sha256(pdf).hexdigest()
    publication = Publication.objects.create(
        report=report,
        revision=latest + 1,
        published_by=user,
        html=rendering.paper_fragment(context),
        pdf=f"reports/{report.pk}/revision-{latest + 1}-{sha256[:16]}.pdf",
        sha256=sha256,
        page_count=_page_count(pdf),
    )
    report.status = Report.Status.PUBLISHED
    record_save(instance=report, user=user, reason=f"Published revision {latest + 1}", gate=False)
    return publication, pdf


def _store_pdf(publication: Publication, pdf: bytes) -> None:
    storage = publication.pdf.storage
    try:
        saved = storage.save(publication.pdf.name, ContentFile(pdf))
    except OSError:
        logger.exception("Could not store the PDF of %s; taking the revision back", publication)
        _take_back(publication)
        return
    if saved != publication.pdf.name:  # the storage chose another name: point at it
        Publication.objects.filter(pk=publication.pk).update(pdf=saved)


@transaction.atomic
def _take_back(publication: Publication) -> None:
    report = publication.report
    publication.delete()
    if not report.publications.exists():
        report.status = Report.Status.DRAFT
        record_save(instance=report, user=None, reason="Publication failed", gate=False)


@transaction.atomic
def report_withdraw(*, report: Report, user) -> Report:
    """Hides a published paper from everyone who cannot edit it; its revisions are kept."""
    if not user.has_perm(PUBLISH):
        raise PermissionDenied("Only an approver can withdraw a paper.")
    report.status = Report.Status.WITHDRAWN
    return record_save(instance=report, user=user, reason="Withdrawn", gate=False)


def _page_count(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def publish_pending(*, user=None) -> int:
    """Publishes papers marked published that have no revision yet (fixtures load them so)."""
    pending = Report.objects.published().filter(publications__isnull=True)
    count = 0
    for report in pending:
        report_publish(report=report, user=user)
        count += 1
    return count


def sections_changed_since_published(report: Report) -> list[tuple[str, str]]:
    """The sections added, changed or removed since the paper's latest revision, as
    (section, what happened), for the approver republishing it."""
    latest = report.publications.order_by("-revision").first()
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
