"""The fund and award forms offer staff every plan's priorities, a draft plan's included."""

import pytest

from funding.tests.factories import make_award, make_fund
from plan.models import Plan
from plan.tests.factories import make_plan, make_priority
from tests.helpers import soup, text


@pytest.mark.parametrize("page", ["/funding/funds/new/", "/funding/awards/new/", "edit award"])
def test_staff_forms_offer_draft_plan_priorities_labelled_with_their_years(client_for, page):
    make_priority(make_plan(start_year=2021, end_year=2025), title="Safer streets")
    draft_plan = make_plan(status=Plan.Status.DRAFT, start_year=2025, end_year=2029)
    make_priority(draft_plan, title="Draft priority")
    if page == "edit award":
        page = f"/funding/awards/{make_award(make_fund()).pk}/edit/"
    form = soup(client_for("staff").get(page)).find("main")
    labels = [text(label) for label in form.select("input[name=priorities] + label")]
    assert labels == ["Draft priority (2025-2029)", "Safer streets (2021-2025)"]
