"""Funding totals, computed in the database from awarded awards (Sum over Decimal)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from funding.models import Award, Fund
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


def _by(queryset, key: str, label: str, *, filter_name: str, direction: str) -> list[Total]:
    rows = queryset.values(key, label).annotate(
        amount=Sum("amount"), count=Count("pk", distinct=True)
    )
    return [
        Total(
            row[label],
            row["amount"] or Decimal("0"),
            row["count"],
            f"direction={direction}&status=awarded&{filter_name}={row[key]}",
        )
        for row in rows.order_by("-amount", label)
        if row[key] is not None
    ]


def _by_year(queryset, direction: str) -> list[Total]:
    rows = (
        queryset.with_financial_year()
        .values("financial_year")
        .annotate(amount=Sum("amount"), count=Count("pk"))
        .order_by("-financial_year")
    )
    return [
        Total(
            financial_year_label(row["financial_year"]),
            row["amount"],
            row["count"],
            f"direction={direction}&status=awarded&year={row['financial_year']}",
        )
        for row in rows
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


def funding_summary() -> list[DirectionSummary]:
    """Totals of awarded money by fund, financial year, priority and area, for each direction.

    An award serving two priorities (or areas) counts in both: those figures overlap.
    """
    summaries = []
    for direction, label in Fund.Direction.choices:
        awarded = Award.objects.awarded().filter(fund__direction=direction)
        overall = awarded.aggregate(total=Sum("amount"), count=Count("pk"))
        summaries.append(
            DirectionSummary(
                direction,
                label,
                overall["total"] or Decimal("0"),
                overall["count"],
                by_fund=_by(
                    awarded, "fund__slug", "fund__name", filter_name="fund", direction=direction
                ),
                by_year=_by_year(awarded, direction),
                by_priority=_by(
                    awarded,
                    "priorities__pk",
                    "priorities__title",
                    filter_name="priority",
                    direction=direction,
                ),
                by_area=_by(
                    awarded, "areas__pk", "areas__name", filter_name="area", direction=direction
                ),
            )
        )
    return summaries


@dataclass
class ChartYear:
    label: str
    incoming: Decimal
    outgoing: Decimal


def last_years_chart(years: int = CHART_YEARS) -> list[ChartYear]:
    """Awarded money in and out in the `years` financial years up to the latest with an award
    (never later than this year), oldest first: a chart of empty years helps no one."""
    today = timezone.localdate()
    this_year = financial_year_of(today)
    latest = (
        Award.objects.awarded()
        .filter(award_date__lte=today)
        .aggregate(latest=Max("award_date"))["latest"]
    )
    this_year = min(this_year, financial_year_of(latest)) if latest else this_year
    first = this_year - years + 1
    rows = (
        Award.objects.awarded()
        .with_financial_year()
        .filter(financial_year__gte=first, financial_year__lte=this_year)
        .values("financial_year")
        .annotate(
            incoming=Sum("amount", filter=Q(fund__direction=Fund.Direction.INCOMING)),
            outgoing=Sum("amount", filter=Q(fund__direction=Fund.Direction.OUTGOING)),
        )
    )
    found = {row["financial_year"]: row for row in rows}
    chart = []
    for year in range(first, this_year + 1):
        row = found.get(year, {})
        chart.append(
            ChartYear(
                financial_year_label(year),
                row.get("incoming") or Decimal("0"),
                row.get("outgoing") or Decimal("0"),
            )
        )
    return chart


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


def priority_funding(priority: Priority, user) -> Part | None:
    """Awarded money serving a priority, for the priority's page."""
    awards = (
        Award.objects.awarded()
        .filter(priorities=priority)
        .select_related("fund", "organisation")
        .order_by("-award_date")
    )
    total = awards.aggregate(total=Sum("amount"))["total"]
    return Part(
        "funding/includes/_priority_funding.html",
        {"awards": list(awards[:20]), "total": total or Decimal("0"), "priority": priority},
        group=COST,
    )


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
