"""Publishing a paper in the background: the approver asks, a worker renders and stores the
revision, and the paper's page shows how it is going.

The approver's request checks at once what can be checked at once (permission, what stops the
paper being published) and queues a `PaperPublishing`; `paper_publish_run` then does the work
of `report_publish` in one transaction. A render or store that fails is tried again, and after
the last attempt the request is marked failed, with the reason, and the approver is emailed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pcc_portal.background import background_task, failure_reason
from pcc_portal.people import display_name
from pcc_portal.publication import pending_apply
from reports.models import PaperPublishing, Report
from reports.notifications import paper_not_published_notify
from reports.permissions import PUBLISH_REPORT
from reports.services import publish_problems, report_publish

State = PaperPublishing.State
ABANDONED = "It stopped without finishing."


class PaperChanged(ValidationError):
    """The paper changed after it was asked for: that request does not publish it."""


def report_publish_request(*, report: Report, user) -> PaperPublishing:
    """Queues the paper to be published as its next revision, and returns the request (already
    finished when tasks run at once). A second request while one is unfinished returns that
    one. Raises ValidationError with what stops the paper being published."""
    if not user.has_perm(PUBLISH_REPORT):
        raise PermissionDenied("Only an approver can publish a paper.")
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if unfinished := _unfinished(report):
            return unfinished
        if problems := publish_problems(pending_apply(report)):
            raise ValidationError(problems)
        publishing = PaperPublishing.objects.create(
            report=report, requested_by=user, report_version=report.version
        )
        # Queued in the same transaction as the request, so neither is kept without the other
        # (the immediate backend runs it here, and the request then reads back as finished).
        paper_publish_run.enqueue(publishing.pk)
    publishing.refresh_from_db()
    return publishing


def _unfinished(report: Report) -> PaperPublishing | None:
    unfinished = report.publishings.filter(state__in=PaperPublishing.UNFINISHED).first()
    if unfinished and unfinished.abandoned:
        _finish(unfinished, State.FAILED, problem=ABANDONED)
        return None
    return unfinished


def publishing_latest(report: Report) -> PaperPublishing | None:
    """The paper's latest request to publish it, when the page should mention it: while it
    waits or runs, and when it failed (or was abandoned) with nothing published since."""
    latest = report.publishings.select_related("requested_by").first()
    if latest is None or latest.state == State.PUBLISHED:
        return None
    if latest.abandoned:  # shown as what it is: it will not finish
        latest.state, latest.problem = State.FAILED, ABANDONED
    latest.requester = display_name(latest.requested_by) if latest.requested_by else ""
    return latest


def _finish(publishing: PaperPublishing, state: str, **fields) -> int:
    """Finishes the request if nobody has finished it meanwhile; returns 1 if it did."""
    unfinished = PaperPublishing.objects.filter(
        pk=publishing.pk, state__in=PaperPublishing.UNFINISHED
    )
    return unfinished.update(state=state, finished_at=timezone.now(), **fields)


def publishing_failed(publishing_id: int, *, error: BaseException) -> None:
    """After the last attempt: the request is marked failed and its approver told why."""
    publishing = PaperPublishing.objects.select_related("report__panel_meeting").get(
        pk=publishing_id
    )
    if _finish(publishing, State.FAILED, problem=failure_reason(error)):
        publishing.refresh_from_db()
        paper_not_published_notify(publishing=publishing)


@background_task(failed=publishing_failed)
def paper_publish_run(publishing_id: int) -> int | None:
    """Publishes the requested paper; returns the revision published (None if there was
    nothing to do: the request had already finished, or was refused)."""
    waiting = PaperPublishing.objects.filter(pk=publishing_id, state__in=PaperPublishing.UNFINISHED)
    now = timezone.now()
    if not waiting.update(state=State.PUBLISHING, attempts=F("attempts") + 1, started_at=now):
        return None
    publishing = PaperPublishing.objects.select_related(
        "report__panel_meeting", "requested_by"
    ).get(pk=publishing_id)
    try:
        publication = _publish(publishing)
    except (ValidationError, PermissionDenied) as error:
        # The paper changed after it was asked for (withdrawn, returned, edited, a section
        # emptied, the meeting taken back) or the approver may no longer publish: trying
        # again would give the same answer.
        reason = " ".join(getattr(error, "messages", [str(error)]))
        if _finish(publishing, State.FAILED, problem=reason):
            publishing.refresh_from_db()
            paper_not_published_notify(publishing=publishing)
        return None
    return publication.revision if publication else None


@transaction.atomic
def _publish(publishing: PaperPublishing):
    """The revision and the request's end in one transaction: a retry after it committed finds
    the request finished, and a revision taken back (its PDF not stored) marks it failed."""
    report = Report.objects.select_for_update().get(pk=publishing.report_id)
    if report.version != publishing.report_version:
        raise PaperChanged(
            "The paper changed after publishing was asked for (it was withdrawn, returned or "
            "edited): look at it again, then publish it."
        )
    if publishing.requested_by is None:
        raise PermissionDenied("The approver who asked to publish it no longer has an account.")
    publication = report_publish(report=report, user=publishing.requested_by)
    if not _finish(publishing, State.PUBLISHED, publication=publication):
        raise PaperChanged("Another request took this one over.")  # rolls the revision back
    return publication
