"""Every list page on a phone (375px wide): no sideways page, captions whole, every value seen."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from e2e.test_accessibility import AXE_OPTIONS, SERIOUS, give_the_quarter_a_deadline

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 800}
QUARTER = "/plan/2021-2025/quarters/2021-q3/"
LIST_PAGES = {
    "staff": [
        QUARTER + "updates/", "/plan/2021-2025/quarters/2021-q2/", "/plan/2021-2025/",
        "/plan/2021-2025/getting-tough-on-anti-social-behaviour/", "/plan/updates/40/edit/",
        "/scrutiny/", "/scrutiny/actions/", "/scrutiny/meetings/", "/scrutiny/meetings/3/",
        "/scrutiny/panel/", "/scrutiny/panel/2021-03-08/", "/scrutiny/panel/members/",
        "/scrutiny/panel/members/1/", "/scrutiny/task-groups/",
        "/scrutiny/task-groups/neighbourhood-policing/",
        "/funding/", "/funding/awards/", "/funding/funds/street-pastors-fund/",
        "/funding/organisations/", "/reports/", "/reports/2/", "/reports/2/edit/",
    ],
    "approver": [QUARTER, QUARTER + "review/"],
}  # fmt: skip

# What a reader of a 375px screen would miss: the page scrolling sideways, a caption cut short,
# a table's value outside the screen unless its table scrolls in a region that says so.
PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) problems.push(`the page is ${root.scrollWidth}px wide`);
  const shown = (el) => el.getClientRects().length > 0 && !el.closest('.govuk-visually-hidden')
    && ![...ancestors(el)].some((a) => a.getBoundingClientRect().width <= 1);
  function* ancestors(el) { for (let a = el; a; a = a.parentElement) yield a; }
  for (const caption of document.querySelectorAll('caption')) {
    if (!shown(caption)) continue;
    const text = document.createRange();
    text.selectNodeContents(caption);
    const box = text.getBoundingClientRect();
    const wide = box.left < 0 || box.right > window.innerWidth;
    if (caption.scrollWidth > caption.clientWidth || wide) {
      problems.push(`caption cut short: ${caption.textContent.trim().slice(0, 60)}`);
    }
  }
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.textContent.trim() || !shown(cell)) continue;
    const region = cell.closest('.portal-table-scroll__region');
    const cue = region && region.parentElement.querySelector('.portal-table-scroll__cue');
    if (cue && shown(cue)) continue;
    const box = cell.getBoundingClientRect();
    if (box.left < 0 || box.right > window.innerWidth + 0.5) {
      problems.push(`off the screen: ${cell.textContent.trim().slice(0, 40)} (${box.right}px)`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("role", list(LIST_PAGES))
def test_every_list_page_reads_on_a_phone(open_as, role, shots):
    page = open_as(role, viewport=PHONE)
    give_the_quarter_a_deadline()
    axe = Axe()
    found = []
    for url in LIST_PAGES[role]:
        page.goto(url)
        found += [f"{url}: {problem}" for problem in page.evaluate(PROBLEMS)]
        for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
            if violation["impact"] in SERIOUS:
                found += [
                    f"{url}: {violation['id']} at {node['target']}" for node in violation["nodes"]
                ]
    assert not found, "\n".join(found)


def test_record_tables_stack_on_a_phone_and_keep_their_semantics(open_as, shots):
    page = open_as("staff", viewport=PHONE)
    page.goto("/scrutiny/actions/")
    shots(page, "actions-375")
    row = page.locator(".portal-table--stack tbody tr").first
    # Each value under its column's label, one block per row, the table still a table to
    # assistive technology.
    assert page.locator(".portal-table--stack thead th").first.bounding_box()["width"] <= 1
    assert row.locator(".portal-table__label").first.is_visible()
    assert row.locator(".portal-table__label").all_inner_texts()[:4] == [
        "Action", "Owner", "Due", "Status"
    ]  # fmt: skip
    table = page.get_by_role("table", name="Actions")
    assert table.get_by_role("columnheader", name="Owner").count() == 1
    assert table.get_by_role("row").count() > 1
    page.goto("/plan/2021-2025/quarters/2021-q3/updates/")
    shots(page, "quarter-grid-375", page.locator(".portal-grid-row").first)
    page.goto("/plan/2021-2025/quarters/2021-q2/")
    shots(page, "quarter-375", page.locator(".portal-table--stack").first)
    page.goto("/funding/")
    shots(page, "funding-375", page.locator(".portal-table-scroll").first)
    # A wide table scrolls in a region of its own, which takes keyboard focus, and says so
    # while the table is wider than the screen.
    region = page.get_by_role("region", name="By fund").first
    assert region.get_attribute("tabindex") == "0"
    cue = region.locator("xpath=..").get_by_text("Scroll sideways to see all columns")
    assert not cue.is_visible()
    region.locator("table").evaluate(
        "table => { table.style.minWidth = '800px'; "
        "table.caption.textContent += ' and more'.repeat(9); }"
    )
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    assert cue.is_visible()
    shots(page, "wide-table-375", region.locator("xpath=.."))
    assert page.evaluate(PROBLEMS) == []


def test_record_tables_are_tables_on_a_wide_screen(open_as):
    page = open_as("staff", viewport={"width": 1280, "height": 800})
    page.goto("/scrutiny/actions/")
    display = "getComputedStyle(document.querySelector('.portal-table--stack')).display"
    assert page.evaluate(display) == "table"
    assert not page.locator(".portal-table__label").first.is_visible()
    page.goto("/funding/")
    assert not page.get_by_text("Scroll sideways to see all columns").first.is_visible()


def test_the_phone_check_finds_what_a_reader_would_miss(open_as):
    """A guard: a planted table too wide for the screen, with a long caption, is reported."""
    page = open_as(None, viewport=PHONE)
    page.goto("/scrutiny/actions/")
    assert page.evaluate(PROBLEMS) == []
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<table style=\"display:block;overflow-x:auto\"><caption>' + 'Caption '.repeat(40) + "
        "'</caption><tr><td>' + 'Wide'.repeat(200) + '</td><td>Hidden</td></tr></table>')"
    )
    problems = page.evaluate(PROBLEMS)
    assert any(problem.startswith("caption cut short") for problem in problems), problems
    assert any(problem.startswith("off the screen: Hidden") for problem in problems), problems
