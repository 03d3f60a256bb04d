"""Reads that gather the plan's pages. Each runs a fixed number of queries, whatever the data."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from pcc_portal.people import display_name
from pcc_portal.slots import Part, Task, tasks_part
from pcc_portal.templatetags.portal import long_date
from plan.charts import Chart, measure_chart
from plan.models import MeasureUpdate, OutcomeMeasure, Plan, Priority, ReportingPeriod
from plan.periods import days_left, financial_year_of
from plan.permissions import APPROVE_MEASUREUPDATE, CHANGE_MEASUREUPDATE

TREND_QUARTERS = 4


@dataclass
class MeasureRow:
    measure: OutcomeMeasure
    update: MeasureUpdate | None = None  # the latest approved, or the quarter's update
    trend: list[MeasureUpdate] = field(default_factory=list)  # oldest first
    history: list[MeasureUpdate] = field(default_factory=list)  # newest first
    approved_count: int = 0  # all its approved updates, where `history` shows the latest only
    editable: bool = False  # whether the viewing user may edit the update now
    chart: Chart | None = None  # the measure's trend chart, where the page shows one


@dataclass
class PriorityGroup:
    priority: Priority
    rows: list[MeasureRow]


def _priorities_with_measures(plan: Plan):
    return plan.priorities.order_by("kind", "order").prefetch_related(
        Prefetch(
            "measures",
            queryset=OutcomeMeasure.objects.active().select_related("lead").order_by("order"),
        )
    )


def _latest_approved(measure_ids, per_measure: int, *, counted: bool = False):
    """The newest `per_measure` approved updates of each measure, in one query; `counted`
    gives each the number of approved updates its measure has in all (`approved_total`).

    The updates are ranked on their keys and quarters alone, and only the few ranked first
    are read whole: the commentary of every past quarter is not copied to be thrown away."""
    newest_first = [F("period__financial_year").desc(), F("period__quarter").desc()]
    ranked = (
        MeasureUpdate.objects.approved()
        .filter(measure_id__in=measure_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("measure_id")], order_by=newest_first))
        .filter(rank__lte=per_measure)
        .values("pk")
    )
    latest = MeasureUpdate.objects.filter(pk__in=Subquery(ranked)).select_related("period")
    if counted:
        totals = (
            MeasureUpdate.objects.approved()
            .filter(measure_id=OuterRef("measure_id"))
            .order_by()
            .values("measure_id")
            .annotate(total=Count("pk"))
            .values("total")
        )
        latest = latest.annotate(approved_total=Subquery(totals))
    return latest.order_by("measure_id", *newest_first)


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


# The priority page shows each measure's latest approved quarters; the rest are on the
# measure's history page, HISTORY_PAGE_SIZE quarters a page.
RECENT_QUARTERS = 4
HISTORY_PAGE_SIZE = 20


def priority_history(priority: Priority) -> list[MeasureRow]:
    """The priority's measures, each with its latest RECENT_QUARTERS approved updates, newest
    first, and the number it has in all. Two queries, however many quarters have passed."""
    measures = list(priority.measures.active().select_related("lead").order_by("order"))
    rows = {m.pk: MeasureRow(m) for m in measures}
    for update in _latest_approved(list(rows), RECENT_QUARTERS, counted=True):
        row = rows[update.measure_id]
        row.history.append(update)
        row.approved_count = update.approved_total
    return list(rows.values())


def measure_history(measure: OutcomeMeasure, user):
    """Every update of the measure a reader of its priority's page may see (the approved ones,
    as there), newest first: the measure's history page pages through them."""
    return (
        MeasureUpdate.objects.visible_to(user)
        .approved()
        .filter(measure=measure)
        .select_related("period")
        .newest_first()
    )


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


def plans_in_force(user, day=None) -> list[Plan]:
    """The published plan in force on `day` (today), or the newest published when none covers
    it; and, for those who may see drafts, the draft plans for its year or later (the next
    plan being prepared). The plans a reader is offered priorities of."""
    year = financial_year_of(day or timezone.localdate())
    published = Plan.objects.published().current_first()
    plans = list(published.covering(year)) or list(published[:1])
    visible = Plan.objects.visible_to(user)
    drafts = visible.filter(status=Plan.Status.DRAFT, end_year__gt=year).current_first()
    plans += list(drafts)
    return plans or list(visible.current_first()[:1])


def reader_priorities(request=None):
    """The priorities a filter offers and accepts: those of the plans the reader may see.

    Without a request (an export built outside a view), the reader is the public.
    """
    return Priority.objects.for_choices(getattr(request, "user", None))


@dataclass
class PriorityUpdates:
    priority: Priority
    updates: list[MeasureUpdate] = field(default_factory=list)


def approved_before_q(instant) -> Q:
    """Updates approved before `instant`; an approval with no recorded time (older data)
    counts as made before any."""
    return Q(approved_at__lt=instant) | Q(approved_at__isnull=True)


def approved_updates_by_priority(
    period, priority_ids=(), *, plan=None, approved_before=None
) -> list[PriorityUpdates]:
    """A quarter's approved updates, grouped by priority (those of `priority_ids`, or all of
    `plan`'s, or all), in the plan's order: what a performance paper shows. With
    `approved_before` (an instant), only those approved before it, so that a paper written as
    at a date keeps saying the same. One query."""
    approved = MeasureUpdate.objects.approved()
    if approved_before is not None:
        approved = approved.filter(approved_before_q(approved_before))
    updates = (
        approved.for_period(period)
        .select_related("measure__priority")
        .order_by("measure__priority__kind", "measure__priority__order", "measure__order")
    )
    if priority_ids:
        updates = updates.filter(measure__priority__in=priority_ids)
    elif plan is not None:
        updates = updates.filter(measure__priority__plan=plan)
    groups: dict[int, PriorityUpdates] = {}
    for update in updates:
        priority = update.measure.priority
        groups.setdefault(priority.pk, PriorityUpdates(priority)).updates.append(update)
    return list(groups.values())


def measures_not_reported(period, priority_ids=(), *, plan=None, approved_before=None) -> list:
    """The active outcome measures (of `priority_ids`, or `plan`'s, or all) with no update
    for the quarter approved (before `approved_before`), in the plan's order: what a paper
    lists as "not reported". One query."""
    approved = MeasureUpdate.objects.approved().for_period(period)
    if approved_before is not None:
        approved = approved.filter(approved_before_q(approved_before))
    measures = OutcomeMeasure.objects.active().exclude(pk__in=approved.values("measure_id"))
    if priority_ids:
        measures = measures.filter(priority__in=priority_ids)
    elif plan is not None:
        measures = measures.filter(priority__plan=plan)
    return list(
        measures.select_related("priority").order_by("priority__kind", "priority__order", "order")
    )


def priorities_missing(priority_ids) -> set[int]:
    """Which of `priority_ids` name no priority (any more)."""
    wanted = set(priority_ids)
    return wanted - set(Priority.objects.filter(pk__in=wanted).values_list("pk", flat=True))


RETURNED_SHOWN = 10  # the home page lists this many returned updates, then links to the rest


def _quarter_counts(status: str) -> list[tuple[str, ReportingPeriod, int]]:
    """(plan slug, quarter, how many updates) in `status`, newest quarter first. One query."""
    rows = (
        MeasureUpdate.objects.filter(status=status)
        .values(
            "measure__priority__plan__slug",
            "period__financial_year",
            "period__quarter",
            "period__updates_due",
        )
        .annotate(count=Count("pk"))
        .order_by("-period__financial_year", "-period__quarter", "measure__priority__plan__slug")
    )
    return [
        (
            row["measure__priority__plan__slug"],
            ReportingPeriod(
                financial_year=row["period__financial_year"],
                quarter=row["period__quarter"],
                updates_due=row["period__updates_due"],
            ),
            row["count"],
        )
        for row in rows
    ]


def _quarter_url(plan_slug: str, period: ReportingPeriod, page: str = "plan:quarter") -> str:
    return reverse(page, kwargs={"plan": plan_slug, "quarter": period.slug})


def _updates(count: int) -> str:
    return f"{count} update{'' if count == 1 else 's'}"


def home_plan_tasks(*, user) -> Part | None:
    """Quarterly updates waiting for the visitor: for staff, those returned to them (with the
    reason), drafts not yet submitted (with the days left to their quarter's deadline) and the
    measures they lead not started in the quarter now due; for approvers, every measure not
    started in that quarter and the updates submitted for approval.
    At most five queries."""
    tasks: list[Task] = []
    today = timezone.localdate()
    if user.has_perm(CHANGE_MEASUREUPDATE):
        returned = (
            MeasureUpdate.objects.filter(status=MeasureUpdate.Status.RETURNED)
            .select_related("measure", "period")
            .order_by("-updated_at", "pk")[:RETURNED_SHOWN]
        )
        tasks += [
            Task(
                f"Returned for changes: {update.measure.short_label} ({update.period.short_label})",
                update.get_absolute_url(),
                f"Reason: {update.return_reason}" if update.return_reason else "",
            )
            for update in returned
        ]
        tasks += [
            Task(
                f"{_updates(count)} in draft, not yet submitted, for {period.label}",
                _quarter_url(slug, period, "plan:quarter_updates"),
                _deadline_words(period, today),
            )
            for slug, period, count in _quarter_counts(MeasureUpdate.Status.DRAFT)
        ]
        tasks += _not_started_tasks(today, user)
    if user.has_perm(APPROVE_MEASUREUPDATE):
        tasks += [
            Task(
                f"{_updates(count)} waiting for your approval for {period.label}",
                _quarter_url(slug, period, "plan:quarter_review"),
            )
            for slug, period, count in _quarter_counts(MeasureUpdate.Status.SUBMITTED)
        ]
    return tasks_part(tasks)


def _deadline_words(period: ReportingPeriod, today) -> str:
    if period.updates_due is None:
        return ""
    return f"Deadline {long_date(period.updates_due)}: {days_left(period.updates_due, today)}"


def _not_started_tasks(today, user) -> list[Task]:
    """For the quarter now due (the newest unlocked quarter with a deadline), in each plan
    covering it: how many of the active measures the user leads have no update at all, and,
    for approvers, who govern the quarter, how many of all its active measures. Two queries."""
    period = (
        ReportingPeriod.objects.filter(updates_due__isnull=False, locked=False)
        .order_by("-financial_year", "-quarter")
        .first()
    )
    if period is None:
        return []
    active = Q(priorities__measures__active=True)
    started = Q(priorities__measures__updates__period=period)
    mine = Q(priorities__measures__lead=user)
    plans = (
        Plan.objects.filter(
            start_year__lte=period.financial_year, end_year__gt=period.financial_year
        )
        .annotate(
            measures=Count("priorities__measures", filter=active, distinct=True),
            started=Count("priorities__measures", filter=active & started, distinct=True),
            mine=Count("priorities__measures", filter=active & mine, distinct=True),
            mine_started=Count(
                "priorities__measures", filter=active & mine & started, distinct=True
            ),
        )
        .order_by("-start_year", "pk")
    )
    overall = user.has_perm(APPROVE_MEASUREUPDATE)
    tasks = []
    for plan in plans:
        url = _quarter_url(plan.slug, period) + "#not-started"
        if yours := plan.mine - plan.mine_started:
            tasks.append(
                Task(
                    f"{yours} of your measures not started for {period.label}",
                    url,
                    _deadline_words(period, today),
                )
            )
        if overall and (not_started := plan.measures - plan.started):
            tasks.append(
                Task(
                    f"{not_started} {_measures(not_started)} not started for {period.label}",
                    url,
                    _deadline_words(period, today),
                )
            )
    return tasks


def _measures(count: int) -> str:
    return "measure" if count == 1 else "measures"


# --- The approver's review of a quarter ------------------------------------------------------

Rag = MeasureUpdate.Rag
Direction = OutcomeMeasure.Direction


@dataclass
class Change:
    """One figure of an update beside last quarter's approved one, in words."""

    label: str
    text: str
    changed: bool


@dataclass
class ReviewRow:
    update: MeasureUpdate
    previous: MeasureUpdate | None  # last quarter's approved update of the measure
    changes: list[Change]
    warnings: list[str]
    comparator: str = ""  # "Same quarter last year: 95%", with the measure's unit


def _comparator(update: MeasureUpdate) -> str:
    """The update's comparator with its label and the measure's unit; blank without one."""
    if update.comparator_value is None:
        return ""
    label = update.comparator_label or "Comparator"
    return f"{label}: {update.measure.figure(update.comparator_value)}"


@dataclass
class ReviewGroup:
    priority: Priority
    rows: list[ReviewRow]


def _figure(update: MeasureUpdate) -> str:
    if update.value is None:
        return "No value"
    return update.measure.figure(update.value)


def update_changes(update: MeasureUpdate, previous: MeasureUpdate | None) -> list[Change]:
    """Rating, direction and value against last quarter's approved update, in words."""
    pairs = [
        ("Rating", update.get_rag_display(), previous.get_rag_display() if previous else None),
        (
            "Direction",
            update.get_direction_display(),
            previous.get_direction_display() if previous else None,
        ),
        ("Value", _figure(update), _figure(previous) if previous else None),
    ]
    changes = []
    for label, now, before in pairs:
        if before is None:
            changes.append(Change(label, f"{now} (nothing approved last quarter)", False))
        elif before == now:
            changes.append(Change(label, f"{now}, the same as last quarter", False))
        else:
            changes.append(Change(label, f"{before} last quarter, {now} now", True))
    return changes


def value_got_worse(update: MeasureUpdate, previous: MeasureUpdate | None) -> bool | None:
    """Whether the value moved the wrong way since last quarter, by the measure's own idea of
    better; None when that cannot be said (no values, or the measure says neither is better)."""
    better = update.measure.desired_direction
    if previous is None or update.value is None or previous.value is None:
        return None
    if better == Direction.INCREASE:
        return update.value < previous.value
    if better == Direction.DECREASE:
        return update.value > previous.value
    return None


def update_warnings(update: MeasureUpdate, previous: MeasureUpdate | None) -> list[str]:
    """What an approver should look at twice before approving. Warnings, never errors:
    the approver may still approve."""
    warnings = []
    if update.direction == MeasureUpdate.Direction.IMPROVING and value_got_worse(update, previous):
        warnings.append(
            f"The direction says improving, but the value got worse: {_figure(previous)} last "
            f"quarter, {_figure(update)} now ({update.measure.get_desired_direction_display()})."
        )
    commentary = update.commentary.strip()
    if update.rag in (Rag.RED, Rag.AMBER) and not commentary:
        warnings.append(f"Rated {update.get_rag_display()} with no commentary to explain why.")
    if commentary and previous is not None and commentary == previous.commentary.strip():
        warnings.append("The commentary is the same as last quarter's, word for word.")
    return warnings


def quarter_review(plan: Plan, period: ReportingPeriod | None, user) -> list[ReviewGroup]:
    """Every update of the plan submitted for approval in the quarter, grouped by priority in
    the plan's order, each beside last quarter's approved update with its warnings. Two
    queries, whatever the number of measures."""
    if period is None or not period.pk:
        return []
    submitted = list(
        MeasureUpdate.objects.visible_to(user)
        .for_period(period)
        .filter(status=MeasureUpdate.Status.SUBMITTED, measure__priority__plan=plan)
        .select_related("measure__priority", "submitted_by")
        .order_by("measure__priority__kind", "measure__priority__order", "measure__order")
    )
    year, quarter = period.previous()
    previous = {
        u.measure_id: u
        for u in MeasureUpdate.objects.approved().filter(
            period__financial_year=year,
            period__quarter=quarter,
            measure_id__in=[u.measure_id for u in submitted],
        )
    }
    groups: dict[int, ReviewGroup] = {}
    for update in submitted:
        before = previous.get(update.measure_id)
        if before is not None:
            before.measure = update.measure  # for its unit, without another query
        row = ReviewRow(
            update, before, update_changes(update, before), update_warnings(update, before),
            _comparator(update),
        )  # fmt: skip
        priority = update.measure.priority
        groups.setdefault(priority.pk, ReviewGroup(priority, [])).rows.append(row)
    return list(groups.values())


def quarter_awaits_review(plan: Plan, period: ReportingPeriod | None) -> bool:
    """Whether any update of the plan in the quarter is still submitted, waiting for an
    approver's decision. One query."""
    if period is None or not period.pk:
        return False
    return (
        MeasureUpdate.objects.for_period(period)
        .filter(status=MeasureUpdate.Status.SUBMITTED, measure__priority__plan=plan)
        .exists()
    )


CHART_QUARTERS = 8  # a measure's trend chart shows this many quarters


def measures_chart_history(
    measure_ids,
    *,
    up_to: ReportingPeriod | None = None,
    quarters: int = CHART_QUARTERS,
    approved_before=None,
) -> dict[int, list[MeasureUpdate]]:
    """For each measure, its approved updates over the `quarters` quarters ending with its
    newest approved update at or before `up_to` (or its newest of all), oldest first, each with
    its quarter loaded. Approved only, since the charts are public. One query, whatever the
    number of measures or quarters."""
    index = F("period__financial_year") * 4 + F("period__quarter")
    approved = MeasureUpdate.objects.approved().filter(measure_id__in=list(measure_ids))
    if approved_before is not None:  # a paper's figures as at a date
        approved = approved.filter(approved_before_q(approved_before))
    if up_to is not None:
        approved = approved.filter(
            Q(period__financial_year__lt=up_to.financial_year)
            | Q(period__financial_year=up_to.financial_year, period__quarter__lte=up_to.quarter)
        )
    updates = (
        approved.select_related("period")
        .annotate(
            quarter_index=index,
            newest_index=Window(Max(index), partition_by=[F("measure_id")]),
        )
        .filter(quarter_index__gt=F("newest_index") - quarters)
        .order_by("measure_id", "period__financial_year", "period__quarter")
    )
    history: dict[int, list[MeasureUpdate]] = {}
    for update in updates:
        history.setdefault(update.measure_id, []).append(update)
    return history


def measure_charts(
    measures,
    *,
    up_to: ReportingPeriod | None = None,
    id_prefix: str = "chart",
    approved_before=None,
) -> dict[int, Chart]:
    """The trend chart of each of `measures` that has something to draw, by measure id, from
    its approved history (see measures_chart_history). One query."""
    measures = list(measures)
    history = measures_chart_history(
        [m.pk for m in measures], up_to=up_to, approved_before=approved_before
    )
    charts = {}
    for measure in measures:
        chart = measure_chart(
            measure, history.get(measure.pk, []), id_prefix=f"{id_prefix}-{measure.pk}"
        )
        if chart is not None:
            charts[measure.pk] = chart
    return charts


def priority_history_with_charts(priority: Priority) -> list[MeasureRow]:
    """priority_history, each measure with its trend chart (None when nothing to draw)."""
    rows = priority_history(priority)
    charts = measure_charts([row.measure for row in rows])
    for row in rows:
        row.chart = charts.get(row.measure.pk)
    return rows


# --- A quarter's progress, its deadline, and what changed since a date ----------------------


NO_LEAD = "No lead named"


@dataclass
class LeadGroup:
    """The measures one lead has not started (lead None: the measures naming no lead)."""

    lead: object | None
    rows: list[MeasureRow]

    @property
    def name(self) -> str:
        return display_name(self.lead) if self.lead is not None else NO_LEAD

    @property
    def summary(self) -> str:
        """Sam Staff: 3 measures not started."""
        count = len(self.rows)
        return f"{self.name}: {count} measure{'' if count == 1 else 's'} not started"


@dataclass
class QuarterProgress:
    """How far the quarter's updates have got, in words, and the measures not started yet
    (no update at all), grouped by who leads them, for staff."""

    summary: str  # "23 of 35 submitted, 20 approved"
    # "12 days left", "due today", "3 days overdue"; "" without a deadline, once every measure
    # is approved, or while the quarter is locked: the countdown has stopped.
    deadline: str
    all_approved: bool  # every active measure of the plan has an approved update
    not_started: list[LeadGroup]  # by lead's name, the measures naming no lead last


def quarter_progress(grid: QuarterGrid, period: ReportingPeriod, today) -> QuarterProgress:
    """The progress of the quarter a `quarter_grid` shows (no more queries: the grid's measures
    come with their leads). Submitted counts updates submitted and those since approved."""
    Status = MeasureUpdate.Status
    submitted = grid.counts.get(Status.SUBMITTED, 0) + grid.approved_count
    all_approved = grid.measure_count > 0 and grid.unapproved_count == 0
    counting = period.updates_due is not None and not period.locked and not all_approved
    by_lead: dict[int | None, LeadGroup] = {}
    for group in grid.groups:
        for row in group.rows:
            if row.update is None:
                lead = row.measure.lead
                by_lead.setdefault(lead.pk if lead else None, LeadGroup(lead, [])).rows.append(row)
    named = sorted(
        (g for key, g in by_lead.items() if key is not None), key=lambda g: g.name.casefold()
    )
    return QuarterProgress(
        summary=f"{submitted} of {grid.measure_count} submitted, {grid.approved_count} approved",
        deadline=days_left(period.updates_due, today) if counting else "",
        all_approved=all_approved,
        not_started=named + ([by_lead[None]] if None in by_lead else []),
    )


@dataclass
class WorsenedRating:
    """A measure whose latest approved rating is worse than its previous quarter's."""

    measure: OutcomeMeasure
    update: MeasureUpdate  # the latest approved
    previous: MeasureUpdate  # the previous quarter's approved

    @property
    def url(self) -> str:
        return f"{self.measure.priority.get_absolute_url()}#measure-{self.measure.pk}"


_RAG_ORDER = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


def ratings_worsened_since(since, user) -> list[WorsenedRating]:
    """Measures (of the plans `user` may see) whose latest approved update was approved at or
    after `since` and is rated worse than the previous quarter's approved update: Green to
    Amber or Red, Amber to Red. One query."""
    plans = Plan.objects.visible_to(user)
    newest_first = [F("period__financial_year").desc(), F("period__quarter").desc()]
    # Only a measure with an update approved since then can have its latest approved since then:
    # ranking the others' whole history would grow with every quarter ever reported.
    approved_since = MeasureUpdate.objects.approved().filter(approved_at__gte=since)
    latest_two = (
        MeasureUpdate.objects.approved()
        .filter(measure__active=True, measure__priority__plan__in=plans)
        .filter(measure__in=approved_since.values("measure_id"))
        .select_related("period", "measure__priority__plan")
        .annotate(rank=Window(RowNumber(), partition_by=[F("measure_id")], order_by=newest_first))
        .filter(rank__lte=2)
        .order_by(
            "measure__priority__plan__start_year",
            "measure__priority__kind",
            "measure__priority__order",
            "measure__order",
            "rank",
        )
    )
    pairs: dict[int, list[MeasureUpdate]] = {}
    for update in latest_two:
        pairs.setdefault(update.measure_id, []).append(update)
    worsened = []
    for updates in pairs.values():
        if len(updates) < 2:
            continue
        latest, previous = updates
        if latest.approved_at is None or latest.approved_at < since:
            continue
        if latest.period.previous() != (previous.period.financial_year, previous.period.quarter):
            continue
        rated = latest.rag in _RAG_ORDER and previous.rag in _RAG_ORDER
        if rated and _RAG_ORDER[latest.rag] > _RAG_ORDER[previous.rag]:
            worsened.append(WorsenedRating(latest.measure, latest, previous))
    return worsened


@dataclass
class PlanContents:
    """What publishing a plan shows the public, or what withdrawing it would hide."""

    priorities: int  # the office's own, not the national measures
    national: int
    measures: int
    approved_updates: int
    published_papers: int


def plan_contents(plan: Plan) -> PlanContents:
    """Counts of a plan's parts, in a fixed number of queries. Its papers are those naming it,
    and those naming no plan whose quarter is in its years (the plan they then report on)."""
    kinds = dict(
        plan.priorities.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    papers = ReportingPeriod.objects.filter(
        financial_year__gte=plan.start_year, financial_year__lt=plan.end_year
    ).filter(reports__plan__isnull=True, reports__status="published")
    return PlanContents(
        priorities=kinds.get(Priority.Kind.LOCAL, 0),
        national=kinds.get(Priority.Kind.NATIONAL, 0),
        measures=OutcomeMeasure.objects.filter(priority__plan=plan).count(),
        approved_updates=MeasureUpdate.objects.approved()
        .filter(measure__priority__plan=plan)
        .count(),
        published_papers=plan.reports.filter(status="published").count()
        + papers.values("reports").distinct().count(),
    )
