"""The home page's tasks about a quarter's deadline (staff) and what a panel member has in
front of them: the next panel meeting with its papers, and what changed since the last one."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from conftest import force_login_verified
from pcc_portal.roles import PANEL_MEMBER
from plan.tests.factories import make_period, make_plan_with_measures, make_update
from reports.models import Publication, Report
from reports.tests.factories import make_report
from scrutiny.tests.factories import at, make_action, make_meeting, make_panel_meeting
from tests.helpers import soup, text
from tests.test_home_page import tasks

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


# --- Staff: the days left to a quarter's deadline --------------------------------------------


@pytest.fixture
def drafts(db):
    plan, measures = make_plan_with_measures(priorities=1, measures_each=4)
    q3 = make_period(2021, 3, updates_due=days(12))
    make_update(measures[0], q3, status="draft")
    make_update(measures[1], q3, status="submitted")
    return plan, measures, q3


def test_staff_see_the_days_left_to_the_quarters_deadline_and_their_measures_not_started(
    client, make_user, drafts
):
    plan, measures, q3 = drafts
    staff = make_user("staff")
    for measure in (measures[0], measures[2]):  # one started, one not
        type(measure).objects.filter(pk=measure.pk).update(lead=staff)
    force_login_verified(client, staff)
    due = f"{days(12).day} {days(12):%B %Y}"
    shown = tasks(client)
    assert f"1 update in draft, not yet submitted, for {q3.label} Deadline {due}: 12 days left" in (
        shown
    )
    assert f"1 of your measures not started for {q3.label} Deadline {due}: 12 days left" in shown
    assert not any(f"2 measures not started for {q3.label}" in task for task in shown)
    links = [a["href"] for a in soup(client.get("/")).select(".portal-tasks a")]
    assert f"/plan/{plan.slug}/quarters/2021-q3/#not-started" in links


def test_approvers_see_every_measure_not_started(client_for, drafts):
    _plan, _measures, q3 = drafts
    shown = tasks(client_for("approver"))
    due = f"{days(12).day} {days(12):%B %Y}"
    assert f"2 measures not started for {q3.label} Deadline {due}: 12 days left" in shown
    assert not any("of your measures" in task for task in shown)  # they lead none


def test_staff_leading_no_measure_have_no_measures_not_started_task(client_for, drafts):
    assert not any("not started" in task for task in tasks(client_for("staff")))


@pytest.mark.parametrize("offset, words", [(0, "due today"), (-3, "3 days overdue")])
def test_staff_see_a_deadline_due_today_or_overdue(client_for, drafts, offset, words):
    _plan, _measures, q3 = drafts
    type(q3).objects.filter(pk=q3.pk).update(updates_due=days(offset))
    draft_task = next(t for t in tasks(client_for("staff")) if "in draft" in t)
    assert draft_task.endswith(words)


def test_without_a_deadline_no_measures_not_started_task(client_for, drafts):
    _plan, _measures, q3 = drafts
    type(q3).objects.filter(pk=q3.pk).update(updates_due=None)
    shown = tasks(client_for("staff"))
    assert not any("not started" in task for task in shown)
    assert f"1 update in draft, not yet submitted, for {q3.label}" in shown


# --- Panel members: the next meeting and what changed since the last one ---------------------


def published_on(report: Report, when: datetime.datetime) -> Report:
    """The paper as published then (its first publication), without rendering a PDF."""
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PUBLISHED)
    publication = Publication.objects.create(
        report=report, revision=1, html="<p>Paper</p>", pdf="reports/x.pdf", sha256="0" * 64
    )
    Publication.objects.filter(pk=publication.pk).update(published_at=when)
    return report


@pytest.fixture
def panel(db):
    """The last panel meeting 12 October 2021; the next one next year (and an unpublished one
    before it); papers, ratings and actions on both sides of the last meeting."""
    next_year = TODAY.year + 1
    earlier = make_panel_meeting("2021-06-01")
    last = make_panel_meeting("2021-10-12")
    make_panel_meeting(f"{next_year}-03-01", published=False)
    upcoming = make_panel_meeting(f"{next_year}-06-01")
    make_report(upcoming, title="Open paper for next", status="published")
    make_report(upcoming, title="Exempt paper for next", status="published", is_exempt=True)
    make_report(upcoming, title="Draft paper for next")
    after = at("2021-11-01")
    published_on(make_report(upcoming, title="New open paper"), after)
    published_on(make_report(upcoming, title="New exempt paper", is_exempt=True), after)
    published_on(make_report(last, title="Old paper"), at("2021-09-01"))
    # First published after the last meeting, but for it or an earlier one: not new.
    published_on(make_report(last, title="Late paper for the last meeting"), after)
    published_on(make_report(earlier, title="Paper for an earlier meeting"), after)

    _plan, measures = make_plan_with_measures(priorities=1, measures_each=5)
    q1, q2 = make_period(2021, 1), make_period(2021, 2)
    ratings = [
        ("green", "amber", after),  # worsened since the last meeting
        ("amber", "red", after),  # worsened
        ("green", "green", after),  # the same
        ("green", "red", at("2021-09-01")),  # worsened, but approved before the last meeting
        ("red", "green", after),  # improved
    ]
    for measure, (before, now, approved_at) in zip(measures, ratings, strict=True):
        make_update(measure, q1, status="approved", rag=before, approved_at=at("2021-07-20"))
        make_update(measure, q2, status="approved", rag=now, approved_at=approved_at)

    meeting = make_meeting(published=True)
    make_action(meeting, description="Newly overdue action", due_date=datetime.date(2021, 11, 1))
    make_action(meeting, description="Long overdue action", due_date=datetime.date(2021, 9, 1))
    make_action(meeting, description="Done action", due_date=datetime.date(2021, 11, 1),
                status="done", closed_on=datetime.date(2021, 10, 30))  # fmt: skip
    hidden = make_meeting(published=False)
    make_action(hidden, description="Unpublished action", due_date=datetime.date(2021, 11, 1))
    return last, upcoming, measures


def panel_section(client):
    page = soup(client.get("/"))
    next_item = page.select_one(".portal-tasks .portal-panel-next")
    since_item = page.select_one(".portal-tasks .portal-panel-since")
    return next_item, since_item


def test_a_panel_member_sees_the_next_meeting_with_its_papers(client_for, panel):
    _last, upcoming, _measures = panel
    next_item, _ = panel_section(client_for("panel member"))
    words = text(next_item)
    assert f"Next panel meeting: {upcoming.starts_at.day} June" in words
    assert next_item.find("a")["href"] == upcoming.get_absolute_url()
    assert "Open paper for next" in words and "Exempt paper for next" in words
    assert "Draft paper for next" not in words
    paper = Report.objects.get(title="Open paper for next")
    assert paper.get_absolute_url() in [a["href"] for a in next_item("a")]


def test_a_panel_member_sees_what_changed_since_the_last_meeting(client_for, panel):
    last, _upcoming, measures = panel
    _, since_item = panel_section(client_for("panel member"))
    words = text(since_item)
    assert "Since the last panel meeting (12 October 2021)" in words
    assert f"{measures[0].short_label} : rating worsened from Green (Q1 2021/22) to Amber" in words
    assert f"{measures[1].short_label} : rating worsened from Amber (Q1 2021/22) to Red" in words
    for unchanged in (measures[2], measures[3], measures[4]):
        assert f"{unchanged.short_label} :" not in words
    assert "Newly overdue action" in words
    assert "Long overdue action" not in words and "Done action" not in words
    assert "Unpublished action" not in words
    assert "New open paper" in words and "New exempt paper" in words
    assert "Old paper" not in words
    assert "Late paper for the last meeting" not in words
    assert "Paper for an earlier meeting" not in words
    links = [a["href"] for a in since_item("a")]
    assert last.get_absolute_url() in links
    assert f"{measures[0].priority.get_absolute_url()}#measure-{measures[0].pk}" in links
    assert Report.objects.get(title="New open paper").get_absolute_url() in links


def test_a_member_without_the_right_to_exempt_items_sees_none_of_them(client_for, panel):
    group = Group.objects.get(name=PANEL_MEMBER)
    group.permissions.remove(Permission.objects.get(codename="view_exempt_items"))
    next_item, since_item = panel_section(client_for("panel member"))
    words = text(next_item) + text(since_item)
    assert "Open paper for next" in words and "New open paper" in words
    assert "Exempt paper" not in words and "New exempt paper" not in words


def test_panel_tasks_empty_states_in_words(client_for, db):
    next_item, since_item = panel_section(client_for("panel member"))
    assert text(next_item) == "No panel meeting is scheduled."
    assert text(since_item) == "No panel meeting has been held yet."
    make_panel_meeting("2021-10-12")
    _, since_item = panel_section(client_for("panel member"))
    assert "No rating has worsened, no action has become overdue" in text(since_item)


@pytest.mark.parametrize("role", ["anonymous", "staff", "approver"])
def test_only_panel_members_have_the_panel_tasks(client_for, panel, role):
    next_item, since_item = panel_section(client_for(role))
    assert next_item is None and since_item is None


def test_the_public_home_page_stays_as_it_is(client_for, panel):
    page = soup(client_for("anonymous").get("/"))
    assert page.find("h2", string="Your tasks") is None
    assert "Exempt paper" not in text(page.main)


def grow_panel(n: int) -> None:
    """n more of everything the panel tasks list."""
    next_year = TODAY.year + 1
    upcoming = make_panel_meeting(f"{next_year}-06-01") if n == 1 else None
    from scrutiny.models import PanelMeeting

    upcoming = upcoming or PanelMeeting.objects.get(starts_at__year=next_year)
    last = PanelMeeting.objects.filter(starts_at__date=datetime.date(2021, 10, 12)).first()
    last = last or make_panel_meeting("2021-10-12")
    for _ in range(n):
        make_report(upcoming, status="published")
        published_on(make_report(upcoming), at("2021-11-01"))
        published_on(make_report(last), at("2021-11-01"))  # not new: for the last meeting
        _plan, measures = make_plan_with_measures(priorities=1, measures_each=2)
        for measure in measures:
            make_update(measure, make_period(2021, 1), status="approved", rag="green",
                        approved_at=at("2021-07-20"))  # fmt: skip
            make_update(measure, make_period(2021, 2), status="approved", rag="red",
                        approved_at=at("2021-11-01"))  # fmt: skip
        make_action(make_meeting(published=True), due_date=datetime.date(2021, 11, 1))


def test_the_panel_members_home_page_runs_the_same_queries_with_ten_times_the_data(
    client_for, django_assert_num_queries, db
):
    client = client_for("panel member")
    grow_panel(1)
    client.get("/")
    with django_assert_num_queries(QUERIES_FOR_PANEL_MEMBER):
        page = text(soup(client.get("/")).main)
    assert page.count("rating worsened") == 2
    assert page.count("paper published") == 1
    grow_panel(9)
    with django_assert_num_queries(QUERIES_FOR_PANEL_MEMBER):
        page = text(soup(client.get("/")).main)
    assert page.count("rating worsened") == 20
    assert page.count("paper published") == 10


def test_the_staff_home_page_runs_the_same_queries_with_ten_times_the_data(
    client_for, django_assert_num_queries, db
):
    client = client_for("staff")
    staff = get_user_model().objects.get(pk=client.session["_auth_user_id"])

    def grow(n):
        for _ in range(n):
            _plan, measures = make_plan_with_measures(priorities=1, measures_each=3)
            make_update(measures[0], make_period(2021, 3, updates_due=days(5)), status="draft")
            type(measures[1]).objects.filter(pk=measures[1].pk).update(lead=staff)

    grow(1)
    client.get("/")
    with django_assert_num_queries(QUERIES_FOR_STAFF):
        assert "not started" in text(soup(client.get("/")).main)
    grow(9)
    with django_assert_num_queries(QUERIES_FOR_STAFF):
        assert "not started" in text(soup(client.get("/")).main)


# The same whatever the number of meetings, papers, measures and actions.
QUERIES_FOR_PANEL_MEMBER = 16
# With the papers and decisions returned to staff, the HMICFRS comments falling due, and the
# duties of the register (one query here: there are none, so no source is read).
QUERIES_FOR_STAFF = 19
