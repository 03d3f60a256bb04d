"""The Lancashire plan and areas in fixtures/ carry the facts of the seed documents."""

import pytest
from django.core.management import call_command

from plan.models import Area, MeasureUpdate, OutcomeMeasure, Plan, Priority

GSS_CODES = {
    "Blackburn with Darwen": "E06000008",
    "Blackpool": "E06000009",
    "Burnley": "E07000117",
    "Chorley": "E07000118",
    "Fylde": "E07000119",
    "Hyndburn": "E07000120",
    "Lancaster": "E07000121",
    "Pendle": "E07000122",
    "Preston": "E07000123",
    "Ribble Valley": "E07000124",
    "Rossendale": "E07000125",
    "South Ribble": "E07000126",
    "West Lancashire": "E07000127",
    "Wyre": "E07000128",
}


@pytest.fixture
def lancashire(db):
    for name in ("020_areas_lancashire", "025_reporting_periods", "030_plan_lancashire_2021_2025"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    return Plan.objects.get(slug="2021-2025")


def test_the_2021_2025_plan_has_its_title_and_period(lancashire):
    assert lancashire.title == "Leading the Fight Against Crime"
    assert (lancashire.police_area, lancashire.start_year, lancashire.end_year) == (
        "Lancashire",
        2021,
        2025,
    )
    assert lancashire.is_published


def test_five_local_priorities_in_the_plans_order(lancashire):
    titles = list(
        Priority.objects.filter(plan=lancashire, kind="local")
        .order_by("order")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Getting Tough on Anti-Social Behaviour",
        "Preventing and Disrupting Organised Crime",
        "Tackling Domestic Abuse and Sexual Violence",
        "Tackling Burglary and Robbery",
        "Targeting Dangerous Drivers",
    ]


def test_twenty_nine_local_outcome_measures_as_appendix_d_words_them(lancashire):
    local = OutcomeMeasure.objects.filter(priority__plan=lancashire, priority__kind="local")
    assert local.count() == 29
    per_priority = [p.measures.count() for p in lancashire.priorities.filter(kind="local")]
    assert per_priority == [4, 8, 8, 5, 4]
    first = local.get(priority__order=1, order=1)
    assert first.text == (
        "Improved public confidence in the police, measured through the 'Lancashire Talking' "
        "platform."
    )
    last = local.get(priority__order=5, order=4)
    assert last.text.startswith("An increase in the number of deployments of camera vans")


def test_six_national_crime_and_policing_measures_with_one_measure_each(lancashire):
    national = lancashire.priorities.filter(kind="national")
    assert national.count() == 6
    assert all(p.measures.count() == 1 for p in national)
    assert national.get(order=1).title == "Reduce murder and other homicides"


def test_the_23_what_i_will_do_commitments_of_seed_003_in_its_words(lancashire):
    local = lancashire.priorities.filter(kind="local").order_by("order")
    assert [p.commitments.count() for p in local] == [12, 0, 0, 11, 0]
    asb, burglary = local[0].commitments.order_by("order"), local[3].commitments.order_by("order")
    assert asb.first().text == (
        "Increase funding for additional neighbourhood policing officers to build a visible, "
        "effective and impactful police front line in neighbourhoods across Lancashire."
    )
    assert asb.last().text == (
        "Support victims of anti-social behaviour through my commissioned Lancashire Victim "
        "Services."
    )
    assert burglary.last().text == (
        "Champion community volunteers, such as Neighbourhood Watch to build resilient communities."
    )


def test_the_plans_introduction_gives_the_budget_and_precept_of_seed_004(lancashire):
    for figure in ("£319.391m", "£307.086m", "£226.45", "£15", "69%"):
        assert figure in lancashire.introduction
    assert "draft plan" in lancashire.introduction


def test_three_divisions_and_fourteen_local_authorities_with_gss_codes(lancashire):
    assert Area.objects.filter(kind="division").count() == 3
    authorities = Area.objects.filter(kind="local_authority")
    assert {a.name: a.gss_code for a in authorities} == GSS_CODES
    assert all(a.parent_id for a in authorities)
    east = Area.objects.get(name="East Division")
    assert set(east.local_authorities.values_list("name", flat=True)) == {
        "Blackburn with Darwen",
        "Ribble Valley",
        "Pendle",
        "Rossendale",
        "Hyndburn",
        "Burnley",
    }


def test_demo_updates_cover_two_quarters_of_2021_22(lancashire):
    call_command("loaddata", "fixtures/900_demo_quarterly_updates_2021_22.json", verbosity=0)
    quarters = set(MeasureUpdate.objects.values_list("period__financial_year", "period__quarter"))
    assert quarters == {(2021, 1), (2021, 2)}
    statuses = set(MeasureUpdate.objects.values_list("status", flat=True))
    assert statuses == {"approved", "submitted", "draft", "returned"}
