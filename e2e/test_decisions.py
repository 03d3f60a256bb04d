"""A decision from draft to published notice in a real browser: staff record it and submit it,
the approver (the decision maker) signs it, which gives it its reference, and publishes it; the
public read the notice without its exempt part. Page loads and POSTs are counted."""

import re

import pytest
from playwright.sync_api import expect

from e2e.axe import serious_violations
from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Grant to a youth diversion project"
EXEMPT = "The charity's bank details and quoted salaries"
# Staff: the list, the form, its save (a POST and the notice), the submit (a POST and the
# notice again). The approver: the notice, the sign (POST and notice), the publish page, its
# POST and the notice.
MAX_STAFF_LOADS, MAX_STAFF_POSTS = 5, 2
MAX_APPROVER_LOADS, MAX_APPROVER_POSTS = 5, 2


def test_a_draft_decision_becomes_a_published_notice(open_as, shots):
    from decisions.models import Decision

    staff = open_as("staff")
    traffic = count_traffic(staff)
    staff.goto("/decisions/")
    staff.get_by_role("link", name="Record a decision").click()
    staff.get_by_label("Title").fill(TITLE)
    staff.fill("input[name=decision_date_0]", "14")
    staff.fill("input[name=decision_date_1]", "9")
    staff.fill("input[name=decision_date_2]", "2021")
    staff.get_by_label("Summary").fill("A year's grant to a project diverting young people.")
    staff.get_by_label("The decision", exact=True).fill("To award the grant for one year.")
    staff.get_by_label("Reasons for the decision").fill("It serves the plan's priorities.")
    staff.get_by_label("Amount (£, optional)").fill("£12,500")
    staff.locator("input[name=significant_public_interest][value=yes]").check()
    staff.get_by_label("Exempt part").fill(EXEMPT)
    staff.get_by_label("Reason the part is exempt").select_option("3")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("h1")).to_have_text(TITLE)
    expect(staff.locator("main")).to_contain_text("Draft")
    staff.get_by_role("button", name="Submit to be signed").click()
    expect(staff.locator("main")).to_contain_text("Waiting to be signed")
    assert len(traffic["loads"]) <= MAX_STAFF_LOADS, traffic["loads"]
    assert len(traffic["posts"]) <= MAX_STAFF_POSTS, traffic["posts"]
    staff_counts = (len(traffic["loads"]), len(traffic["posts"]))
    decision = Decision.objects.get(title=TITLE)
    assert decision.reference is None and decision.status == "submitted"

    approver = open_as("approver")
    traffic = count_traffic(approver)
    approver.goto(decision.get_absolute_url())
    approver.get_by_role("button", name="Sign the decision").click()
    # The demo's 2021/22 has decision 2021/001 already: this one is the next.
    expect(approver.locator(".govuk-caption-l")).to_have_text("Decision 2021/002")
    assert re.search(r"/decisions/2021/002/$", approver.url)
    approver.get_by_role("link", name="Publish").click()
    expect(approver.locator("main")).to_contain_text("except its exempt part")
    assert not serious_violations(approver)
    approver.get_by_role("button", name="Publish the decision").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("Published")
    assert len(traffic["loads"]) <= MAX_APPROVER_LOADS, traffic["loads"]
    assert len(traffic["posts"]) <= MAX_APPROVER_POSTS, traffic["posts"]
    approver_counts = (len(traffic["loads"]), len(traffic["posts"]))

    public = open_as(None)
    public.goto("/decisions/")
    public.get_by_role("link", name=f"2021/002: {TITLE}").click()
    main = public.locator("main")
    expect(main).to_contain_text("To award the grant for one year.")
    expect(main).to_contain_text("Part of this decision is not published")
    expect(main).not_to_contain_text(EXEMPT)
    assert not serious_violations(public)
    shots(public, "published-notice")
    print(
        f"decision journey: staff {staff_counts[0]} page loads, {staff_counts[1]} POSTs; "
        f"approver {approver_counts[0]} page loads, {approver_counts[1]} POSTs"
    )
