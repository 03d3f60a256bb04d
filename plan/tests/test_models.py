import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from plan.models import Area, Plan, Priority, ReportingPeriod
from plan.tests.factories import make_period, make_plan, make_priority

QUARTERS = [
    (
        2021,
        1,
        datetime.date(2021, 4, 1),
        datetime.date(2021, 6, 30),
        "Quarter 1 2021/22 (1 April to 30 June 2021)",
    ),
    (
        2021,
        2,
        datetime.date(2021, 7, 1),
        datetime.date(2021, 9, 30),
        "Quarter 2 2021/22 (1 July to 30 September 2021)",
    ),
    (
        2021,
        3,
        datetime.date(2021, 10, 1),
        datetime.date(2021, 12, 31),
        "Quarter 3 2021/22 (1 October to 31 December 2021)",
    ),
    (
        2021,
        4,
        datetime.date(2022, 1, 1),
        datetime.date(2022, 3, 31),
        "Quarter 4 2021/22 (1 January to 31 March 2022)",
    ),
    (
        2023,
        4,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 31),
        "Quarter 4 2023/24 (1 January to 31 March 2024)",
    ),
    (
        1999 + 100,
        3,
        datetime.date(2099, 10, 1),
        datetime.date(2099, 12, 31),
        "Quarter 3 2099/00 (1 October to 31 December 2099)",
    ),
]


@pytest.mark.parametrize(("year", "quarter", "start", "end", "label"), QUARTERS)
def test_period_dates_and_label_are_derived_from_year_and_quarter(year, quarter, start, end, label):
    period = ReportingPeriod(financial_year=year, quarter=quarter)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.slug == f"{year}-q{quarter}"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2021, 3, 31), (2020, 4)),
        (datetime.date(2021, 4, 1), (2021, 1)),
        (datetime.date(2021, 9, 30), (2021, 2)),
        (datetime.date(2021, 12, 31), (2021, 3)),
        (datetime.date(2022, 1, 1), (2021, 4)),
    ],
)
def test_a_date_falls_in_the_right_quarter_across_the_year_boundary(day, expected):
    assert ReportingPeriod.containing(day) == expected


def test_previous_and_following_quarters_cross_financial_years():
    q4 = ReportingPeriod(financial_year=2021, quarter=4)
    q1 = ReportingPeriod(financial_year=2021, quarter=1)
    assert q4.following() == (2022, 1)
    assert q1.previous() == (2020, 4)


def test_one_period_per_quarter(db):
    make_period(2021, 2)
    with pytest.raises(IntegrityError):
        ReportingPeriod.objects.create(financial_year=2021, quarter=2)


def test_quarter_five_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        ReportingPeriod.objects.create(financial_year=2021, quarter=5)


def test_local_authority_needs_a_well_formed_gss_code(db):
    with pytest.raises(ValidationError, match="GSS code"):
        Area(kind="local_authority", name="Nowhere", slug="nowhere").full_clean()
    with pytest.raises(ValidationError, match="letter and eight digits"):
        Area(kind="local_authority", name="Nowhere", slug="nowhere", gss_code="123").full_clean()
    Area(kind="local_authority", name="Preston", slug="preston", gss_code="E07000123").full_clean()


@pytest.mark.parametrize(
    ("role", "offered_drafts"),
    [("anonymous", False), ("panel member", False), ("staff", True), ("approver", True)],
)
def test_a_draft_plans_priorities_are_offered_only_to_those_who_may_see_drafts(
    make_user, role, offered_drafts
):
    published = make_priority(make_plan(start_year=2021, end_year=2025))
    draft = make_priority(make_plan(status=Plan.Status.DRAFT, start_year=2025, end_year=2029))
    user = AnonymousUser() if role == "anonymous" else make_user(role)
    offered = list(Priority.objects.for_choices(user))
    assert published in offered
    assert (draft in offered) is offered_drafts
    if offered_drafts:
        assert offered == [draft, published]  # the newest plan first
