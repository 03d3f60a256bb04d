"""The papers' emails: a paper submitted for approval (to approvers) and a paper returned (to
whoever submitted it). The services call these at the end of their transaction; one query each
at most, and pcc_portal.notifications sends after the commit to those who still want it."""

from pcc_portal.notifications import EmailKind, email_enqueue, permission_holder_ids, portal_url
from pcc_portal.people import display_name
from reports.permissions import CHANGE_REPORT, PUBLISH_REPORT

PAPER_SUBMITTED = "paper_submitted"
PAPER_RETURNED = "paper_returned"
PAPER_NOT_PUBLISHED = "paper_not_published"

EMAIL_KINDS = (
    EmailKind(
        key=PAPER_SUBMITTED,
        label="Papers submitted for approval",
        hint="When staff submit a panel paper for approval, with a link to preview it.",
        audience="approvers",
        permission=PUBLISH_REPORT,
    ),
    EmailKind(
        key=PAPER_RETURNED,
        label="Papers returned to you",
        hint="When an approver returns a paper you submitted: the reason, and where to fix it.",
        audience="office staff who write papers",
        permission=CHANGE_REPORT,
    ),
    EmailKind(
        key=PAPER_NOT_PUBLISHED,
        label="Papers that could not be published",
        hint="When a paper you asked to publish could not be, after trying again: why, and "
        "where to try once more.",
        audience="approvers",
        permission=PUBLISH_REPORT,
    ),
)


def _meeting(report) -> str:
    return f"the panel meeting of {report.panel_meeting.date:%-d %B %Y}"


def paper_submitted_notify(*, report, user) -> None:
    """One email to the approvers (not whoever submitted it)."""
    approvers = [pk for pk in permission_holder_ids(PUBLISH_REPORT) if pk != user.pk]
    email_enqueue(
        kind=PAPER_SUBMITTED,
        user_ids=approvers,
        subject=f"Paper to approve: {report.title}",
        body=(
            f"{display_name(user)} submitted the paper “{report.title}” for {_meeting(report)} "
            "for approval.\n\nPreview it, then publish it or return it, here:\n"
            f"{portal_url(report.get_absolute_url())}\n"
        ),
    )


def paper_returned_notify(*, report, user) -> None:
    """One email to whoever submitted the paper, with the reason (nobody, if they returned it
    themselves)."""
    if report.submitted_by_id is None or report.submitted_by_id == user.pk:
        return
    email_enqueue(
        kind=PAPER_RETURNED,
        user_ids=[report.submitted_by_id],
        subject=f"Paper returned to you: {report.title}",
        body=(
            f"{display_name(user)} returned the paper “{report.title}” for {_meeting(report)} "
            f"with this reason:\n\n{report.return_reason}\n\n"
            f"Change it and submit it again here:\n{portal_url(report.get_absolute_url())}\n"
        ),
    )


def paper_not_published_notify(*, publishing) -> None:
    """One email to the approver who asked to publish the paper, saying why it was not."""
    report = publishing.report
    if publishing.requested_by_id is None:
        return
    email_enqueue(
        kind=PAPER_NOT_PUBLISHED,
        user_ids=[publishing.requested_by_id],
        subject=f"Paper not published: {report.title}",
        body=(
            f"The paper “{report.title}” for {_meeting(report)} could not be published, "
            f"after {publishing.attempts} attempts. Nothing of it was published.\n\n"
            f"What went wrong: {publishing.problem}\n\n"
            f"Try again, or ask for help, here:\n{portal_url(report.get_absolute_url())}\n"
        ),
    )
