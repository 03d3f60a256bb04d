"""Funding pages, exports and forms as each role uses them."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from funding.models import Award, Fund
from funding.tests.factories import make_award, make_fund, make_org
from tests.helpers import ROLES, soup, text

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "360giving"


@pytest.fixture
def lancashire(db):
    for name in (
        "020_areas_lancashire",
        "025_reporting_periods",
        "030_plan_lancashire_2021_2025",
        "050_funding_lancashire",
    ):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)


PAGES = [
    "/funding/",
    "/funding/awards/",
    "/funding/awards/1/",
    "/funding/funds/project-adder/",
    "/funding/organisations/",
    "/funding/awards.csv",
    "/funding/360giving.json",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_funding_page_opens_for_every_role(client_for, lancashire, role):
    client = client_for(role)
    for url in PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("panel member", 403), ("staff", 200), ("approver", 200)],
)
def test_only_staff_open_the_funding_forms(client_for, lancashire, role, expected):
    client = client_for(role)
    for url in [
        "/funding/awards/new/",
        "/funding/awards/1/edit/",
        "/funding/funds/new/",
        "/funding/funds/project-adder/edit/",
        "/funding/organisations/new/",
        "/funding/organisations/1/edit/",
    ]:
        assert client.get(url).status_code == expected, url


def award_form(**changes):
    form = {
        "fund": "10",
        "organisation": "8",
        "title": "Chorley Street Pastors: winter patrols",
        "purpose": "",
        "status": "awarded",
        "amount": "2500",
        "amount_per_year": "",
        "years": "",
        "award_date_0": "1",
        "award_date_1": "6",
        "award_date_2": "2021",
        "ranking": "",
        "areas": ["103"],
        "priorities": ["1"],
        "beneficiaries": "",
        "projects": "",
        "notes": "",
    }
    return {**form, **changes}


def test_staff_record_an_award_and_the_totals_change(client_for, lancashire):
    client = client_for("staff")
    before = Award.objects.awarded().outgoing().total()
    response = client.post("/funding/awards/new/", award_form())
    award = Award.objects.get(title="Chorley Street Pastors: winter patrols")
    assert response["Location"] == award.get_absolute_url()
    page = text(soup(client.get("/funding/")).main)
    assert "£" + f"{before + Decimal('2500'):,.0f}" in page
    assert Award.objects.awarded().outgoing().total() == before + Decimal("2500")
    assert award.history.get().history_user.username.startswith("staff")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "0"}, "The amount must be more than £0"),
        ({"amount": "-10"}, "The amount must be more than £0"),
        ({"amount": "12.345"}, "no more than 2 decimal places"),
        ({"amount": "100000001"}, "£100,000,000 or less"),
        ({"amount": "lots"}, "Enter an amount in pounds"),
        ({"amount": ""}, "Enter the amount"),
        ({"organisation": ""}, "Select the recipient or bidder"),
        ({"ranking": "primary"}, "Only a bid or an expression of interest can be ranked"),
        ({"fund": "1", "organisation": "8"}, "goes to the office, the Constabulary"),
        ({"award_date_1": "13"}, "must be a real date"),
    ],
)
def test_bad_award_input_is_reported_and_nothing_is_saved(client_for, lancashire, changes, message):
    count = Award.objects.count()
    response = client_for("staff").post("/funding/awards/new/", award_form(**changes))
    assert response.status_code == 200
    assert message in text(soup(response).find(class_="govuk-error-summary"))
    assert Award.objects.count() == count


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"amount_min": "abc"}, "Enter an amount in pounds"),
        ({"fund": "nope"}, "No fund has “nope” in its name"),
        ({"organisation": "nobody at all"}, "No organisation has “nobody at all” in its name"),
        ({"year": "1066"}, "Choose a financial year"),
        ({"sort": "evil"}, "Choose a sort by"),
    ],
)
def test_nonsense_filters_give_a_message_and_the_rest_still_filter(
    client, lancashire, query, message
):
    response = client.get(
        "/funding/awards/", {**query, "direction": "incoming", "status": "awarded"}
    )
    assert response.status_code == 200
    assert message in text(soup(response).find(class_="govuk-error-summary"))
    assert by_direction(response) == {"incoming": Decimal("5768294")}


def by_direction(response):
    """The list's totals, direction by direction."""
    return {row.direction: row.total for row in response.context["filtered_totals"]}


def test_filters_and_the_filtered_total(client, lancashire):
    cases = [
        ({"fund": "street-pastors-fund"}, {"outgoing": Decimal("45490")}, 5),
        ({"year": "2019", "direction": "incoming"}, {"incoming": Decimal("313500")}, 1),
        (
            {"area": "114", "status": "awarded"},
            {"incoming": Decimal("745000"), "outgoing": Decimal("3500")},
            2,
        ),
        ({"amount_min": "1000000", "amount_max": "1200000"}, {"incoming": Decimal("2280000")}, 2),
        ({"q": "street pastors"}, {"outgoing": Decimal("45490")}, 5),
        ({"q": "ormskirk"}, {"outgoing": Decimal("3000")}, 1),
        ({"status": "expression_of_interest"}, {"incoming": Decimal("0")}, 3),
        ({"organisation": "2", "priority": "7"}, {"incoming": Decimal("1180000")}, 1),
    ]
    for query, totals, count in cases:
        response = client.get("/funding/awards/", query)
        assert (by_direction(response), response.context["paginator"].count) == (
            totals,
            count,
        ), query


def test_sorting_by_amount(client, lancashire):
    response = client.get(
        "/funding/awards/", {"sort": "-amount", "direction": "incoming", "status": "awarded"}
    )
    amounts = [a.amount for a in response.context["awards"]]
    assert amounts[0] == Decimal("1275000") and amounts == sorted(amounts, reverse=True)


def test_csv_applies_the_filter_and_round_trips(client, lancashire):
    query = {"direction": "incoming", "status": "awarded"}
    response = client.get("/funding/awards.csv", query)
    assert response["Content-Type"].startswith("text/csv") and response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    listed = client.get("/funding/awards/", query).context
    assert len(rows) == listed["paginator"].count == 12
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("5768294")
    assert [(t.direction, t.total) for t in listed["filtered_totals"]] == [
        ("incoming", Decimal("5768294"))
    ]
    project_adder = next(r for r in rows if r["title"] == "Project ADDER: Blackpool")
    assert (
        project_adder["areas"] == "Blackpool"
        and project_adder["organisation"] == "Lancashire Constabulary"
    )


def test_csv_neutralises_spreadsheet_formulas(client, db):
    make_award(make_fund(), title='=HYPERLINK("http://evil")')
    rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get("/funding/awards.csv").streaming_content).decode())
        )
    )
    assert rows[1][1].startswith("'=")


def package(client) -> dict:
    response = client.get("/funding/360giving.json")
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.skipif(
    not SCHEMAS.is_dir(), reason="the 360Giving schemas in ../shared/data are not here"
)
def test_360giving_export_validates_against_the_official_1_4_3_schemas(client, lancashire):
    import referencing
    import referencing.jsonschema
    from jsonschema import Draft202012Validator

    package_schema = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant_schema = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    grant_ref = package_schema["properties"]["grants"]["items"]["$ref"]
    resource = referencing.Resource(
        contents=grant_schema, specification=referencing.jsonschema.DRAFT202012
    )
    registry = referencing.Registry().with_resources(
        [(grant_ref, resource), (grant_schema["$id"], resource)]
    )
    validator = Draft202012Validator(
        package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    data = package(client)
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert len(data["grants"]) == 12  # the Commissioner's awarded grants only


def test_360giving_grants_carry_identifiers_amounts_and_locations(client, lancashire, settings):
    settings.THREESIXTYGIVING_PREFIX = "360G-test"
    grants = {g["title"]: g for g in package(client)["grants"]}
    assert not any("Project ADDER" in title for title in grants)  # incoming: not a grant made
    angels = grants["Blackpool & The Fylde Street Angels"]
    assert angels["id"].startswith("360G-test-")
    assert angels["amountAwarded"] == 13500 and angels["currency"] == "GBP"
    assert angels["awardDate"] == "2021-03-08"
    assert angels["recipientOrganization"][0]["name"] == "Blackpool & The Fylde Street Angels"
    codes = {(loc["geoCode"], loc["geoCodeType"]) for loc in angels["beneficiaryLocation"]}
    assert codes == {("E06000009", "UA"), ("E07000119", "NMD")}
    assert (
        sum(Decimal(str(g["amountAwarded"])) for g in grants.values())
        == Award.objects.awarded().outgoing().total()
    )


def test_priority_page_shows_funding_for_the_priority(client, lancashire):
    page = text(soup(client.get("/plan/2021-2025/targeting-dangerous-drivers/")).main)
    assert "No funding has been recorded against this priority yet." in page
    page = text(soup(client.get("/plan/2021-2025/tackling-burglary-and-robbery/")).main)
    assert "£745,000 awarded for this priority" in page


def test_an_organisation_name_must_be_unique(client_for, lancashire):
    response = client_for("staff").post(
        "/funding/organisations/new/", {"name": "Home Office", "kind": "government_department"}
    )
    assert "already exists" in text(soup(response).find(class_="govuk-error-summary"))


def test_money_is_shown_without_pence_when_whole(client, db):
    fund = make_fund()
    make_award(fund, amount="1275000.00", organisation=make_org(name="Whole"))
    make_award(fund, amount="13500.50", organisation=make_org(name="Pence"))
    page = text(soup(client.get(fund.get_absolute_url())).main)
    assert "£1,275,000" in page and "£13,500.50" in page and "£1,275,000.00" not in page


HUGE = "99999999999999999999"


@pytest.mark.parametrize("field", ["priorities", "areas"])
@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", ["1", HUGE]])
def test_an_out_of_range_choice_on_an_award_is_refused_in_words(
    client_for, lancashire, field, value
):
    award = Award.objects.get(pk=1)
    saved = (award.title, list(award.priorities.all()), list(award.areas.all()))
    response = client_for("staff").post(
        "/funding/awards/1/edit/", award_form(title="Changed", **{field: value})
    )
    assert response.status_code == 200
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "not one of the available choices" in summary
    award.refresh_from_db()
    assert (award.title, list(award.priorities.all()), list(award.areas.all())) == saved


@pytest.mark.parametrize("name", ["\U0001f600", "£££"])
@pytest.mark.parametrize("path", ["/funding/funds/new/", "/funding/funds/project-adder/edit/"])
def test_a_fund_name_with_nothing_to_make_an_address_from_asks_for_one(
    client_for, lancashire, path, name
):
    funds = list(Fund.objects.values_list("name", "slug"))
    response = client_for("staff").post(path, {"name": name, "slug": "", "direction": "outgoing"})
    assert response.status_code == 200
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "Enter a web address name" in summary
    assert list(Fund.objects.values_list("name", "slug")) == funds
    if "edit" in path:  # the page's own links still lead to the fund as it is saved
        assert soup(response).find("a", href="/funding/funds/project-adder/", string="Cancel")


def test_a_search_too_long_to_run_is_refused_in_words(client, lancashire):
    response = client.get("/funding/awards/", {"q": "A" * 100_000, "status": "awarded"})
    assert response.status_code == 200
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "Search must be 200 characters or fewer" in summary
    assert by_direction(response) == {
        "incoming": Award.objects.awarded().incoming().total(),
        "outgoing": Award.objects.awarded().outgoing().total(),
    }


@pytest.mark.parametrize("fund", ["\x00", "a\x00b"])
def test_a_null_character_in_the_address_is_refused_in_words(client_for, lancashire, fund):
    # PostgreSQL refuses NUL in text: the fund named in ?fund= must not reach the database.
    response = client_for("staff").get("/funding/awards/new/", {"fund": fund})
    assert response.status_code == 400
    assert "character that is not allowed" in text(soup(response).main)


def test_a_fund_cannot_take_the_web_address_of_the_add_page(client_for):
    from funding.models import Fund

    response = client_for("staff").post(
        "/funding/funds/new/", {"name": "New", "slug": "new", "direction": "outgoing"}
    )
    assert "That web address name is used by the portal itself" in text(soup(response).main)
    assert not Fund.objects.filter(slug="new").exists()


def test_the_filtered_list_shows_money_secured_and_granted_apart_never_summed(client, lancashire):
    from plan.models import Area

    blackpool = Area.objects.get(name="Blackpool")
    response = client.get("/funding/awards/", {"area": blackpool.pk, "year": "2020"})
    status = text(soup(response).find(attrs={"role": "status"}))
    assert "2 awards matching the filters" in status
    assert "Funding secured by the Commissioner £1,275,000 in 1 award" in status
    assert "The Commissioner's own grants £13,500 in 1 award" in status
    assert "1,288,500" not in status


def test_a_list_of_one_direction_shows_only_its_total(client, lancashire):
    response = client.get("/funding/awards/", {"fund": "street-pastors-fund"})
    status = text(soup(response).find(attrs={"role": "status"}))
    assert "The Commissioner's own grants £45,490 in 5 awards" in status
    assert "secured" not in status


def test_an_award_given_a_grant_identifier_shows_it_and_a_bad_one_is_refused(
    client_for, lancashire
):
    client = client_for("staff")
    client.post("/funding/awards/new/", award_form(identifier="360G-pcc-lancs-0012"))
    award = Award.objects.get(title="Chorley Street Pastors: winter patrols")
    assert award.identifier == "360G-pcc-lancs-0012"
    assert "360G-pcc-lancs-0012" in text(soup(client.get(award.get_absolute_url())).main)
    count = Award.objects.count()
    for bad, message in [
        ("grant 12", "Enter the grant identifier like 360G-pcc-lancs-0012"),
        ("360G-pcc-lancs-0012", "Another award has this grant identifier"),
    ]:
        response = client.post("/funding/awards/new/", award_form(identifier=bad, title="Other"))
        assert response.status_code == 200
        assert message in text(soup(response).find(class_="govuk-error-summary"))
    assert Award.objects.count() == count


def test_an_award_without_an_identifier_shows_the_one_the_portal_gives(
    client, lancashire, settings
):
    award = Award.objects.filter(identifier="").first()
    page = text(soup(client.get(award.get_absolute_url())).main)
    assert f"{settings.THREESIXTYGIVING_PREFIX}-{award.pk}" in page
