"""The award list's priority filter: a draft plan's priorities are for office staff only, in
the list of choices and as a value typed into the address."""

import pytest

from funding.tests.factories import make_award, make_fund
from plan.models import Plan
from plan.tests.factories import make_plan, make_priority
from tests.helpers import soup, text

SEES_DRAFTS = {"anonymous": False, "panel member": False, "staff": True, "approver": True}


@pytest.fixture
def plans(db):
    published = make_priority(make_plan(), title="Tackling anti-social behaviour")
    draft_plan = make_plan(status=Plan.Status.DRAFT, start_year=2025, end_year=2029)
    draft = make_priority(draft_plan, title="Draft priority under consultation")
    fund = make_fund()
    make_award(fund, title="Award for the draft priority").priorities.set([draft])
    make_award(fund, title="Another award")
    return {"published": published, "draft": draft}


@pytest.mark.parametrize("role", list(SEES_DRAFTS))
def test_priority_choices_hold_draft_plan_priorities_for_staff_only(client_for, plans, role):
    select = soup(client_for(role).get("/funding/awards/")).find(
        "select", attrs={"name": "priority"}
    )
    choices = [text(option) for option in select.find_all("option")]
    assert "Tackling anti-social behaviour" in choices
    assert ("Draft priority under consultation" in choices) is SEES_DRAFTS[role]


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_a_draft_plan_priority_in_the_address_is_refused_to_others(client_for, plans, role):
    response = client_for(role).get("/funding/awards/", {"priority": plans["draft"].pk})
    assert response.status_code == 200
    page = text(soup(response).main)
    assert "Choose a priority from the list" in page
    assert "Draft priority under consultation" not in page
    assert "Another award" in page  # the filter is ignored, not applied


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_staff_filter_awards_by_a_draft_plan_priority(client_for, plans, role):
    response = client_for(role).get("/funding/awards/", {"priority": plans["draft"].pk})
    page = text(soup(response).main)
    assert "Award for the draft priority" in page and "Another award" not in page
