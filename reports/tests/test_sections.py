"""The section-kind registry: one module per kind, and everything else loops over it."""

import pytest
from django import forms

from reports import rendering, sections
from reports.forms import SectionForm
from reports.models import ReportSection
from reports.sections.kind import SectionKind
from reports.tests.factories import add_section, make_report
from scrutiny.tests.factories import make_task_group

EXPECTED_KINDS = ["text", "funding_table", "outcome_measures", "scrutiny_meetings",
                  "open_actions", "recommendations", "appendix"]  # fmt: skip


def test_every_kind_is_registered_in_the_order_editors_choose_from():
    assert [kind.value for kind in sections.section_kinds()] == EXPECTED_KINDS
    field_choices = ReportSection._meta.get_field("kind").choices
    assert [value for value, _label in field_choices] == EXPECTED_KINDS


def test_a_kind_no_longer_known_reads_as_text():
    assert sections.section_kind("no_such_kind").value == "text"


def test_two_kinds_cannot_share_a_value():
    class Imposter(SectionKind):
        value = "text"

    with pytest.raises(ValueError):
        sections.register(Imposter)
    assert type(sections.section_kind("text")).__name__ == "Text"


@pytest.fixture
def signed_kind():
    """A kind added as one class, as a new module would add it."""

    class Signed(SectionKind):
        value = "signed"
        label = "Signed statement"
        position = 65
        template = "reports/sections/recommendations.html"

        def form_fields(self, user):
            return {"signer": forms.CharField(label="Signed by")}

        def params_from(self, cleaned):
            return {"signer": cleaned.get("signer", "")}

        def errors(self, section):
            return [] if section.params.get("signer") else ["Say who signs it."]

        def data(self, section, report):
            return {"recommendations": [], "task_group": None}

    sections.register(Signed)
    yield Signed
    sections._kinds.pop("signed")


def test_a_new_kind_is_offered_asked_for_checked_and_rendered(db, signed_kind):
    assert ("signed", "Signed statement") in sections.kind_choices()
    report = make_report()
    form = SectionForm(
        data={"heading": "Statement", "body": "Signed below.", "signer": "The Chair"},
        instance=ReportSection(report=report, order=1),
        kind="signed",
    )
    assert "signer" in form.fields
    assert form.is_valid(), form.errors
    assert form.instance.params == {"signer": "The Chair"}
    section = add_section(report, kind="signed", params={})
    assert sections.section_errors(section) == ["Say who signs it."]
    context = rendering.paper_context(report)
    assert [rendered.section.kind for rendered in context["sections"]] == ["signed"]


def test_each_kind_asks_only_for_its_own_parameters(db):
    report = make_report()
    asked = {
        kind.value: set(SectionForm(instance=ReportSection(report=report), kind=kind.value).fields)
        for kind in sections.section_kinds()
    }
    base = {"heading", "body"}
    assert asked["text"] == asked["appendix"] == asked["scrutiny_meetings"] == base
    assert asked["funding_table"] == base | {
        "direction", "funds", "financial_year", "date_from", "date_to"
    }  # fmt: skip
    assert asked["outcome_measures"] == asked["open_actions"] == base | {"priorities"}
    assert asked["recommendations"] == base | {"task_group"}


def test_a_section_showing_a_quarter_needs_the_papers_quarter(db):
    section = add_section(make_report(), kind="scrutiny_meetings")
    assert sections.section_errors(section) == [
        "This section shows a quarter: choose the paper's quarter first."
    ]


def test_recommendations_of_an_unpublished_task_group_stop_publication_only(db):
    group = make_task_group(published=False)
    section = add_section(make_report(), kind="recommendations", params={"task_group": group.slug})
    assert sections.section_errors(section) == []
    problems = sections.section_publish_problems(section)
    assert problems == [f"the task group “{group}” is not published yet: publish it first."]
    assert rendering.paper_context(section.report)["sections"][0].data["recommendations"] == []
