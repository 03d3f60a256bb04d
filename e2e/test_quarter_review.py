"""The approver reviews a whole quarter in a real browser: one return with a reason and every
other update approved in one POST, within the issue's budget of page loads and POSTs."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "2021-2025"
QUARTER = f"/plan/{PLAN}/quarters/2021-q3/"
MAX_PAGE_LOADS, MAX_POSTS = 4, 2


def submit_the_whole_quarter() -> list[int]:
    """Q3 2021/22 submitted for every active measure of the plan, as staff would leave it."""
    from django.contrib.auth import get_user_model

    from plan.models import MeasureUpdate, OutcomeMeasure, ReportingPeriod

    staff = get_user_model().objects.get(username="staff")
    period, _ = ReportingPeriod.objects.get_or_create(financial_year=2021, quarter=3)
    measures = OutcomeMeasure.objects.active().filter(priority__plan__slug=PLAN)
    updates = [
        MeasureUpdate(
            measure=measure,
            period=period,
            rag=("green", "amber", "red")[i % 3],
            direction="stable",
            commentary=f"Quarter 3: **progress** on {measure.short_label}.",
            status="submitted",
            submitted_by=staff,
            created_by=staff,
            updated_by=staff,
        )
        for i, measure in enumerate(measures)
    ]
    for update in updates:  # a bulk write does not save, so makes no HTML of its own
        update.commentary_render()
    return [u.pk for u in MeasureUpdate.objects.bulk_create(updates)]


def test_the_approver_returns_one_and_approves_the_rest_of_a_quarter_in_one_post(open_as, shots):
    from plan.models import MeasureUpdate

    pks = submit_the_whole_quarter()
    assert len(pks) >= 30
    approver = open_as("approver")
    traffic = count_traffic(approver)

    approver.goto(QUARTER)
    approver.get_by_role(
        "link", name=re.compile(r"^Review the quarter's submitted updates \(\d+\)$")
    ).click()
    expect(approver.locator("h1")).to_have_text("Review the submitted updates")
    expect(approver.locator("main")).to_contain_text(f"{len(pks)} updates are waiting")
    serious = [
        v["id"]
        for v in Axe().run(approver).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    shots(approver, "review")

    returned = pks[0]
    approver.locator(f"#row-{returned}").get_by_label("Return to staff").check()
    approver.fill(f"#id_reason_{returned}", "Say what the figure counts.")
    approver.get_by_role("button", name="Approve all shown").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text(
        f"You approved {len(pks) - 1} updates and returned 1 update to staff."
    )
    shots(approver, "after-review")

    assert len(traffic["loads"]) <= MAX_PAGE_LOADS, traffic["loads"]
    assert len(traffic["posts"]) <= MAX_POSTS, traffic["posts"]
    print(f"review of {len(pks)} updates: {len(traffic['loads'])} page loads, "
          f"{len(traffic['posts'])} POSTs")  # fmt: skip
    statuses = dict(MeasureUpdate.objects.filter(pk__in=pks).values_list("pk", "status"))
    assert statuses.pop(returned) == "returned"
    assert set(statuses.values()) == {"approved"}
    assert MeasureUpdate.objects.get(pk=returned).return_reason == "Say what the figure counts."


def test_a_return_without_a_reason_is_an_error_linked_to_that_reason(open_as):
    from plan.models import MeasureUpdate

    pks = submit_the_whole_quarter()
    approver = open_as("approver")
    approver.goto(QUARTER + "review/")
    approver.locator(f"#row-{pks[1]}").get_by_label("Return to staff").check()
    approver.get_by_role("button", name="Save decisions").click()
    summary = approver.locator(".govuk-error-summary")
    expect(summary).to_contain_text("is being returned")
    summary.get_by_role("link").first.click()
    expect(approver.locator(f"#id_reason_{pks[1]}")).to_be_focused()
    serious = [
        v["id"]
        for v in Axe().run(approver).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    assert set(MeasureUpdate.objects.filter(pk__in=pks).values_list("status", flat=True)) == {
        "submitted"
    }
