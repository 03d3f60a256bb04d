"""The plan's emails about quarterly updates: submitted (to approvers), returned (to whoever
submitted them) and a quarter fully approved (to the staff who worked on it, and approvers).

The services call these at the end of their transaction; each runs a fixed number of queries
whatever the number of updates, and hands one message per kind of news to
pcc_portal.notifications, which sends it after the commit to those who still want it.
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse

from pcc_portal.notifications import EmailKind, email_enqueue, permission_holder_ids, portal_url
from pcc_portal.people import display_name
from plan.models import MeasureUpdate, OutcomeMeasure, Plan, ReportingPeriod
from plan.permissions import APPROVE_MEASUREUPDATE, CHANGE_MEASUREUPDATE

Status = MeasureUpdate.Status

UPDATES_SUBMITTED = "updates_submitted"
UPDATE_RETURNED = "update_returned"
QUARTER_APPROVED = "quarter_approved"

EMAIL_KINDS = (
    EmailKind(
        key=UPDATES_SUBMITTED,
        label="Updates submitted for approval",
        hint=(
            "When staff submit quarterly updates: how many wait for approval, with a link to "
            "review them."
        ),
        audience="approvers",
        permission=APPROVE_MEASUREUPDATE,
    ),
    EmailKind(
        key=UPDATE_RETURNED,
        label="Updates returned to you",
        hint="When an approver returns an update you submitted: the reason, and where to fix it.",
        audience="office staff who submit updates",
        permission=CHANGE_MEASUREUPDATE,
    ),
    EmailKind(
        key=QUARTER_APPROVED,
        label="Quarter fully approved",
        hint="When every outcome measure of a plan has an approved update for a quarter.",
        audience="office staff who worked on the quarter, and approvers",
        permission=CHANGE_MEASUREUPDATE,
    ),
)


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _others(ids, user) -> list[int]:
    """Nobody is emailed about what they did themselves."""
    return [pk for pk in ids if pk is not None and pk != user.pk]


def plan_of(update: MeasureUpdate) -> Plan:
    return Plan.objects.get(priorities__measures=update.measure_id)


def updates_submitted_notify(*, plan: Plan, period: ReportingPeriod, count: int, user) -> None:
    """One email to the approvers for one submit action, however many updates it submitted."""
    if not count:
        return
    waiting = MeasureUpdate.objects.filter(
        period__pk=period.pk, measure__priority__plan=plan, status=Status.SUBMITTED
    ).count()
    url = reverse("plan:quarter_review", kwargs={"plan": plan.slug, "quarter": period.slug})
    body = (
        f"{display_name(user)} submitted {count} quarterly "
        f"{_plural(count, 'update', 'updates')} of {plan.title} for {period.label} "
        "for approval.\n\n"
        f"{waiting} {_plural(waiting, 'update', 'updates')} of that quarter now "
        f"{_plural(waiting, 'waits', 'wait')} for approval. Review them here:\n"
        f"{portal_url(url)}\n"
    )
    email_enqueue(
        kind=UPDATES_SUBMITTED,
        user_ids=_others(permission_holder_ids(APPROVE_MEASUREUPDATE), user),
        subject=f"Updates to approve: {period.short_label}, {plan.title}",
        body=body,
    )


def updates_returned_notify(*, update_ids: list[int], user) -> None:
    """One email to each person who submitted any of these returned updates, listing theirs
    with the reasons and where to fix each."""
    if not update_ids:
        return
    returned = MeasureUpdate.objects.filter(pk__in=update_ids).select_related("measure", "period")
    by_submitter = defaultdict(list)
    for update in returned.order_by("period", "measure"):
        by_submitter[update.submitted_by_id].append(update)
    for submitter, updates in by_submitter.items():
        if submitter is None or submitter == user.pk:
            continue
        email_enqueue(
            kind=UPDATE_RETURNED,
            user_ids=[submitter],
            subject=_returned_subject(updates),
            body=_returned_body(updates, user),
        )


def _returned_subject(updates: list[MeasureUpdate]) -> str:
    if len(updates) == 1:
        update = updates[0]
        return f"Update returned to you: {update.measure.short_label}, {update.period.short_label}"
    quarters = sorted({u.period.short_label for u in updates})
    return f"{len(updates)} of your updates were returned: {', '.join(quarters)}"


def _returned_body(updates: list[MeasureUpdate], user) -> str:
    count = len(updates)
    lines = [
        f"{display_name(user)} returned {_plural(count, 'an update', f'{count} updates')} you "
        f"submitted, with {_plural(count, 'this reason', 'these reasons')}. Change "
        f"{_plural(count, 'it', 'them')} and submit {_plural(count, 'it', 'them')} again.",
    ]
    for update in updates:
        lines += [
            "",
            f"{update.measure.short_label} ({update.period.short_label})",
            f"Reason: {update.return_reason}",
            f"Change it here: {portal_url(update.get_absolute_url())}",
        ]
    return "\n".join(lines) + "\n"


def quarter_approved_notify(
    *, plan: Plan, period: ReportingPeriod, approved_measure_ids: list[int], user
) -> None:
    """When these approvals made every active measure of the plan approved for the quarter:
    one email to the staff who entered or submitted its updates, and to the approvers."""
    approved_now = MeasureUpdate.objects.filter(period__pk=period.pk, status=Status.APPROVED)
    counts = (
        OutcomeMeasure.objects.active()
        .filter(priority__plan=plan)
        .aggregate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(pk__in=approved_now.values("measure_id"))),
            just_approved=Count("pk", filter=Q(pk__in=approved_measure_ids)),
        )
    )
    if not counts["just_approved"] or counts["approved"] != counts["total"]:
        return
    worked_on = MeasureUpdate.objects.filter(
        period__pk=period.pk, measure__priority__plan=plan
    ).values_list("created_by_id", "submitted_by_id")
    staff = {pk for pair in worked_on for pk in pair}
    url = reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": period.slug})
    total = counts["total"]
    body = (
        f"Every one of the {total} outcome {_plural(total, 'measure', 'measures')} of "
        f"{plan.title} now has an approved update for {period.label}. "
        f"{display_name(user)} approved the last of them.\n\n"
        "See the quarter here:\n"
        f"{portal_url(url)}\n"
    )
    email_enqueue(
        kind=QUARTER_APPROVED,
        user_ids=_others(staff | set(permission_holder_ids(APPROVE_MEASUREUPDATE)), user),
        subject=f"{period.short_label} fully approved: {plan.title}",
        body=body,
    )
