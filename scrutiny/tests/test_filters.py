"""The priority filters of the meeting list and the action tracker: a draft plan's priorities
are for office staff only, in the list of choices and as a value typed into the address."""

import pytest

from plan.models import Plan
from plan.tests.factories import make_plan, make_priority
from scrutiny.tests.factories import make_action, make_meeting, make_topic
from tests.helpers import soup, text

SEES_DRAFTS = {"anonymous": False, "panel member": False, "staff": True, "approver": True}
PAGES = ["/scrutiny/meetings/", "/scrutiny/actions/"]


@pytest.fixture
def plans(db):
    published = make_priority(make_plan(), title="Tackling anti-social behaviour")
    draft_plan = make_plan(status=Plan.Status.DRAFT, start_year=2025, end_year=2029)
    draft = make_priority(draft_plan, title="Draft priority under consultation")
    meeting = make_meeting(title="Meeting on the draft priority")
    make_topic(meeting, priorities=[draft], title="A topic")
    make_action(meeting, priority=draft, description="Action on the draft priority")
    make_action(make_meeting(title="Another meeting"), description="Another action")
    return {"published": published, "draft": draft}


def priority_choices(response) -> list[str]:
    select = soup(response).find("select", attrs={"name": "priority"})
    return [text(option) for option in select.find_all("option")]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", list(SEES_DRAFTS))
def test_priority_choices_hold_draft_plan_priorities_for_staff_only(client_for, plans, role, page):
    choices = priority_choices(client_for(role).get(page))
    assert "Tackling anti-social behaviour" in choices
    assert ("Draft priority under consultation" in choices) is SEES_DRAFTS[role]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_a_draft_plan_priority_in_the_address_is_refused_to_others(client_for, plans, role, page):
    response = client_for(role).get(page, {"priority": plans["draft"].pk})
    assert response.status_code == 200
    page_text = text(soup(response).main)
    assert "Choose a priority from the list" in page_text
    assert "Draft priority under consultation" not in page_text
    # The filter is ignored, not applied: the other rows are still listed.
    assert "Another meeting" in page_text or "Another action" in page_text


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_staff_filter_by_a_draft_plan_priority(client_for, plans, role):
    client = client_for(role)
    meetings = text(soup(client.get(PAGES[0], {"priority": plans["draft"].pk})).main)
    assert "Meeting on the draft priority" in meetings and "Another meeting" not in meetings
    actions = text(soup(client.get(PAGES[1], {"priority": plans["draft"].pk})).main)
    assert "Action on the draft priority" in actions and "Another action" not in actions
    assert "from the list" not in meetings + actions
