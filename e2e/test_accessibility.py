"""axe-core on every page of the URL map as each role; keyboard use; 400% zoom (320px)."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.django_db(transaction=True)

# The link of an alert email: an address with one alert waiting for confirmation.
SECRET = "axe-reader-link"


@pytest.fixture(autouse=True)
def alert_subscriber(portal):
    from alerts.models import Alert, Subscriber

    subscriber = Subscriber.objects.create(email="reader@example.org", secret=SECRET)
    Alert.objects.create(pk=1, subscriber=subscriber, what="papers", frequency="daily")


PUBLIC = [
    "/", "/accessibility/", "/privacy/", "/accounts/login/",
    "/plan/", "/plan/2021-2025/", "/plan/2021-2025/getting-tough-on-anti-social-behaviour/",
    "/plan/2021-2025/quarters/2021-q2/",
    "/plan/2021-2025/getting-tough-on-anti-social-behaviour/measures/1/history/",
    "/scrutiny/", "/scrutiny/meetings/", "/scrutiny/meetings/3/", "/scrutiny/meetings/?year=abc",
    "/scrutiny/actions/", "/scrutiny/actions/2/", "/scrutiny/panel/", "/scrutiny/panel/2021-10-12/",
    "/scrutiny/task-groups/", "/scrutiny/task-groups/neighbourhood-policing/",
    "/scrutiny/panel/members/", "/scrutiny/panel/members/1/",
    "/funding/", "/funding/awards/", "/funding/awards/?organisation=constab",
    "/funding/awards/1/", "/funding/funds/street-pastors-fund/",
    "/funding/organisations/", "/reports/", "/reports/2/", "/no-such-page/",
    "/reports/2/revisions/", "/reports/2/changes/", "/reports/2/changes/?from=2&to=2",
    "/reports/3/changes/",
    "/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/MQ/bad-token/",
    "/accounts/reset/done/",
    "/decisions/", "/decisions/?year=abc&money=yes", "/decisions/2021/001/", "/decisions/2/",
    "/decisions/forward-plan/",
    "/decisions/inspections/", "/decisions/inspections/?kind=abc&clock=overdue",
    "/decisions/inspections/101/", "/decisions/inspections/1/",
    "/transparency/", "/transparency/grants/", "/transparency/grants/2021-03/",
    "/transparency/grants/2021-05/", "/transparency/duties/budget-and-precept/",
    "/transparency/duties/crime-and-disorder-reduction-grants/", "/transparency/documents/101/",
    "/search/", "/search/?q=police", "/search/?q=police&kind=paper",
    "/alerts/new/", "/alerts/new/?what=search&q=police", "/alerts/new/?what=priority&priority=1",
    "/alerts/new/sent/", "/alerts/unsubscribed/", "/alerts/deleted/", f"/alerts/{SECRET}/",
    f"/alerts/{SECRET}/confirm/1/",
    f"/alerts/{SECRET}/remove/1/", f"/alerts/{SECRET}/unsubscribe/", f"/alerts/{SECRET}/delete/",
]  # fmt: skip
# Your account. The pages met only once while signing in (the code, the recovery codes when
# made) are checked on the way through, in test_two_factor.py.
ACCOUNT = [
    "/accounts/", "/accounts/email/", "/accounts/password_change/", "/accounts/two-factor/set-up/",
    "/alerts/",
]  # fmt: skip
STAFF = [
    "/plan/updates/40/edit/", "/plan/2021-2025/quarters/2021-q2/measures/6/new/",
    "/scrutiny/meetings/new/", "/scrutiny/meetings/3/edit/", "/scrutiny/meetings/3/topics/new/",
    "/scrutiny/meetings/3/papers/new/", "/scrutiny/actions/2/edit/", "/scrutiny/panel/new/",
    "/scrutiny/task-groups/new/", "/funding/awards/new/", "/funding/funds/new/",
    "/funding/organisations/new/", "/reports/new/", "/reports/2/edit/",
    "/reports/sections/1/edit/", "/reports/sections/1/delete/",
    "/scrutiny/meetings/3/publish/", "/scrutiny/panel/2021-10-12/publish/",
    "/scrutiny/task-groups/neighbourhood-policing/publish/",
    "/scrutiny/panel/2021-10-12/agenda/new/", "/scrutiny/panel/2021-10-12/agenda/13/edit/",
    "/scrutiny/panel/2021-10-12/agenda/13/remove/",
    "/scrutiny/panel/members/new/", "/scrutiny/panel/members/1/edit/",
    "/scrutiny/panel/members/1/publish/",
    "/scrutiny/panel/2021-10-12/attendance/", "/scrutiny/panel/2021-10-12/declarations/new/",
    "/scrutiny/panel/2021-10-12/minutes/",
    "/import/", "/import/requests/",
    "/decisions/new/", "/decisions/102/", "/decisions/forward-plan/new/",
    "/decisions/forward-plan/1/edit/", "/decisions/forward-plan/1/publication/",
    "/decisions/inspections/new/", "/decisions/inspections/101/edit/",
    "/decisions/inspections/101/publication/", "/decisions/inspections/101/recommendations/new/",
    "/decisions/inspections/101/recommendations/101/edit/",
    "/decisions/inspections/101/recommendations/101/delete/",
    "/decisions/inspections/101/recommendations/101/action/",
    "/decisions/inspections/101/history/", "/decisions/inspections/101/delete/",
    "/decisions/inspections/102/history/",
    "/transparency/documents/105/", "/transparency/duties/budget-and-precept/documents/new/",
    "/transparency/documents/101/edit/", "/transparency/documents/105/publication/",
]  # fmt: skip
RECOVERY_CODES = ["/accounts/two-factor/recovery-codes/"]
# The quarterly cycle: the quarter being entered (the demo's Q2 2021/22 is last quarter), its
# grid and review, and its page with a deadline set, with the days left and who has not started.
QUARTER = "/plan/2021-2025/quarters/2021-q3/"
STAFF_QUARTER = [QUARTER, QUARTER + "updates/"]
APPROVER_QUARTER = [QUARTER, QUARTER + "deadline/", QUARTER + "review/"]
PAGES = {
    None: PUBLIC,
    "panel": PUBLIC + ACCOUNT,
    "staff": PUBLIC + ACCOUNT + RECOVERY_CODES + STAFF + STAFF_QUARTER,
    "approver": PUBLIC + ACCOUNT + RECOVERY_CODES + STAFF
    + ["/reports/2/publish/", "/reports/2/withdraw/", "/reports/2/return/"]
    + ["/plan/2021-2025/measures/1/edit/", "/plan/2021-2025/withdraw/", "/plan/draft/publish/"]
    + ["/plan/draft/"]
    + ["/decisions/102/edit/", "/decisions/102/return/", "/decisions/101/publish/"]
    + APPROVER_QUARTER,
}  # fmt: skip
SERIOUS = {"serious", "critical"}
# axe-core's rules as it runs them, and target-size (WCAG 2.2 AA: touch targets at least 24 by
# 24 pixels), which it leaves off unless asked.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def give_the_quarter_a_deadline() -> None:
    """Q3 2021/22's updates due a fortnight from today, so its page shows the days left."""
    from plan.models import ReportingPeriod

    due = datetime.date.today() + datetime.timedelta(days=14)
    ReportingPeriod.objects.update_or_create(
        financial_year=2021, quarter=3, defaults={"updates_due": due}
    )


def give_a_draft_plan() -> None:
    """An illustrative draft plan with one priority and measure, as an import leaves a plan,
    so an approver's plan page and its publishing page have something to publish."""
    from plan.models import OutcomeMeasure, Plan, Priority

    plan, _ = Plan.objects.get_or_create(
        slug="draft",
        defaults={"title": "A draft plan (illustrative)", "police_area": "Illustrative",
                  "start_year": 2025, "end_year": 2029},
    )  # fmt: skip
    priority, _ = Priority.objects.get_or_create(
        plan=plan, slug="a-priority", defaults={"title": "A priority (illustrative)", "order": 1}
    )
    OutcomeMeasure.objects.get_or_create(
        priority=priority,
        order=1,
        defaults={"text": "A measure (illustrative)", "short_label": "A measure (illustrative)"},
    )


def give_a_paper_a_second_revision() -> None:
    """Paper 2 published again with a paragraph edited, so what changed has something to show
    (an edit made for the check, not a fact of the demo)."""
    from reports.models import Report
    from reports.services import report_publish

    report = Report.objects.get(pk=2)
    section = report.sections.filter(kind="text").first()
    first, *rest = section.body.split("\n\n")
    section.body = "\n\n".join([f"{first} (An edit made to check the comparison.)", *rest])
    section.save()
    report_publish(report=report, user=None, render_pack=False)


@pytest.mark.parametrize("role", list(PAGES), ids=["anonymous", "panel", "staff", "approver"])
def test_no_serious_or_critical_axe_violations_on_any_page(open_as, role):
    page = open_as(role)
    give_the_quarter_a_deadline()
    give_a_paper_a_second_revision()
    give_a_draft_plan()
    axe = Axe()
    found, counts = [], {}
    for url in PAGES[role]:
        page.goto(url)
        for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
            counts[violation["impact"]] = counts.get(violation["impact"], 0) + len(
                violation["nodes"]
            )
            counts.setdefault("rules", set()).add(violation["id"])
            if violation["impact"] in SERIOUS:
                for node in violation["nodes"]:
                    found.append(f"{url}: {violation['id']} ({violation['impact']}): "
                                 f"{violation['help']} at {node['target']}")  # fmt: skip
    print(f"axe, {role or 'anonymous'}, {len(PAGES[role])} pages: {counts}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", [None, "staff"], ids=["anonymous", "staff"])
def test_no_page_scrolls_sideways_at_400_percent_zoom(open_as, role):
    page = open_as(role, viewport={"width": 320, "height": 800})
    give_a_paper_a_second_revision()
    wide = []
    for url in PAGES[role]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{url}: {width}px")
    assert not wide, "\n".join(wide)


def test_the_skip_link_is_the_first_stop_and_takes_keyboard_users_to_main(open_as):
    page = open_as(None)
    page.goto("/plan/2021-2025/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); "
        "return s.outlineStyle + ' ' + s.boxShadow + ' ' + s.backgroundColor; })()"
    )
    assert outline != "none none rgba(0, 0, 0, 0)", "focus is visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


def test_focus_is_visible_on_links_and_buttons(open_as):
    page = open_as(None)
    page.goto("/accounts/login/")
    page.focus("input[type=submit]")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); "
        "return [s.outlineStyle, s.boxShadow, s.backgroundColor]; })()"
    )
    assert style[0] != "none" or style[1] != "none"


def test_axe_really_checks_the_page(open_as):
    """A guard against a silent no-op: a planted unlabelled input and image, and two touch
    targets too small and too close, must be reported."""
    page = open_as(None)
    page.goto("/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">\')'
    )
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<p>' + "
        "'<button style=\"width:10px;height:10px;padding:0\">a</button>'.repeat(2) + '</p>')"
    )
    response = Axe().run(page, options=AXE_OPTIONS).response
    rules = {violation["id"] for violation in response["violations"]}
    assert {"label", "image-alt", "target-size"} <= rules
