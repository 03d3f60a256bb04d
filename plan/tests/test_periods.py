"""Financial years and quarters: labels, the year of a date, quarter slugs and choices."""

import datetime

import pytest
from django.utils import timezone

from plan.models import quarter_choices
from plan.periods import (
    financial_year_choices,
    financial_year_label,
    financial_year_of,
    quarter_from_slug,
    quarter_of,
    quarter_slug,
)
from plan.tests.factories import make_plan


@pytest.mark.parametrize(
    ("year", "label"),
    [(2021, "2021/22"), (2009, "2009/10"), (2098, "2098/99"), (2099, "2099/00"), (2100, "2100/01")],
)
def test_financial_years_are_labelled_across_the_century(year, label):
    assert financial_year_label(year) == label


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2022, 3, 31), 2021),
        (datetime.date(2022, 4, 1), 2022),
        (datetime.date(2022, 1, 1), 2021),
        (datetime.date(2021, 12, 31), 2021),
    ],
)
def test_a_financial_year_runs_from_1_april_to_31_march(day, year):
    assert financial_year_of(day) == year


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (datetime.date(2021, 4, 1), (2021, 1)),
        (datetime.date(2021, 6, 30), (2021, 1)),
        (datetime.date(2021, 7, 1), (2021, 2)),
        (datetime.date(2021, 12, 31), (2021, 3)),
        (datetime.date(2022, 1, 1), (2021, 4)),
        (datetime.date(2022, 3, 31), (2021, 4)),
    ],
)
def test_a_date_falls_in_one_quarter_of_its_financial_year(day, quarter):
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(("year", "quarter"), [(2021, 1), (2021, 4), (2099, 2)])
def test_quarter_slugs_round_trip(year, quarter):
    slug = quarter_slug(year, quarter)
    assert slug == f"{year}-q{quarter}"
    assert quarter_from_slug(slug) == (year, quarter)


@pytest.mark.parametrize(
    "slug",
    ["", "2021", "2021-q0", "2021-q5", "21-q1", "2021-Q2", "2021-q2x", " 2021-q2", "q2-2021", None],
)
def test_malformed_quarter_slugs_are_refused(slug):
    with pytest.raises(ValueError):
        quarter_from_slug(slug)


def test_financial_year_choices_run_from_this_year_back_to_2010(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2023, 5, 10))
    choices = financial_year_choices()
    assert choices[0] == ("2023", "2023/24")
    assert choices[-1] == ("2010", "2010/11")
    assert len(choices) == 14
    assert financial_year_choices(blank="Any year") == [("", "Any year"), *choices]


def test_quarter_choices_are_the_plans_quarters_up_to_the_next_one(db):
    make_plan(start_year=2020, end_year=2021)
    make_plan(start_year=2021, end_year=2025)
    choices = quarter_choices(timezone.make_aware(datetime.datetime(2022, 2, 10, 12, 0)))
    assert choices[0] == ("", "Not about a particular quarter")
    # In Q4 2021/22 the newest choice is the next quarter, Q1 2022/23.
    assert choices[1] == ("2022-q1", "Quarter 1 2022/23 (1 April to 30 June 2022)")
    assert choices[-1] == ("2020-q1", "Quarter 1 2020/21 (1 April to 30 June 2020)")
    assert len(choices) == 1 + 1 + 4 * 2


def test_without_a_plan_the_quarters_start_with_this_financial_year(db):
    choices = quarter_choices(timezone.make_aware(datetime.datetime(2022, 2, 10, 12, 0)))
    assert [slug for slug, _ in choices] == [
        "",
        "2022-q1",
        "2021-q4",
        "2021-q3",
        "2021-q2",
        "2021-q1",
    ]
