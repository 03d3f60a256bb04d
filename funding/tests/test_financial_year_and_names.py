"""An award's stored financial year on every way in; the award list's name boxes, their
suggestions, and the priority list of the plan in force."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from funding.models import Award, Organisation
from funding.tests.factories import make_award, make_fund, make_org
from plan.periods import financial_year_of
from plan.tests.factories import make_plan, make_priority
from tests.helpers import soup, text


def stored_year(award) -> int:
    return Award.objects.values_list("financial_year", flat=True).get(pk=award.pk)


@pytest.mark.django_db
def test_every_way_of_saving_an_award_stores_its_financial_year():
    fund = make_fund()
    march = make_award(fund, award_date="2021-03-31")  # a date given as text
    assert stored_year(march) == 2020
    march.award_date = datetime.date(2021, 4, 1)
    march.save(update_fields=["award_date"])
    assert stored_year(march) == 2021

    org = make_org()
    made = Award.objects.bulk_create(
        Award(fund=fund, organisation=org, title="Bulk", amount=1, award_date=day)
        for day in (datetime.date(2019, 1, 5), datetime.date(2019, 12, 5))
    )
    assert [stored_year(award) for award in made] == [2018, 2019]

    Award.objects.filter(pk=made[0].pk).update(award_date=datetime.date(2023, 6, 1))
    assert stored_year(made[0]) == 2023


@pytest.mark.django_db
def test_awards_loaded_from_the_seed_fixtures_have_their_financial_year():
    for name in ("020_areas_lancashire", "030_plan_lancashire_2021_2025"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    call_command("loaddata", "fixtures/050_funding_lancashire.json", verbosity=0)
    awards = list(Award.objects.values_list("award_date", "financial_year"))
    assert awards
    assert all(year == financial_year_of(day) for day, year in awards)


@pytest.fixture
def named(db):
    constabulary = make_org(name="Lancashire Constabulary", is_office_side=True)
    cadets = make_org(name="Lancashire Constabulary Cadets", is_office_side=True)
    trust = make_org(name="Preston Youth Trust")
    pastors = make_fund(name="Street pastors fund", slug="street-pastors-fund")
    safer = make_fund(name="Safer streets fund", slug="safer-streets", direction="incoming")
    make_award(safer, constabulary, title="Cameras for Preston")
    make_award(safer, cadets, title="Cadets' bikes")
    make_award(pastors, trust, title="Night patrols")
    return {"constabulary": constabulary, "trust": trust, "pastors": pastors}


def award_titles(response) -> set[str]:
    assert response.status_code == 200
    return {text(a) for a in soup(response).select("main table a[href^='/funding/awards/']")}


def test_typing_part_of_a_name_finds_the_awards_of_every_match(client, named):
    assert award_titles(client.get("/funding/awards/", {"organisation": "constab"})) == {
        "Cameras for Preston",
        "Cadets' bikes",
    }
    assert award_titles(client.get("/funding/awards/", {"fund": "STREETS"})) == {
        "Cameras for Preston",
        "Cadets' bikes",
    }


def test_a_whole_name_picked_from_the_list_finds_that_one_alone(client, named):
    response = client.get("/funding/awards/", {"organisation": "Lancashire Constabulary"})
    assert award_titles(response) == {"Cameras for Preston"}


def test_links_by_number_and_web_address_name_still_work_and_show_the_name(client, named):
    response = client.get("/funding/awards/", {"organisation": named["constabulary"].pk})
    assert award_titles(response) == {"Cameras for Preston"}
    box = soup(response).find("input", attrs={"name": "organisation"})
    assert box["value"] == "Lancashire Constabulary"
    assert box["list"] == "organisations-names"
    assert soup(response).find("datalist", id="organisations-names") is not None
    assert "Type part of its name" in text(soup(response).find(class_="portal-filter"))

    response = client.get("/funding/awards/", {"fund": "street-pastors-fund"})
    assert award_titles(response) == {"Night patrols"}
    assert soup(response).find("input", attrs={"name": "fund"})["value"] == "Street pastors fund"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"organisation": "Nobody"}, "No organisation has “Nobody” in its name"),
        ({"organisation": "999999999999999999999"}, "No organisation has"),
        ({"fund": "x" * 201}, "Fund must be 200 characters or fewer"),
    ],
)
def test_a_name_that_finds_nothing_says_so_and_the_rest_still_filter(client, named, query, message):
    response = client.get("/funding/awards/", {**query, "direction": "outgoing"})
    assert response.status_code == 200
    assert message in text(soup(response).find(class_="govuk-error-summary"))
    assert award_titles(response) == {"Night patrols"}


def test_the_names_list_offers_at_most_twenty_names_that_match(client, named):
    for n in range(25):
        make_org(name=f"Lancashire Parish Council {n:02}")
    response = client.get("/funding/names.json", {"list": "organisations", "q": "lancashire"})
    names = json.loads(response.content)["names"]
    assert len(names) == 20
    assert names[:2] == ["Lancashire Constabulary", "Lancashire Constabulary Cadets"]
    response = client.get("/funding/names.json", {"list": "funds", "q": "pastor"})
    assert json.loads(response.content) == {"names": ["Street pastors fund"]}


@pytest.mark.parametrize("typed", ["", "%", "_", "' OR 1=1 --", "ü" * 500])
def test_the_names_list_takes_any_text(client, named, typed):
    response = client.get("/funding/names.json", {"q": typed})
    assert response.status_code == 200
    names = json.loads(response.content)["names"]
    assert names == (sorted(o.name for o in Organisation.objects.all()) if not typed else [])


@pytest.mark.parametrize("query", [{"list": "users", "q": "a"}, {"list": "Funds"}])
def test_the_names_list_refuses_other_lists_with_a_message(client, named, query):
    response = client.get("/funding/names.json", query)
    assert response.status_code == 400
    assert "list=funds or list=organisations" in json.loads(response.content)["error"]


def test_the_priority_list_offers_the_plan_in_force_and_still_takes_older_links(client, db):
    year = financial_year_of(timezone.localdate())
    old = make_priority(make_plan(start_year=year - 6, end_year=year - 2), title="Old priority")
    now = make_priority(make_plan(start_year=year - 1, end_year=year + 3), title="Now priority")
    make_award(make_fund(), title="For the old priority").priorities.set([old])
    select = soup(client.get("/funding/awards/")).find("select", attrs={"name": "priority"})
    assert [text(option) for option in select.find_all("option")] == ["Any", now.title]

    response = client.get("/funding/awards/", {"priority": old.pk})
    assert award_titles(response) == {"For the old priority"}
    select = soup(response).find("select", attrs={"name": "priority"})
    assert text(select.find("option", selected=True)) == "Old priority"
