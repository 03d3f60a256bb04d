"""Reads that gather the plan's pages. Each runs a fixed number of queries, whatever the data."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber

from plan.models import MeasureUpdate, OutcomeMeasure, Plan, Priority, ReportingPeriod

TREND_QUARTERS = 4


@dataclass
class MeasureRow:
    measure: OutcomeMeasure
    update: MeasureUpdate | None = None  # the latest approved, or the quarter's update
    trend: list[MeasureUpdate] = field(default_factory=list)  # oldest first
    history: list[MeasureUpdate] = field(default_factory=list)  # newest first
    editable: bool = False  # whether the viewing user may edit the update now


@dataclass
class PriorityGroup:
    priority: Priority
    rows: list[MeasureRow]


def _priorities_with_measures(plan: Plan):
    return plan.priorities.order_by("kind", "order").prefetch_related(
        Prefetch("measures", queryset=OutcomeMeasure.objects.active().order_by("order"))
    )


def _latest_approved(measure_ids, per_measure: int):
    """The newest `per_measure` approved updates of each measure, in one query."""
    newest_first = [F("period__financial_year").desc(), F("period__quarter").desc()]
    return (
        MeasureUpdate.objects.approved()
        .filter(measure_id__in=measure_ids)
        .select_related("period")
        .annotate(rank=Window(RowNumber(), partition_by=[F("measure_id")], order_by=newest_first))
        .filter(rank__lte=per_measure)
        .order_by("measure_id", "rank")
    )


def plan_overview(plan: Plan) -> list[PriorityGroup]:
    """Each priority with its measures, their latest approved update and recent trend."""
    priorities = list(_priorities_with_measures(plan))
    measure_ids = [m.pk for p in priorities for m in p.measures.all()]
    recent: dict[int, list[MeasureUpdate]] = {}
    for update in _latest_approved(measure_ids, TREND_QUARTERS):
        recent.setdefault(update.measure_id, []).append(update)
    groups = []
    for priority in priorities:
        rows = []
        for measure in priority.measures.all():
            newest = recent.get(measure.pk, [])
            rows.append(
                MeasureRow(measure, update=newest[0] if newest else None, trend=newest[::-1])
            )
        groups.append(PriorityGroup(priority, rows))
    return groups


def priority_history(priority: Priority) -> list[MeasureRow]:
    """The priority's measures, each with every approved update, newest first."""
    measures = list(priority.measures.active().order_by("order"))
    by_measure: dict[int, list[MeasureUpdate]] = {}
    approved = (
        MeasureUpdate.objects.approved()
        .filter(measure__in=measures)
        .select_related("period")
        .newest_first()
    )
    for update in approved:
        by_measure.setdefault(update.measure_id, []).append(update)
    return [MeasureRow(m, history=by_measure.get(m.pk, [])) for m in measures]


@dataclass
class QuarterGrid:
    groups: list[PriorityGroup]
    measure_count: int
    counts: dict[str, int]  # status -> number of updates

    @property
    def approved_count(self) -> int:
        return self.counts.get(MeasureUpdate.Status.APPROVED, 0)

    @property
    def unapproved_count(self) -> int:
        """Measures with no approved update yet: drafts, submitted, returned or not started."""
        return self.measure_count - self.approved_count

    @property
    def not_started_count(self) -> int:
        return self.measure_count - sum(self.counts.values())


def quarter_grid(plan: Plan, period: ReportingPeriod | None, user) -> QuarterGrid:
    """The quarter's update for every measure of the plan, as far as `user` may see them."""
    priorities = list(_priorities_with_measures(plan))
    updates: dict[int, MeasureUpdate] = {}
    if period is not None and period.pk:
        visible = (
            MeasureUpdate.objects.visible_to(user)
            .for_period(period)
            .filter(measure__priority__plan=plan)
            .select_related("updated_by")
        )
        updates = {u.measure_id: u for u in visible}
    counts: dict[str, int] = {}
    for update in updates.values():
        counts[update.status] = counts.get(update.status, 0) + 1
    groups = [
        PriorityGroup(p, [MeasureRow(m, update=updates.get(m.pk)) for m in p.measures.all()])
        for p in priorities
    ]
    return QuarterGrid(groups, sum(len(g.rows) for g in groups), counts)


def plan_quarters(plan: Plan, today) -> list[ReportingPeriod]:
    """The plan's quarters from its first up to the current one, newest first (unsaved)."""
    last = ReportingPeriod.containing(today)
    quarters = []
    for year in range(plan.start_year, plan.end_year):
        for quarter in (1, 2, 3, 4):
            if (year, quarter) <= last:
                quarters.append(ReportingPeriod(financial_year=year, quarter=quarter))
    return quarters[::-1]


def period_in_plan(plan: Plan, financial_year: int, quarter: int) -> bool:
    return plan.start_year <= financial_year < plan.end_year and 1 <= quarter <= 4


def reader_priorities(request=None):
    """The priorities a filter offers and accepts: those of the plans the reader may see.

    Without a request (an export built outside a view), the reader is the public.
    """
    user = getattr(request, "user", None) or AnonymousUser()
    return Priority.objects.visible_to(user).for_choosing()
