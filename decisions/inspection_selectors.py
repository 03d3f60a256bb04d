"""Reads for the inspections pages, and the parts inspections add to other apps' pages (the
priority page, the action page, the home page's tasks), each in a fixed number of queries."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from decisions.inspections import TASK_WARNING_DAYS, Inspection, InspectionRecommendation
from decisions.permissions import CHANGE_INSPECTION, PUBLISH_INSPECTION
from pcc_portal.models import PendingChange
from pcc_portal.slots import DONE, Part, Task, tasks_part
from plan.models import Priority
from scrutiny.models import Action


def inspection_rows(user):
    """The inspections the visitor may see, with how many recommendations each has."""
    return Inspection.objects.visible_to(user).annotate(
        recommendation_count=Count("recommendations")
    )


def inspection_list_rows(page, *, user, today: datetime.date) -> list[dict]:
    """Each inspection of a page of the list with its comments clock."""
    return [{"inspection": row, "clock": row.comments_clock(today)} for row in page]


def inspection_detail(inspection: Inspection, *, user, today: datetime.date) -> dict:
    """The report's recommendations and areas for improvement with the priorities and actions
    the visitor may see, the comments clock, and whether the office's part is shown. Three
    queries."""
    recommendations = list(
        inspection.recommendations.prefetch_related(
            Prefetch(
                "priorities",
                queryset=Priority.objects.visible_to(user).select_related("plan"),
            ),
            Prefetch(
                "actions",
                queryset=Action.objects.visible_to(user).order_by("due_date", "pk"),
            ),
        )
    )
    for recommendation in recommendations:
        recommendation.inspection = inspection  # for its link, without a query each
    kinds = InspectionRecommendation.Kind
    return {
        "clock": inspection.comments_clock(today),
        "shows_office": inspection.shows_office_parts_to(user),
        "recommendations": [r for r in recommendations if r.kind == kinds.RECOMMENDATION],
        "areas": [r for r in recommendations if r.kind == kinds.AREA_FOR_IMPROVEMENT],
    }


def inspection_deletion(inspection: Inspection) -> dict:
    """What deleting an inspection takes with it, for its confirmation page: how many
    recommendations and areas for improvement, and how many actions were raised for them (which
    stay, no longer naming them). Two queries."""
    counts = inspection.recommendations.aggregate(
        recommendations=Count("pk", filter=Q(kind=InspectionRecommendation.Kind.RECOMMENDATION)),
        areas=Count("pk", filter=Q(kind=InspectionRecommendation.Kind.AREA_FOR_IMPROVEMENT)),
    )
    actions = (
        Action.objects.filter(hmicfrs_recommendations__inspection=inspection).distinct().count()
    )
    return {"recommendations": counts["recommendations"], "areas": counts["areas"],
            "actions": actions}  # fmt: skip


def priority_recommendations(priority, *, user) -> Part | None:
    """The HMICFRS recommendations linked to a priority, for the priority's page. One query."""
    recommendations = list(
        InspectionRecommendation.objects.filter(priorities=priority)
        .select_related("inspection")
        .order_by("-inspection__published_on", "inspection", "-kind", "pk")
    )
    return Part(
        "decisions/includes/_priority_recommendations.html",
        {"recommendations": recommendations},
        group=DONE,
        position=30,
    )


def action_recommendations(action, *, user) -> Part | None:
    """The HMICFRS recommendations an action was raised for, for the action's page. One
    query."""
    recommendations = list(
        InspectionRecommendation.objects.filter(actions=action)
        .select_related("inspection")
        .order_by("pk")
    )
    if not recommendations:
        return None
    return Part(
        "decisions/includes/_action_recommendations.html",
        {"recommendations": recommendations},
    )


def home_inspection_tasks(*, user, today: datetime.date | None = None) -> Part | None:
    """For staff: comments due within 14 days or overdue; for approvers also inspections
    whose office responses or comments wait to be published. One query."""
    if not user.has_perm(CHANGE_INSPECTION):
        return None
    today = today or timezone.localdate()
    due_soon = Q(pk__in=Inspection.objects.comments_due_by(
        today + datetime.timedelta(days=TASK_WARNING_DAYS)
    ).values("pk"))  # fmt: skip
    wanted = due_soon
    approver = user.has_perm(PUBLISH_INSPECTION)
    if approver:
        meta = Inspection._meta
        held = PendingChange.objects.filter(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name
        ).values("object_id")
        wanted |= Q(pk__in=held)
    tasks = []
    rows = Inspection.objects.filter(wanted).annotate(
        due_soon=Count("pk", filter=due_soon)
    ).order_by("published_on", "pk")  # fmt: skip
    for inspection in rows:
        if inspection.due_soon:
            clock = inspection.comments_clock(today)
            tasks.append(
                Task(f"Comments on the HMICFRS report “{inspection.title}”: {clock.words.lower()}",
                     inspection.get_absolute_url(),
                     detail=f"Due {clock.due_on.day} {clock.due_on:%B %Y}")
            )  # fmt: skip
        else:
            tasks.append(
                Task(f"Changes to the HMICFRS report “{inspection.title}” wait for you to "
                     "publish them", inspection.get_publication_url())
            )  # fmt: skip
    return tasks_part(tasks)
