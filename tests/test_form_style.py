"""The forms' shared styling: exempt checkboxes with a question, one size of radios and
checkboxes, a row's actions in one line, hints before their buttons."""

import pytest
from django.urls import reverse

from plan.tests.factories import make_period, make_plan_with_measures
from reports.tests.factories import add_section, make_report
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db


def exempt_fieldset(page, name):
    checkbox = page.find("input", attrs={"name": name, "type": "checkbox"})
    fieldset = checkbox.find_parent("fieldset")
    legend = fieldset.find("legend")
    hint = fieldset.find(class_="govuk-hint")
    assert legend is not None and hint is not None
    assert legend.find_next_sibling(class_="govuk-hint") == hint  # the hint under the legend
    assert hint["id"] in fieldset["aria-describedby"]
    assert checkbox.find_parent(class_="govuk-checkboxes") is not None
    return text(legend), text(page.find("label", attrs={"for": checkbox["id"]}))


def test_a_papers_exempt_checkbox_has_a_legend_and_the_hint_under_it(client_for):
    report = make_report()
    page = soup(client_for("staff").get(reverse("reports:paper_edit", args=[report.pk])))
    legend, label = exempt_fieldset(page, "is_exempt")
    assert legend == "Exempt (Part II)" and "exempt" in label


def test_a_panel_meetings_exempt_checkbox_has_a_legend_and_the_hint_under_it(client_for):
    meeting = make_panel_meeting("2021-10-12")
    url = reverse("scrutiny:panel_meeting_edit", kwargs={"date": meeting.starts_at.date()})
    page = soup(client_for("staff").get(url))
    legend, _label = exempt_fieldset(page, "has_exempt_items")
    assert legend == "Exempt (Part II) items"


def test_a_paper_page_uses_one_size_of_radios_and_checkboxes(client_for):
    report = make_report()
    add_section(report, heading="One")
    html = client_for("staff").get(reverse("reports:paper_edit", args=[report.pk])).content
    assert b"govuk-radios--small" not in html and b"govuk-checkboxes--small" not in html


def test_a_sections_actions_sit_in_one_list_naming_the_section(client_for):
    report = make_report()
    for heading in ("First", "Second", "Third"):
        add_section(report, heading=heading)
    page = soup(client_for("staff").get(reverse("reports:paper_edit", args=[report.pk])))
    rows = page.find("table").find("tbody").find_all("tr")
    middle = rows[1].find(class_="portal-actions-list")
    items = middle.find_all("li", class_="portal-actions-list__item", recursive=False)
    assert [text(li).split(" ")[0] + " " + text(li).split(" ")[1] for li in items[2:]] == [
        "Move up",
        "Move down",
    ]
    for item in items:
        assert "Second" in text(item.find(class_="govuk-visually-hidden"))
    assert middle.find("button", class_="portal-action-button") is not None


def test_the_lock_hint_comes_before_its_button_and_describes_it(client_for):
    plan, _measures = make_plan_with_measures()
    make_period(2021, 2)
    url = reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": "2021-q2"})
    page = soup(client_for("approver").get(url))
    button = page.find("button", string="Lock this quarter")
    hint = page.find(id=button["aria-describedby"])
    assert "Locking stops" in text(hint)
    assert button.find_previous_sibling("p") == hint


def test_tags_together_sit_in_one_group(client_for):
    from reports.models import Report

    report = make_report(is_exempt=True)
    assert report.status == Report.Status.DRAFT
    page = soup(client_for("staff").get(reverse("reports:papers")))
    group = page.find(class_="portal-tags")
    assert [text(tag) for tag in group.find_all(class_="govuk-tag")] == [
        report.get_status_display(),
        "Exempt (Part II)",
    ]


def test_editing_a_record_from_before_the_plans_keeps_its_quarter_offered(client_for):
    """Older papers and meetings may report on a quarter before the first plan's: their edit
    pages still offer it, chosen, and no quarter before the plans besides."""
    from plan.models import ReportingPeriod
    from plan.tests.factories import make_plan
    from scrutiny.tests.factories import make_meeting

    make_plan(start_year=2021, end_year=2025)
    old = ReportingPeriod.get_or_create_for(2018, 2)
    report = make_report(period=old)
    meeting = make_meeting(period=old)
    client = client_for("staff")
    for url in (
        reverse("reports:paper_edit", args=[report.pk]),
        reverse("scrutiny:meeting_edit", args=[meeting.pk]),
    ):
        select = soup(client.get(url)).find("select", attrs={"name": "quarter"})
        chosen = select.find("option", selected=True)
        assert chosen is not None and chosen["value"] == "2018-q2", url
        assert "2018-q1" not in [option["value"] for option in select.find_all("option")]
