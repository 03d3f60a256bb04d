"""Publication gates and lost updates in a real browser: staff change what is published, the
public keep the approved version until an approver publishes; two people never lose an edit."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

MEETING = "/scrutiny/meetings/3/"
OLD_NOTE = "The Commissioner held his regular quarterly meeting with the Chief Constable."
NEW_NOTE = "The note of the meeting, corrected after the meeting."


def no_serious_axe_violations(page) -> None:
    results = Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, (page.url, serious)


def fits_320px(page) -> bool:
    page.set_viewport_size({"width": 320, "height": 800})
    fits = page.evaluate("document.documentElement.scrollWidth <= 320")
    page.set_viewport_size({"width": 1100, "height": 800})
    return fits


def test_staff_change_a_published_meeting_the_public_see_it_once_approved(open_as, shots):
    staff = open_as("staff")
    staff.goto(MEETING + "edit/")
    expect(staff.locator("main")).to_contain_text("waits for an approver to publish it")
    staff.fill("#id_note", NEW_NOTE)
    staff.click("input[name=save]")
    expect(staff.locator(".govuk-notification-banner").first).to_contain_text(
        "waiting for approval"
    )
    expect(staff.locator("main")).to_contain_text("Changes waiting for approval")
    no_serious_axe_violations(staff)
    shots(staff, "staff-sees-changes-waiting")

    public = open_as(None)
    public.goto(MEETING)
    expect(public.locator("main")).to_contain_text(OLD_NOTE)
    expect(public.locator("main")).not_to_contain_text(NEW_NOTE)
    expect(public.locator("main")).not_to_contain_text("Changes waiting for approval")

    approver = open_as("approver")
    approver.goto(MEETING + "publish/")
    review = approver.locator("main")
    expect(review).to_contain_text(OLD_NOTE)
    expect(review).to_contain_text(NEW_NOTE)
    no_serious_axe_violations(approver)
    assert fits_320px(approver)
    shots(approver, "approver-reviews")
    approver.get_by_role("button", name="Publish the changes").click()
    expect(approver.locator(".govuk-notification-banner").first).to_contain_text(
        "Changes published"
    )

    public.reload()
    expect(public.locator("main")).to_contain_text(NEW_NOTE)
    expect(public.locator("main")).not_to_contain_text(OLD_NOTE)
    shots(public, "public-sees-the-new-note")


def test_two_staff_editing_one_award_the_second_sees_both_versions(open_as, shots):
    first, second = open_as("staff"), open_as("staff")
    for page in (first, second):
        page.goto("/funding/awards/1/edit/")
    first.fill("#id_amount", "999999")
    first.click("input[name=save]")
    expect(first.locator(".govuk-notification-banner").first).to_contain_text("Award saved")
    second.fill("#id_title", "A title changed by the second person")
    second.click("input[name=save]")
    expect(second.locator(".govuk-error-summary")).to_contain_text("since you opened it")
    expect(second.locator("main table").first).to_contain_text("999,999")
    expect(second.locator("#id_title")).to_have_value("A title changed by the second person")
    no_serious_axe_violations(second)
    assert fits_320px(second)
    shots(second, "award-conflict")
