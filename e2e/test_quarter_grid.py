"""A whole quarter entered in one screen, as staff would: copy last quarter forward, change a
row, save, submit all, within the issue's budget of page loads and POSTs; axe on the grid."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

GRID = "/plan/2021-2025/quarters/2021-q3/updates/"  # the demo's Q2 is last quarter
SERIOUS = {"serious", "critical"}


def count_navigation(page) -> dict[str, int]:
    """Counts the page's loads and the POSTs that navigated it, from now on."""
    counts = {"loads": 0, "posts": 0}
    page.on("load", lambda _: counts.__setitem__("loads", counts["loads"] + 1))

    def on_request(request):
        if request.is_navigation_request() and request.method == "POST":
            counts["posts"] += 1

    page.on("request", on_request)
    return counts


def no_serious_axe_violations(page) -> None:
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
    ]
    assert not found, "\n".join(found)


def test_staff_enter_and_submit_a_whole_quarter_within_the_budget(open_as, shots):
    from plan.models import MeasureUpdate

    staff = open_as("staff")
    counts = count_navigation(staff)
    staff.goto(GRID)
    expect(staff.locator("h1")).to_contain_text("Enter the updates for Quarter 3 2021/22")
    no_serious_axe_violations(staff)

    staff.get_by_role("button", name="Copy last quarter forward").click()
    banner = staff.locator(".govuk-notification-banner").first
    expect(banner).to_contain_text(re.compile(r"\d+ updates copied from last quarter"))
    copied = MeasureUpdate.objects.filter(
        period__financial_year=2021, period__quarter=3, copied_forward=True
    ).count()
    assert (
        copied
        == MeasureUpdate.objects.filter(
            period__financial_year=2021, period__quarter=2, status="approved"
        ).count()
    )
    no_serious_axe_violations(staff)
    shots(staff, "copied")

    first_commentary = staff.locator("textarea[name$='-commentary']").first
    first_commentary.fill("Partners met three times this quarter.")
    staff.get_by_role("button", name="Save drafts").click()
    expect(staff.locator(".govuk-notification-banner").first).to_contain_text("1 draft saved.")

    ready = (
        MeasureUpdate.objects.filter(period__financial_year=2021, period__quarter=3)
        .exclude(rag="not_rated")
        .exclude(direction="")
        .count()
    )
    staff.get_by_role("button", name="Submit all for approval").click()
    expect(staff.locator(".govuk-notification-banner").first).to_contain_text(
        f"{ready} updates submitted for approval"
    )
    expect(staff.locator("main")).to_contain_text("it has not been started")
    shots(staff, "submitted")

    submitted = MeasureUpdate.objects.filter(
        period__financial_year=2021, period__quarter=3, status="submitted"
    )
    assert submitted.count() == ready
    assert submitted.filter(commentary="Partners met three times this quarter.").count() == 1
    print(f"grid journey: {counts['loads']} page loads, {counts['posts']} POSTs")
    assert counts["loads"] <= 6 and counts["posts"] <= 3, counts
