from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import Award, Organisation
from funding.tests.factories import make_award, make_fund, make_org


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "more than £0"),
        (Decimal("-5"), "more than £0"),
        (Decimal("100000000.01"), "£100,000,000 or less"),
    ],
)
def test_amount_must_be_positive_and_at_most_100_million(db, amount, message):
    award = Award(
        fund=make_fund(), organisation=make_org(), title="x", amount=amount, award_date="2021-03-08"
    )
    with pytest.raises(ValidationError, match=message):
        award.full_clean()


def test_awarded_money_needs_an_amount_but_a_bid_need_not_have_one(db):
    fund, org = make_fund(), make_org()
    with pytest.raises(ValidationError, match="Enter the amount"):
        Award(fund=fund, organisation=org, title="x", award_date="2021-03-08").full_clean()
    Award(
        fund=fund, organisation=org, title="x", award_date="2021-03-08", status="bid_submitted"
    ).full_clean()


def test_a_ranking_only_on_bids(db):
    award = Award(
        fund=make_fund(),
        organisation=make_org(),
        title="x",
        amount=Decimal("5"),
        award_date="2021-03-08",
        status="awarded",
        ranking="primary",
    )
    with pytest.raises(ValidationError, match="Only a bid or an expression of interest"):
        award.full_clean()
    award.status = "expression_of_interest"
    award.full_clean()


def test_secured_funding_must_go_to_the_offices_side(db):
    fund = make_fund("incoming")
    charity = make_org(kind="charity")
    award = Award(
        fund=fund, organisation=charity, title="x", amount=Decimal("5"), award_date="2021-03-08"
    )
    with pytest.raises(ValidationError, match="goes to the office, the Constabulary"):
        award.full_clean()
    award.organisation = make_org(kind="police_force", is_office_side=True)
    award.full_clean()
    # A council's bid that the Commissioner ranks may name the council.
    Award(
        fund=fund,
        organisation=charity,
        title="bid",
        award_date="2021-03-08",
        status="expression_of_interest",
        ranking="primary",
    ).full_clean()


def test_amount_a_year_times_years_gives_the_total(db):
    award = make_award(
        make_fund("incoming"), amount=None, amount_per_year=Decimal("197397"), years=2
    )
    assert award.amount == Decimal("394794")
    with pytest.raises(ValidationError, match="both the amount a year and the number of years"):
        Award(
            fund=award.fund,
            organisation=award.organisation,
            title="y",
            award_date="2021-03-08",
            amount=Decimal("1"),
            years=2,
        ).full_clean()


def test_an_incoming_funds_funder_may_be_not_recorded(db):
    from funding.models import Fund

    # the seed papers do not always say who gives the money: that is stored as not known
    Fund(name="Police Surge Fund", direction="incoming").full_clean()


def test_an_unsuccessful_bid_need_not_have_an_amount(db):
    Award(
        fund=make_fund(), organisation=make_org(), title="x", award_date="2018-12-10",
        status="unsuccessful",
    ).full_clean()  # fmt: skip


@pytest.mark.parametrize(
    "identifier", ["GB-CHC-1234567", "GB-COH-01234567", "GB-GOR-D18", "360G-pcc-portal-ORG-1"]
)
def test_org_identifiers_in_the_org_id_form_are_accepted(db, identifier):
    Organisation(name="A", org_identifier=identifier).full_clean()


@pytest.mark.parametrize("identifier", ["1234567", "charity 123", "GB CHC 1"])
def test_other_org_identifiers_are_refused(db, identifier):
    with pytest.raises(ValidationError, match="GB-CHC-1234567"):
        Organisation(name="A", org_identifier=identifier).full_clean()


def test_totals_count_awarded_money_only_and_stay_decimal(db):
    fund = make_fund()
    make_award(fund, amount="0.10")
    make_award(fund, amount="0.20")
    for status in ("expression_of_interest", "bid_submitted", "unsuccessful", "withdrawn"):
        make_award(fund, amount="1000", status=status)
    total = Award.objects.awarded().total()
    assert total == Decimal("0.30") and isinstance(total, Decimal)


@pytest.mark.parametrize(
    ("day", "year"),
    [("2021-03-31", 2020), ("2021-04-01", 2021), ("2022-01-15", 2021)],
)
def test_financial_year_runs_april_to_march(db, day, year):
    award = make_award(make_fund(), award_date=day)
    annotated = Award.objects.with_financial_year().get(pk=award.pk)
    assert annotated.financial_year == year
    assert Award.objects.in_financial_year(year).filter(pk=award.pk).exists()
    assert not Award.objects.in_financial_year(year + 1).filter(pk=award.pk).exists()
