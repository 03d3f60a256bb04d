"""A second police area, end to end in the browser: an approver imports a made-up area's areas,
plan and quarterly figures (tests/transfer/another_area/) through the import pages, and the
approver publishes the imported draft plan from its page, and the public then read its plan
beside Lancashire's."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.test_publication import fits_320px, no_serious_axe_violations
from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

FILES = Path(__file__).resolve().parent.parent / "tests" / "transfer" / "another_area"
PLAN = "testshire-2024-2028"
TITLE = "Testshire Police and Crime Plan (test area)"
LANCASHIRE_PRIORITY = "Leading the Fight Against Crime"
# The approver: three imports of three page loads each (the import page, the preview, the
# result), and publishing the plan (its page, the confirmation, its page again).
# The public: the plans list, the plan, a quarter and the papers list.
APPROVER_LOADS = 12
PUBLIC_LOADS = 4


def import_file(page, label: str, name: str, summary: str) -> None:
    """Uploads one of the area's files as `label`, checks the preview, then confirms it."""
    page.goto("/import/")
    page.get_by_label(label, exact=True).check()
    page.get_by_label("Upload the spreadsheet").set_input_files(FILES / name)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("h1")).to_have_text("Check the import")
    expect(page.locator("main")).to_contain_text(summary)
    page.get_by_role("button", name=f"Import {label.lower()}").click()
    expect(page.locator("h1")).to_have_text("Import complete")


def publish_the_plan(page) -> None:
    """From the draft plan's page: the button, the confirmation saying what becomes public."""
    from django.urls import reverse

    page.goto(reverse("plan:plan", kwargs={"plan": PLAN}))
    page.get_by_role("link", name="Publish this plan").click()
    expect(page.locator("h1")).to_have_text("Publish the 2024-2028 plan?")
    main = page.locator("main")
    expect(main).to_contain_text("its 1 priority and the 1 national measure group")
    expect(main).to_contain_text("its 2 outcome measures")
    no_serious_axe_violations(page)
    page.get_by_role("button", name="Publish the plan").click()
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(main).to_contain_text("The 2024-2028 plan is published")


def test_an_approver_imports_another_area_and_the_public_read_it(open_as, shots):
    from django.urls import reverse

    from plan.models import Area, MeasureUpdate, Plan

    approver = open_as("approver")
    traffic = count_traffic(approver)
    import_file(approver, "Areas", "areas.csv", "3 rows to create, 0 to change")
    assert Area.objects.filter(name__endswith="(test area)").count() == 3
    import_file(approver, "Plans", "plan.csv", "6 rows to create, 0 to change")
    plan = Plan.objects.get(slug=PLAN)
    assert plan.status == Plan.Status.DRAFT  # an imported plan is not public yet
    publish_the_plan(approver)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED and plan.published_by is not None
    import_file(approver, "Quarterly figures", "updates.csv", "2 rows to create, 0 to change")
    assert MeasureUpdate.objects.filter(measure__priority__plan=plan).count() == 2
    assert len(traffic["loads"]) == APPROVER_LOADS, traffic["loads"]

    public = open_as(None)
    seen = count_traffic(public)
    assert public.goto(reverse("plan:plans")).ok
    main = public.locator("main")
    expect(main).to_contain_text(TITLE)
    expect(main).to_contain_text("Lancashire")  # both plans listed

    public.get_by_role("link", name=TITLE).click()
    expect(public.locator("h1")).to_contain_text(TITLE)
    assert public.url.endswith(reverse("plan:plan", kwargs={"plan": PLAN}))
    expect(main).to_contain_text("Safer roads")
    expect(main).not_to_contain_text(LANCASHIRE_PRIORITY)
    no_serious_axe_violations(public)

    assert public.goto(reverse("plan:quarter", kwargs={"plan": PLAN, "quarter": "2024-q1"})).ok
    expect(main).to_contain_text("Road casualties (test)")
    expect(main).to_contain_text("Homicide (test)")
    expect(main).not_to_contain_text(LANCASHIRE_PRIORITY)
    assert not re.search(r"Lancashire", main.inner_text()), "a Lancashire measure on the page"
    no_serious_axe_violations(public)
    assert fits_320px(public)
    shots(public, "testshire-quarter")

    assert public.goto(reverse("reports:papers")).ok
    expect(main.get_by_role("link").first).to_be_visible()  # Lancashire's papers are listed
    expect(main).not_to_contain_text("Testshire")  # the area has no papers yet

    assert len(seen["loads"]) == PUBLIC_LOADS, seen["loads"]
    loads = len(traffic["loads"]) + len(seen["loads"])
    print(f"another area journey: {loads} page loads, {len(traffic['posts'])} posts")
