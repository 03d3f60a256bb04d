"""Funding totals, computed in the database from awarded awards (Sum over Decimal)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from funding.models import (
    Award,
    DirectionTotal,
    Fund,
    FundingTotal,
    FundingYearChange,
    direction_totals,
)
from funding.totals import funding_totals_current
from pcc_portal.slots import COST, Part
from plan.models import Priority
from plan.periods import financial_year_label, financial_year_of

CHART_YEARS = 5


@dataclass
class Total:
    label: str
    amount: Decimal
    count: int
    query: str  # the award list's filter that shows the awards behind the figure


DIRECTIONS = tuple(Fund.Direction)


def _per_direction(**figures) -> dict:
    """Each figure summed apart for each direction, in the same grouped query: `amount` and
    `count` become `incoming_amount`, `outgoing_count` and so on."""
    return {
        f"{direction}_{name}": aggregate(filter=Q(fund__direction=direction))
        for direction in DIRECTIONS
        for name, aggregate in figures.items()
    }


def _amount_and_count() -> dict:
    return _per_direction(
        amount=lambda **kw: Sum("amount", **kw),
        count=lambda **kw: Sum("count", **kw),
    )


def _totals(rows, key: str, label: str, *, filter_name: str) -> dict[str, list[Total]]:
    """Grouped rows, one per `key`, split into each direction's totals, largest first."""
    totals = {direction.value: [] for direction in DIRECTIONS}
    for row in rows:
        if row[key] is None:
            continue  # awards serving no priority (or area) are in no row of that table
        for direction in DIRECTIONS:
            count = row[f"{direction}_count"]
            if not count:
                continue
            query = f"direction={direction}&status=awarded&{filter_name}={row[key]}"
            amount = row[f"{direction}_amount"] or Decimal("0")
            totals[direction].append(Total(row[label], amount, count, query))
    for rows_of_one in totals.values():
        rows_of_one.sort(key=lambda total: (-total.amount, total.label))
    return totals


def _grouped(stored, key: str, label: str, *, filter_name: str) -> dict[str, list[Total]]:
    rows = stored.filter(**{f"{key}__isnull": False}).values(key, label)
    rows = rows.annotate(**_amount_and_count()).order_by()
    return _totals(rows, key, label, filter_name=filter_name)


def _fund_years(stored) -> list[dict]:
    """Awarded money and awards of each fund in each financial year, with the year's first
    award date: the stored totals' rows of whole funds (funds times years rows)."""
    return list(
        stored.filter(priority__isnull=True, area__isnull=True)
        .values("fund__slug", "fund__name", "fund__direction", "financial_year")
        .annotate(amount=Sum("amount"), count=Sum("count"), first=Min("first_award_date"))
        .order_by()
    )


def _summed(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """`rows` added up over everything but `keys`: amounts, counts and the first date."""
    sums = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        found = sums.setdefault(
            key,
            {**dict(zip(keys, key, strict=True)), "amount": Decimal(0), "count": 0, "first": None},
        )
        found["amount"] += row["amount"] or Decimal("0")
        found["count"] += row["count"]
        if row["first"] and (found["first"] is None or row["first"] < found["first"]):
            found["first"] = row["first"]
    return list(sums.values())


def _by_fund(fund_years: list[dict], direction: str) -> list[Total]:
    rows = [
        Total(
            row["fund__name"],
            row["amount"],
            row["count"],
            f"direction={direction}&status=awarded&fund={row['fund__slug']}",
        )
        for row in _summed(fund_years, ("fund__slug", "fund__name", "fund__direction"))
        if row["fund__direction"] == direction
    ]
    return sorted(rows, key=lambda total: (-total.amount, total.label))


def _by_year(fund_years: list[dict], direction: str) -> list[Total]:
    rows = _summed(fund_years, ("fund__direction", "financial_year"))
    return [
        Total(
            financial_year_label(row["financial_year"]),
            row["amount"],
            row["count"],
            f"direction={direction}&status=awarded&year={row['financial_year']}",
        )
        for row in sorted(rows, key=lambda row: -row["financial_year"])
        if row["fund__direction"] == direction
    ]


@dataclass
class DirectionSummary:
    direction: str
    label: str
    total: Decimal
    count: int
    by_fund: list[Total]
    by_year: list[Total]
    by_priority: list[Total]
    by_area: list[Total]


@dataclass
class ChartYear:
    label: str
    incoming: Decimal
    outgoing: Decimal


@dataclass
class FundingFigures:
    summaries: list[DirectionSummary]
    chart: list[ChartYear]


def funding_figures(years: int = CHART_YEARS) -> FundingFigures:
    """Every figure of the funding page: totals of awarded money by fund, financial year,
    priority and area for each direction, and the chart of the last `years` years.

    Read from the stored totals (`funding.totals`), counted again when awards change: three
    grouped queries over funds times years rows, whatever the number of awards. An award
    serving two priorities (or areas) counts in both: those figures overlap.
    """
    funding_totals_current()
    stored = FundingTotal.objects.filter(status=Award.Status.AWARDED)
    fund_years = _fund_years(stored)
    by_priority = _grouped(stored, "priority_id", "priority__title", filter_name="priority")
    by_area = _grouped(stored, "area_id", "area__name", filter_name="area")
    summaries = []
    for direction, label in Fund.Direction.choices:
        by_year = _by_year(fund_years, direction)
        summaries.append(
            DirectionSummary(
                direction,
                label,
                sum((row.amount or Decimal("0") for row in by_year), Decimal("0")),
                sum(row.count for row in by_year),
                by_fund=_by_fund(fund_years, direction),
                by_year=by_year,
                by_priority=by_priority[direction],
                by_area=by_area[direction],
            )
        )
    return FundingFigures(summaries, _chart(fund_years, years))


def funding_summary() -> list[DirectionSummary]:
    """Totals of awarded money by fund, financial year, priority and area, for each direction."""
    return funding_figures().summaries


def _chart(fund_years: list[dict], years: int) -> list[ChartYear]:
    """Awarded money in and out in the `years` financial years up to the latest with an award
    (never later than this year), oldest first: a chart of empty years helps no one."""
    today = timezone.localdate()
    this_year = financial_year_of(today)
    # the financial year of the latest award up to today: the latest year begun by today
    begun = [row["financial_year"] for row in fund_years if row["first"] and row["first"] <= today]
    if begun:
        this_year = min(this_year, max(begun))
    first = this_year - years + 1
    found = {
        (row["financial_year"], row["fund__direction"]): row["amount"]
        for row in _summed(fund_years, ("financial_year", "fund__direction"))
    }
    return [
        ChartYear(
            financial_year_label(year),
            found.get((year, Fund.Direction.INCOMING.value), Decimal("0")),
            found.get((year, Fund.Direction.OUTGOING.value), Decimal("0")),
        )
        for year in range(first, this_year + 1)
    ]


def last_years_chart(years: int = CHART_YEARS) -> list[ChartYear]:
    """Awarded money in and out in each of the last `years` financial years, oldest first."""
    return funding_figures(years).chart


def chart_bars(chart: list[ChartYear], height: int = 160) -> dict:
    """Bar geometry for the SVG chart: heights scaled to the largest figure."""
    largest = max([c.incoming for c in chart] + [c.outgoing for c in chart] + [Decimal("1")])
    bars = []
    for i, year in enumerate(chart):
        x = 40 + i * 110
        bars.append(
            {
                "year": year,
                "x_in": x,
                "x_out": x + 42,
                "x_label": x + 40,
                "h_in": int(year.incoming / largest * height),
                "h_out": int(year.outgoing / largest * height),
            }
        )
    for bar in bars:
        bar["y_in"] = 20 + height - bar["h_in"]
        bar["y_out"] = 20 + height - bar["h_out"]
    return {"bars": bars, "width": 40 + len(chart) * 110, "baseline": 20 + height}


def _priority_total(priority: Priority) -> Decimal | None:
    """Awarded money serving the priority, from the stored totals, asking in the same query
    whether any year waits to be counted again (then counting it first)."""
    total = (
        FundingTotal.objects.filter(status=Award.Status.AWARDED, priority=OuterRef("pk"))
        .order_by()
        .values("priority")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    row = (
        Priority.objects.filter(pk=priority.pk)
        .values(total=Subquery(total), waiting=Exists(FundingYearChange.objects.all()))
        .get()
    )
    if row["waiting"]:
        funding_totals_current()
        stored = FundingTotal.objects.filter(status=Award.Status.AWARDED, priority=priority)
        return stored.aggregate(total=Sum("amount"))["total"]
    return row["total"]


def priority_funding(priority: Priority, user) -> Part | None:
    """Awarded money serving a priority, for the priority's page: the total from the stored
    totals, and the twenty newest awards."""
    awards = (
        Award.objects.awarded()
        .filter(priorities=priority)
        .select_related("fund", "organisation")
        .order_by("-award_date")
    )
    total = _priority_total(priority)
    return Part(
        "funding/includes/_priority_funding.html",
        {"awards": list(awards[:20]), "total": total or Decimal("0"), "priority": priority},
        group=COST,
    )


# The award list's filters the stored totals can answer: one status, direction, fund set,
# year, and priority or area (not both: the totals hold no award by both).
SUMMED_FILTERS = {"direction", "status", "fund", "year", "priority", "area"}


def award_list_totals(filterset, awards) -> list[DirectionTotal]:
    """The money and number of the awards the list's filters found, for each direction: from
    the stored totals where the filters are theirs, else summed over `awards`."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    chosen = {
        name: value
        for name, value in cleaned.items()
        if name != "sort" and value is not None and not (isinstance(value, str) and not value)
    }
    if set(chosen) - SUMMED_FILTERS or {"priority", "area"} <= set(chosen):
        return awards.order_by().totals_by_direction()
    return funding_totals_by_direction(**chosen)


def funding_totals_by_direction(
    *, direction=None, status=None, fund=None, year=None, priority=None, area=None
) -> list[DirectionTotal]:
    """What `AwardQuerySet.totals_by_direction` gives for awards so filtered, from the stored
    totals: one query over funds times years rows. `fund` is the funds' records."""
    funding_totals_current()
    stored = FundingTotal.objects.filter(priority=priority, area=area)
    if direction:
        stored = stored.filter(fund__direction=direction)
    if status:
        stored = stored.filter(status=status)
    if fund is not None:
        stored = stored.filter(fund__in=fund)
    if year:
        stored = stored.filter(financial_year=int(year))
    return direction_totals(stored.aggregate(**_amount_and_count()), amount="amount")


@dataclass
class AwardTable:
    rows: list[Award]
    total: Decimal


def awarded_funding_table(
    *, direction: str, funds=(), financial_year=None, date_from=None, date_to=None
) -> AwardTable:
    """Awarded funding in one direction, of some funds (or all), in a financial year or a date
    range: the rows and their total, summed in the database. Two queries."""
    awards = Award.objects.awarded().filter(fund__direction=direction)
    if funds:
        awards = awards.filter(fund__slug__in=funds)
    if financial_year:
        awards = awards.in_financial_year(int(financial_year))
    if date_from:
        awards = awards.filter(award_date__gte=date_from)
    if date_to:
        awards = awards.filter(award_date__lte=date_to)
    rows = list(awards.select_related("fund", "organisation").order_by("fund__name", "pk"))
    total = awards.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return AwardTable(rows, total)


def funds_missing(slugs) -> list[str]:
    """Which of the fund `slugs` name no fund (any more), in the order given."""
    found = set(Fund.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [slug for slug in slugs if slug not in found]
