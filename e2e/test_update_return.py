"""An approver changes a submitted update and returns it to staff in a real browser: a return
without a reason shows the same page with the error linked to the reason and everything typed
kept; with a reason, the changes are saved with the return, and staff see it returned."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

MAX_PAGE_LOADS, MAX_POSTS = 3, 2
SERIOUS = {"serious", "critical"}
COMMENTARY = "Quarter 3: the figures for the county, rewritten by the approver."


def a_submitted_update():
    """One update of Q3 2021/22, submitted by staff, rated green."""
    from django.contrib.auth import get_user_model

    from plan.models import MeasureUpdate, OutcomeMeasure, ReportingPeriod

    staff = get_user_model().objects.get(username="staff")
    period, _ = ReportingPeriod.objects.get_or_create(financial_year=2021, quarter=3)
    measure = OutcomeMeasure.objects.active().filter(priority__plan__slug="2021-2025").first()
    return MeasureUpdate.objects.create(
        measure=measure, period=period, rag="green", direction="stable",
        commentary="Quarter 3: steady.", status="submitted", submitted_by=staff,
        created_by=staff, updated_by=staff,
    )  # fmt: skip


BUTTON_NAMES = "els => els.map(e => e.tagName === 'INPUT' ? e.value : e.textContent)"


def page_buttons(page) -> list[str]:
    """The names of the buttons in the page's main part, in order."""
    names = page.locator("main button, main input[type=submit]").evaluate_all(BUTTON_NAMES)
    return [name.strip() for name in names]


def test_an_approver_returns_a_changed_update_and_nothing_typed_is_lost(open_as, shots):
    from plan.models import MeasureUpdate

    update = a_submitted_update()
    approver = open_as("approver")
    traffic = count_traffic(approver)
    approver.goto(update.get_absolute_url())
    buttons = page_buttons(approver)
    assert {"Save changes", "Approve", "Return to staff"} <= set(buttons), buttons

    approver.locator("input[name=rag][value=red]").check()
    approver.fill("textarea[name=commentary]", COMMENTARY)
    approver.get_by_role("button", name="Return to staff").click()

    summary = approver.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the update is being returned")
    expect(approver.locator("input[name=rag][value=red]")).to_be_checked()
    expect(approver.locator("textarea[name=commentary]")).to_have_value(COMMENTARY)
    assert page_buttons(approver) == buttons  # the same buttons, not "Save draft" and "Submit"
    found = [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in Axe().run(approver).response["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
    ]
    assert not found, found
    shots(approver, "return-without-a-reason")
    summary.get_by_role("link", name="Enter why the update is being returned").click()
    reason = approver.get_by_label("Why is it being returned?")
    expect(reason).to_be_focused()
    update.refresh_from_db()
    assert (update.status, update.rag) == ("submitted", "green")  # nothing saved yet

    reason.fill("Say where the county figure comes from.")
    approver.get_by_role("button", name="Return to staff").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text(
        "Update returned to staff with your reason."
    )
    assert len(traffic["loads"]) <= MAX_PAGE_LOADS, traffic["loads"]
    assert len(traffic["posts"]) <= MAX_POSTS, traffic["posts"]
    print(f"return journey: {len(traffic['loads'])} page loads, {len(traffic['posts'])} POSTs")

    update = MeasureUpdate.objects.get(pk=update.pk)
    assert (update.status, update.rag, update.commentary) == ("returned", "red", COMMENTARY)

    staff = open_as("staff")
    staff.goto(update.get_absolute_url())
    expect(staff.locator(".govuk-summary-list").first).to_contain_text("Returned")
    expect(staff.locator(".govuk-warning-text")).to_contain_text(
        re.compile(r"Returned by .*: Say where the county figure comes from\.")
    )
    expect(staff.locator("input[name=rag][value=red]")).to_be_checked()
    expect(staff.locator("textarea[name=commentary]")).to_have_value(COMMENTARY)
