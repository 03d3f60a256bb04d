"""What each kind of section of a paper needs (its parameters) and shows (its data).

Data sections read from plan, scrutiny and funding through their querysets; the figures are
the portal's own, never retyped. Totals are summed in the database (Decimal).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum

from funding.models import Award, Fund
from plan.models import MeasureUpdate, Priority
from scrutiny.models import Action, ScrutinyMeeting, ScrutinyTopic, TaskGroup


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def params_errors(section) -> list[str]:
    """What is wrong with a section's parameters, in words an editor can act on."""
    kind, params = section.kind, section.params or {}
    errors = []
    needs_period = kind in ("outcome_measures", "scrutiny_meetings")
    if needs_period and section.report_id and not section.report.period_id:
        errors.append("This section shows a quarter: choose the paper's quarter first.")
    if kind == "funding_table":
        if params.get("direction") not in ("incoming", "outgoing"):
            errors.append("Choose whether the table shows money secured or money granted.")
        slugs = params.get("funds") or []
        found = set(Fund.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        errors += [f"The fund '{slug}' no longer exists: remove it." for slug in slugs
                   if slug not in found]  # fmt: skip
        try:
            start, end = _date(params.get("date_from")), _date(params.get("date_to"))
        except ValueError:
            errors.append("The dates of the funding table must be real dates.")
        else:
            if start and end and end < start:
                errors.append("The funding table's end date must be after its start date.")
    if kind in ("outcome_measures", "open_actions"):
        ids = params.get("priorities") or []
        if len(set(Priority.objects.filter(pk__in=ids).values_list("pk", flat=True))) != len(
            set(ids)
        ):
            errors.append("A priority this section names no longer exists: choose again.")
    if (
        kind == "recommendations"
        and not TaskGroup.objects.filter(slug=params.get("task_group") or "").exists()
    ):
        errors.append("Choose the task group whose recommendations the section shows.")
    return errors


@dataclass
class FundingTable:
    caption: str
    rows: list[Award]
    total: Decimal


def funding_table(section) -> FundingTable:
    params = section.params
    awards = Award.objects.awarded().filter(fund__direction=params.get("direction"))
    if params.get("funds"):
        awards = awards.filter(fund__slug__in=params["funds"])
    if params.get("financial_year"):
        awards = awards.in_financial_year(int(params["financial_year"]))
    if start := _date(params.get("date_from")):
        awards = awards.filter(award_date__gte=start)
    if end := _date(params.get("date_to")):
        awards = awards.filter(award_date__lte=end)
    rows = list(awards.select_related("fund", "organisation").order_by("fund__name", "pk"))
    total = awards.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    direction = dict(Fund.Direction.choices)[params.get("direction")]
    return FundingTable(section.heading or direction, rows, total)


@dataclass
class MeasureGroup:
    priority: Priority
    updates: list[MeasureUpdate] = field(default_factory=list)


def outcome_measures(section, period) -> list[MeasureGroup]:
    """The quarter's approved updates, grouped by priority (chosen ones, or all)."""
    updates = (
        MeasureUpdate.objects.approved()
        .for_period(period)
        .select_related("measure__priority")
        .order_by("measure__priority__kind", "measure__priority__order", "measure__order")
    )
    if ids := section.params.get("priorities"):
        updates = updates.filter(measure__priority__in=ids)
    groups: dict[int, MeasureGroup] = {}
    for update in updates:
        priority = update.measure.priority
        groups.setdefault(priority.pk, MeasureGroup(priority)).updates.append(update)
    return list(groups.values())


def scrutiny_meetings(period) -> list[ScrutinyMeeting]:
    """Published scrutiny meetings held in the quarter or reviewing it, with their topics."""
    from django.db.models import Q

    return list(
        ScrutinyMeeting.objects.published()
        .filter(
            Q(period=period) | Q(starts_at__date__gte=period.start, starts_at__date__lte=period.end)
        )
        .prefetch_related(Prefetch("topics", queryset=ScrutinyTopic.objects.order_by("order")))
        .order_by("starts_at")
    )


def open_actions(section) -> list[Action]:
    """Open actions the public may know of (published meetings, task groups), due first."""
    from django.contrib.auth.models import AnonymousUser

    queryset = Action.objects.visible_to(AnonymousUser()).still_open()
    if ids := section.params.get("priorities"):
        queryset = queryset.filter(priority__in=ids)
    return list(queryset.select_related("meeting", "task_group").order_by("due_date", "pk"))


def recommendations(section):
    # Only a published task group's recommendations: a paper never publishes an unpublished one.
    group = TaskGroup.objects.published().filter(slug=section.params.get("task_group")).first()
    return group, list(group.recommendations.all()) if group else []
