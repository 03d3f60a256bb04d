"""The topic and action forms offer staff every plan's priorities, a draft plan's included."""

import pytest

from plan.models import Plan
from plan.tests.factories import make_plan, make_priority
from scrutiny.tests.factories import make_meeting
from tests.helpers import soup, text


@pytest.fixture
def priorities(db):
    make_priority(make_plan(start_year=2021, end_year=2025), title="Safer streets")
    draft_plan = make_plan(status=Plan.Status.DRAFT, start_year=2025, end_year=2029)
    make_priority(draft_plan, title="Draft priority")


def test_the_topic_form_offers_staff_draft_plan_priorities(client_for, priorities):
    page = soup(client_for("staff").get(f"/scrutiny/meetings/{make_meeting().pk}/topics/new/"))
    labels = [text(label) for label in page.select("input[name=priorities] + label")]
    assert labels == ["Draft priority (2025-2029)", "Safer streets (2021-2025)"]


def test_the_action_form_offers_staff_draft_plan_priorities(client_for, priorities):
    page = soup(client_for("staff").get(f"/scrutiny/meetings/{make_meeting().pk}/actions/new/"))
    options = [text(option) for option in page.select("select[name=priority] option")]
    assert options == [
        "Choose a priority",
        "Draft priority (2025-2029)",
        "Safer streets (2021-2025)",
    ]
