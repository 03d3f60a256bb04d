"""The plan's form fields: a quarter cleans to (financial year, quarter); priorities are
labelled with their plan's years."""

import pytest
from django import forms

from pcc_portal.display import value_display
from plan.fields import PrioritiesChoiceField, PriorityChoiceField, QuarterField
from plan.models import Priority, ReportingPeriod
from plan.tests.factories import make_plan, make_priority


class QuarterForm(forms.Form):
    quarter = QuarterField(label="Quarter")


@pytest.fixture(autouse=True)
def a_plan_from_2021(db):
    """The quarters offered are the plans' (from the first plan's start)."""
    make_plan(start_year=2021, end_year=2025)


def test_a_records_own_quarter_is_offered_in_its_place_though_before_the_plans():
    field = QuarterForm().fields["quarter"]
    assert "2018-q2" not in dict(field.choices)
    field.offer(ReportingPeriod(financial_year=2018, quarter=2))
    slugs = [slug for slug, _ in field.choices]
    assert slugs[-2:] == ["2021-q1", "2018-q2"]
    field.offer(ReportingPeriod(financial_year=2018, quarter=2))  # once only
    assert [slug for slug, _ in field.choices] == slugs


def test_a_chosen_quarter_cleans_to_its_financial_year_and_number():
    form = QuarterForm(data={"quarter": "2021-q2"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quarter"] == (2021, 2)


def test_no_quarter_chosen_cleans_to_none():
    form = QuarterForm(data={"quarter": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quarter"] is None


@pytest.mark.parametrize("tampered", ["2021-q5", "2015-q1", "2021", "<script>", "9999-q4"])
def test_a_quarter_not_offered_is_a_form_error(tampered):
    form = QuarterForm(data={"quarter": tampered})
    assert not form.is_valid()
    assert "Select a valid choice" in form.errors["quarter"][0]


def test_a_quarter_is_shown_in_words_whether_given_as_slug_or_tuple():
    field = QuarterForm().fields["quarter"]
    words = "Quarter 2 2021/22 (1 July to 30 September 2021)"
    assert value_display(field, "2021-q2") == words
    assert value_display(field, (2021, 2)) == words
    assert value_display(field, None) == "(blank)"


@pytest.mark.django_db
def test_priorities_are_labelled_with_their_plans_years():
    priority = make_priority(make_plan(start_year=2021, end_year=2025), title="Safer streets")
    queryset = Priority.objects.for_choices(None)
    for field in (PriorityChoiceField(queryset), PrioritiesChoiceField(queryset)):
        assert list(field.choices)[-1][1] == "Safer streets (2021-2025)"
    assert priority in queryset
