"""The quarterly cycle's pages render valid attributes: no layout option of a form (such as a
legend's size) leaks into the HTML as an attribute of an input."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from plan.tests.factories import make_period, make_plan_with_measures, make_update
from plan.tests.test_charts import nu_checker, nu_run
from scrutiny.tests.factories import make_panel_meeting

TODAY = datetime.datetime(2022, 1, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cycle(db):
    """Quarter 3 2021/22 with a deadline: drafts, submitted, returned and approved updates, one
    measure not started; a panel meeting held and one to come."""
    with time_machine.travel(TODAY, tick=False):
        plan, measures = make_plan_with_measures()
        period = make_period(2021, 3)
        type(period).objects.filter(pk=period.pk).update(updates_due=datetime.date(2022, 1, 21))
        statuses = ["draft", "submitted", "submitted", "returned", "approved"]
        for measure, status in zip(measures, statuses, strict=False):
            reason = "Say why the figure fell." if status == "returned" else ""
            make_update(measure, period, status=status, return_reason=reason)
        make_panel_meeting("2021-12-07")
        make_panel_meeting("2022-02-08")
        yield plan


def quarter_url(name: str, plan) -> str:
    return reverse(f"plan:{name}", kwargs={"plan": plan.slug, "quarter": "2021-q3"})


def pages_of_the_cycle(client_for, plan) -> dict[str, str]:
    """Each page of the quarterly cycle as the role that works on it sees it: the HTML by name."""
    pages = {}
    with time_machine.travel(TODAY, tick=False):
        for role, names in [
            ("staff", ["quarter_updates", "quarter"]),
            ("approver", ["quarter_review", "quarter", "quarter_deadline"]),
        ]:
            client = client_for(role)
            for name in names:
                pages[f"{name} ({role})"] = client.get(quarter_url(name, plan))
            pages[f"home ({role})"] = client.get("/")
            pages[f"email preferences ({role})"] = client.get(reverse("email_preferences"))
        pages["home (panel member)"] = client_for("panel member").get("/")
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


def test_no_layout_option_leaks_into_the_pages_as_an_attribute(client_for, cycle):
    for name, html in pages_of_the_cycle(client_for, cycle).items():
        assert "legend-size=" not in html, name
        assert "label-size=" not in html, name


def test_the_deadlines_date_input_has_a_small_legend(client_for, cycle):
    html = pages_of_the_cycle(client_for, cycle)["quarter_deadline (approver)"]
    assert 'class="govuk-fieldset__legend govuk-fieldset__legend--s"' in html
    assert 'name="updates_due_0"' in html


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_pages_of_the_cycle_are_valid_html(client_for, cycle, tmp_path):
    files = []
    for name, html in pages_of_the_cycle(client_for, cycle).items():
        files.append(tmp_path / (re.sub(r"\W+", "-", name).strip("-") + ".html"))
        files[-1].write_text(html)
    result = nu_run(*files)
    assert result.returncode == 0, result.stderr
