"""A whole quarter's cycle as its users live it, in one browser journey: staff enter every
outcome measure of the plan in the grid and submit them all; the approver returns one with a
reason and approves the rest; staff see the returned update on their home page, fix it and
submit it again; the approver approves it, and the quarter is fully approved.

Page loads and POSTs are counted against the issue's budgets and printed. axe runs on the grid,
the review and the home page with tasks; the grid and the review are checked at 320px wide.

The rows changed (kept valid whatever targets the measures are given: a rating is only ever
chosen on a row without a value, and the one value entered is on a measure with no desired
direction, which cannot have a target):
- "Public confidence", copied forward: new commentary.
- "Tackle cyber crime", copied forward: a value (later returned by the approver, and fixed on
  the update's own page with commentary saying what the figure counts).
- every row still "Not rated" after copying forward (the one copied Not rated, and the measures
  with no approved update last quarter): Amber, Stable, and commentary where there was none.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "2021-2025"
QUARTER = f"/plan/{PLAN}/quarters/2021-q3/"  # the demo's Q2 2021/22 is last quarter
LABEL = "Quarter 3 2021/22"
MEASURES = 35  # the demo plan's outcome measures: the budgets are for a whole plan
GRID_BUDGET = {"loads": 6, "posts": 3}
REVIEW_BUDGET = {"loads": 4, "posts": 2}
SERIOUS = {"serious", "critical"}

COMMENTARY_ROW = "Public confidence"
VALUE_ROW = "Tackle cyber crime"
RETURN_REASON = "Say what the figure counts and over which period."
FIXED_COMMENTARY = (
    "The value counts cyber-enabled frauds reported to Action Fraud by Lancashire residents "
    "in the quarter."
)


class Traffic:
    """The page loads (the main frame committing a document) and the navigating POSTs."""

    def __init__(self, page):
        self.loads: list[str] = []
        self.posts: list[str] = []
        page.on("framenavigated", lambda f: f == page.main_frame and self.loads.append(f.url))
        page.on(
            "request",
            lambda r: r.is_navigation_request() and r.method == "POST" and self.posts.append(r.url),
        )

    def reset(self) -> None:
        self.loads.clear()
        self.posts.clear()

    def report(self, step: str, budget: dict[str, int] | None = None) -> dict[str, int]:
        measured = {"loads": len(self.loads), "posts": len(self.posts)}
        limit = f" (budget {budget['loads']} and {budget['posts']})" if budget else ""
        print(f"{step}: {measured['loads']} page loads, {measured['posts']} POSTs{limit}")
        if budget:
            assert measured["loads"] <= budget["loads"], (step, self.loads)
            assert measured["posts"] <= budget["posts"], (step, self.posts)
        return measured


def no_serious_axe_violations(page) -> None:
    found = [
        f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {node['target']}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
    ]
    assert not found, "\n".join(found)


# The elements sticking out of a 320px page that are not inside a region scrolling on its own.
WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (scrolls(p)) return true;
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScroller(el))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${el.className}`);
}"""


def no_sideways_scroll_at_320px(page) -> None:
    """At 400% zoom (320px wide) the page itself does not scroll sideways: anything wider
    scrolls inside its own region."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(WIDE_ELEMENTS) if width > 320 else []
    finally:
        page.set_viewport_size(size)
    assert width <= 320, f"{page.url}: {width}px wide at 320px: {wide}"


def starting(text: str) -> re.Pattern:
    """A name starting with `text` (the slash escaped, as Playwright's selectors need)."""
    return re.compile("^" + re.escape(text).replace("/", r"\/"))


def grid_row(page, label: str):
    """The grid's row of the measure with this short label."""
    return page.locator(".portal-grid-row").filter(
        has=page.get_by_role("heading", name=label, exact=True)
    )


def review_row(page, label: str):
    return page.locator("section.portal-review-row").filter(
        has=page.get_by_role("heading", name=label, exact=True)
    )


def quarter_updates():
    from plan.models import MeasureUpdate

    return MeasureUpdate.objects.filter(
        period__financial_year=2021, period__quarter=3, measure__priority__plan__slug=PLAN
    )


def enter_the_whole_quarter(staff) -> None:
    """Step 1: staff open the grid, copy last quarter forward, change rows, save, submit all."""
    staff.goto(QUARTER)
    traffic = Traffic(staff)
    staff.get_by_role("link", name="Enter the quarter's updates").click()
    expect(staff.locator("h1")).to_contain_text(f"Enter the updates for {LABEL}")
    assert staff.locator(".portal-grid-row").count() == MEASURES

    staff.get_by_role("button", name="Copy last quarter forward").click()
    expect(staff.locator(".govuk-notification-banner").first).to_contain_text(
        re.compile(r"\d+ updates copied from last quarter")
    )
    no_serious_axe_violations(staff)
    no_sideways_scroll_at_320px(staff)

    grid_row(staff, COMMENTARY_ROW).get_by_label("Commentary").fill(
        "Confidence held steady: **78%** of residents surveyed trust the police locally."
    )
    grid_row(staff, VALUE_ROW).get_by_label("Value", exact=False).first.fill("1250")
    not_rated = staff.evaluate(
        """() => [...document.querySelectorAll("select[name$='-rag']")]
             .filter((s) => s.value === "not_rated").map((s) => s.name.slice(0, -4))"""
    )
    assert not_rated, "every row is rated already: nothing for staff to complete"
    for prefix in not_rated:
        staff.select_option(f"select[name='{prefix}-rag']", label="Amber")
        direction = staff.locator(f"select[name='{prefix}-direction']")
        if direction.input_value() in ("", "not_known"):
            direction.select_option(label="Stable")
        commentary = staff.locator(f"textarea[name='{prefix}-commentary']")
        if not commentary.input_value().strip():
            commentary.fill("Work continues with partners; the figures follow next quarter.")
    staff.get_by_role("button", name="Save drafts").click()
    expect(staff.locator(".govuk-notification-banner").first).to_contain_text(
        f"{len(not_rated) + 2} drafts saved."
    )

    staff.get_by_role("button", name="Submit all for approval").click()
    expect(staff.locator(".govuk-notification-banner").first).to_contain_text(
        f"{MEASURES} updates submitted for approval"
    )
    traffic.report("1. staff enter and submit the quarter (grid)", GRID_BUDGET)
    assert quarter_updates().filter(status="submitted").count() == MEASURES


def review_the_whole_quarter(approver) -> None:
    """Step 2: the approver returns one update with a reason and approves all the others."""
    traffic = Traffic(approver)
    approver.goto("/")
    tasks = approver.locator(".portal-tasks")
    tasks.get_by_role(
        "link", name=starting(f"{MEASURES} updates waiting for your approval for {LABEL}")
    ).click()
    expect(approver.locator("h1")).to_have_text("Review the submitted updates")
    expect(approver.locator("main")).to_contain_text(f"{MEASURES} updates are waiting")
    no_serious_axe_violations(approver)
    no_sideways_scroll_at_320px(approver)

    returned = review_row(approver, VALUE_ROW)
    returned.get_by_label("Return to staff").check()
    returned.locator("textarea").fill(RETURN_REASON)
    approver.get_by_role("button", name="Approve all shown").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text(
        f"You approved {MEASURES - 1} updates and returned 1 update to staff."
    )
    traffic.report("2. the approver reviews the quarter", REVIEW_BUDGET)
    statuses = dict(quarter_updates().values_list("measure__short_label", "status"))
    assert statuses.pop(VALUE_ROW) == "returned"
    assert set(statuses.values()) == {"approved"}


def fix_the_returned_update(staff, shots) -> None:
    """Step 3: staff find the returned update on their home page, fix it and submit it."""
    traffic = Traffic(staff)
    staff.goto("/")
    task = staff.locator(".portal-tasks li").filter(
        has_text=f"Returned for changes: {VALUE_ROW} (Q3"
    )
    expect(task).to_contain_text(f"Reason: {RETURN_REASON}")
    no_serious_axe_violations(staff)
    shots(staff, "3-home-returned")

    task.get_by_role("link").click()
    expect(staff.locator("h1")).to_have_text(VALUE_ROW)
    expect(staff.locator("main")).to_contain_text(RETURN_REASON)
    staff.get_by_label("Commentary").fill(FIXED_COMMENTARY)
    staff.get_by_role("button", name="Submit for approval").click()
    expect(staff.locator(".govuk-notification-banner").first).to_contain_text(
        "Update submitted for approval."
    )
    traffic.report("3. staff fix the returned update and submit it again")
    update = quarter_updates().get(measure__short_label=VALUE_ROW)
    assert (update.status, update.commentary) == ("submitted", FIXED_COMMENTARY)


def approve_the_fixed_update(approver, shots) -> None:
    """Step 4: the approver approves it; the quarter page shows every measure approved."""
    traffic = Traffic(approver)
    approver.goto("/")
    no_serious_axe_violations(approver)
    approver.locator(".portal-tasks").get_by_role(
        "link", name=starting(f"1 update waiting for your approval for {LABEL}")
    ).click()
    expect(approver.locator("main")).to_contain_text("1 update is waiting")
    expect(review_row(approver, VALUE_ROW)).to_contain_text("cyber-enabled frauds")
    approver.get_by_role("button", name="Approve all shown").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("You approved 1 update")
    traffic.report("4. the approver approves the fixed update")

    expect(approver).to_have_url(re.compile(f"{re.escape(QUARTER)}$"))
    expect(approver.locator("main")).to_contain_text(
        f"{MEASURES} of {MEASURES} outcome measures approved"
    )
    rows = approver.locator("main table tbody tr")
    expect(rows).to_have_count(MEASURES)
    expect(rows.filter(has_text="Approved")).to_have_count(MEASURES)
    shots(approver, "4-quarter-approved")
    assert set(quarter_updates().values_list("status", flat=True)) == {"approved"}


def test_a_whole_quarter_entered_reviewed_returned_fixed_and_approved(open_as, shots):
    from plan.models import OutcomeMeasure

    measures = OutcomeMeasure.objects.active().filter(priority__plan__slug=PLAN)
    assert measures.count() == MEASURES
    assert not quarter_updates().exists()

    staff, approver = open_as("staff"), open_as("approver")
    enter_the_whole_quarter(staff)
    review_the_whole_quarter(approver)
    fix_the_returned_update(staff, shots)
    approve_the_fixed_update(approver, shots)
