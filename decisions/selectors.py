"""Reads for the decisions pages and the parts decisions add to other apps' pages (fixed
queries)."""

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from decisions.models import Decision, ForwardPlanEntry
from decisions.permissions import CHANGE_DECISION, PUBLISH_DECISION
from funding.models import Award
from pcc_portal.models import PendingChange
from pcc_portal.slots import DONE, Part, Task, tasks_part
from reports.models import Report


def decision_detail(decision: Decision, user) -> dict:
    """What the notice shows besides the decision's own fields: its priorities, awards (and
    their total), and the papers it was reported in that the visitor may see. Four queries."""
    awards = list(
        Award.objects.filter(decisions=decision)
        .select_related("fund", "organisation")
        .order_by("title", "pk")
    )
    amounts = [award.amount for award in awards if award.amount is not None]
    papers = list(
        Report.objects.visible_to(user)
        .filter(decisions=decision)
        .select_related("panel_meeting")
        .order_by("panel_meeting__starts_at", "pk")
    )
    return {
        "priorities": list(decision.priorities.select_related("plan")),
        "awards": awards,
        "awards_total": sum(amounts, Decimal("0")) if amounts else None,
        "awards_unrecorded": len(amounts) < len(awards),
        "papers": papers,
    }


def forward_plan(user, today=None) -> dict:
    """The entries the visitor may see: those still to be taken (the coming months first,
    then any past their month), and those taken, with their decision if it is published."""
    today = today or timezone.localdate()
    entries = list(
        ForwardPlanEntry.objects.visible_to(user)
        .select_related("decision")
        .prefetch_related("priorities")
        .order_by("expected_month", "pk")
    )
    month = today.replace(day=1)
    pending = [entry for entry in entries if entry.decision_id is None]
    return {
        "coming": [entry for entry in pending if entry.expected_month >= month],
        "overdue": [entry for entry in pending if entry.expected_month < month],
        "taken": [entry for entry in entries if entry.decision_id is not None],
    }


def priority_decisions(priority, *, user) -> Part | None:
    """The published decisions serving a priority, for the priority's page. One query."""
    decisions = list(
        Decision.objects.published()
        .filter(priorities=priority)
        .order_by(F("decision_date").desc(nulls_last=True), "-pk")
    )
    return Part(
        "decisions/includes/_priority_decisions.html",
        {"decisions": decisions},
        group=DONE,
        position=20,
    )


def home_decision_tasks(*, user) -> Part | None:
    """For staff: decisions returned to them; for approvers: decisions waiting to be signed or
    published, and published ones whose corrections wait for publication. One query (two for
    approvers)."""
    if not user.has_perm(CHANGE_DECISION):
        return None
    wanted = Q(status=Decision.Status.RETURNED)
    approver = user.has_perm(PUBLISH_DECISION)
    if approver:
        # By the content type's natural key, in the same query: the count never depends on
        # whether the content type cache is warm.
        meta = Decision._meta
        held = PendingChange.objects.filter(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name
        ).values("object_id")
        wanted |= Q(status__in=[Decision.Status.SUBMITTED, Decision.Status.SIGNED]) | Q(pk__in=held)
    tasks = []
    for decision in Decision.objects.filter(wanted).order_by("pk"):
        url = decision.get_absolute_url()
        if decision.status == Decision.Status.RETURNED:
            tasks.append(
                Task(f"Decision “{decision.title}” was returned to you", url,
                     detail=f"Reason: {decision.return_reason}")
            )  # fmt: skip
        elif decision.status == Decision.Status.SUBMITTED:
            tasks.append(Task(f"Decision “{decision.title}” waits to be signed", url))
        elif decision.status == Decision.Status.SIGNED:
            tasks.append(Task(f"Decision {decision.reference} waits to be published", url))
        elif approver:
            tasks.append(
                Task(f"Corrections to decision {decision} wait for you to publish them",
                     decision.get_publication_url())
            )  # fmt: skip
    return tasks_part(tasks)


def decisions_total(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal("0")
