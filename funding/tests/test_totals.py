"""Totals by each dimension, against hand sums of the Lancashire fixture."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from funding.models import Award
from funding.selectors import funding_summary, last_years_chart

FIXTURES = [
    "020_areas_lancashire",
    "025_reporting_periods",
    "030_plan_lancashire_2021_2025",
    "050_funding_lancashire",
]


@pytest.fixture
def lancashire(db):
    for name in FIXTURES:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    return {s.direction: s for s in funding_summary()}


def test_external_funding_of_seed_001_counts_both_years_of_the_isva_grant(lancashire):
    incoming = lancashire["incoming"]
    # The seed's own table printed £4,388,897, and its rows add up to £5,568,897: both count
    # one year of the £197,397 per annum for two years (CHISVAs £131,500, ISVAs £65,897).
    seed_001 = sum(
        Decimal(x)
        for x in [
            "598000",
            "131500",
            "65897",
            "745000",
            "98000",
            "1100000",
            "1180000",
            "1275000",
            "62000",
            "313500",
        ]
    )
    second_year = Decimal("131500") + Decimal("65897")
    natmsn = 2 * Decimal("1000")  # seed 002: 2 x £1,000, December 2018
    assert incoming.total == seed_001 + second_year + natmsn == Decimal("5768294")
    assert incoming.count == 12


def by(rows, label):
    return next(row for row in rows if row.label == label)


def test_totals_by_fund(lancashire):
    outgoing, incoming = lancashire["outgoing"], lancashire["incoming"]
    assert by(outgoing.by_fund, "Street pastors fund").amount == Decimal("45490")
    assert by(outgoing.by_fund, "Community Safety Partnership allocations").amount == Decimal(
        "29300"
    )  # £15,300 to Fylde + 4 x £3,500 for Operation Provide
    assert by(outgoing.by_fund, "Community Action Fund").amount == Decimal("112589")
    assert by(incoming.by_fund, "Additional victims services grant").amount == 2 * Decimal("197397")
    assert by(incoming.by_fund, "Safer Streets Fund").count == 1  # the three bids do not count


def test_totals_by_financial_year(lancashire):
    incoming, outgoing = lancashire["incoming"], lancashire["outgoing"]
    assert by(incoming.by_year, "2020/21").amount == Decimal("5452794")  # ISVAs: both years
    assert by(incoming.by_year, "2019/20").amount == Decimal("313500")  # Tasers, March 2020
    assert by(outgoing.by_year, "2018/19").amount == Decimal("165000")
    assert by(outgoing.by_year, "2020/21").amount == Decimal("45490") + Decimal("29300") + Decimal(
        "112589"
    )


def test_totals_by_priority_and_area(lancashire):
    incoming, outgoing = lancashire["incoming"], lancashire["outgoing"]
    domestic_abuse = by(incoming.by_priority, "Tackling Domestic Abuse and Sexual Violence")
    assert domestic_abuse.amount == Decimal("598000") + 2 * (
        Decimal("131500") + Decimal("65897")
    ) + Decimal("62000")
    assert by(incoming.by_area, "Blackpool").amount == Decimal("1275000")
    assert by(outgoing.by_area, "Burnley").amount == Decimal("3500")
    assert by(outgoing.by_area, "Blackpool").amount == Decimal("13500")


def test_every_figure_links_to_the_awards_behind_it(lancashire, client):
    row = by(lancashire["outgoing"].by_fund, "Street pastors fund")
    response = client.get(f"/funding/awards/?{row.query}")
    assert [(t.direction, t.total) for t in response.context["filtered_totals"]] == [
        ("outgoing", row.amount)
    ]
    assert response.context["paginator"].count == row.count == 5


def test_chart_covers_five_years_up_to_the_latest_award(lancashire):
    chart = last_years_chart()
    assert [c.label for c in chart] == ["2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
    assert chart[-1].incoming == Decimal("5452794")
    assert sum(c.incoming for c in chart) == Award.objects.awarded().incoming().total()
