"""The home page: the portal's page showing scrutiny's next panel meeting and the reports
app's latest papers through its slots."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from decisions.tests.factories import make_decision
from pcc_portal.services import record_save
from plan.tests.factories import make_period, make_plan_with_measures, make_update
from reports.models import Report
from reports.tests.factories import add_section, make_report, publish
from scrutiny.models import PanelMember
from scrutiny.tests.factories import make_action, make_meeting, make_panel_meeting
from tests.helpers import soup, text


@pytest.fixture
def office(db):
    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)


def test_home_page_shows_the_latest_papers_the_visitor_may_read(client_for, office, settings,
                                                                 tmp_path, make_user):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    approver = make_user("approver")
    for title, exempt in (("Open paper", False), ("Closed paper", True)):
        report = make_report(title=title, is_exempt=exempt)
        add_section(report, body="Text.")
        publish(report, approver)
    public = text(soup(client_for("anonymous").get("/")).main)
    assert "Open paper" in public and "Closed paper" not in public
    member = text(soup(client_for("panel member").get("/")).main)
    assert "Closed paper" in member


def test_the_home_page_shows_the_next_panel_meeting_and_the_latest_papers(client, db):
    next_year = timezone.localdate().year + 1
    make_panel_meeting(f"{next_year}-06-01")
    later = make_panel_meeting(f"{next_year}-09-01")
    type(later).objects.filter(pk=later.pk).update(venue="Not the next one")
    past = make_panel_meeting("2021-03-08")
    make_report(past, title="Published paper", status="published")
    make_report(past, title="Draft paper")
    page = text(soup(client.get("/")).main)
    assert "The next meeting of the" in page and "County Hall, Preston" in page
    assert "Not the next one" not in page
    assert "Latest papers" in page and "Published paper" in page
    assert "Draft paper" not in page


def test_the_home_page_without_meetings_or_papers_shows_neither(client, db):
    page = text(soup(client.get("/")).main)
    assert "The next meeting of the" not in page and "Latest papers" not in page


@pytest.fixture
def quarter_of_work(db):
    """A quarter with updates in every state, an overdue action and a paper with a held change."""
    plan, measures = make_plan_with_measures(priorities=2, measures_each=3)
    q3 = make_period(2021, 3)
    statuses = ["draft", "draft", "submitted", "submitted", "submitted", "returned"]
    for measure, status in zip(measures, statuses, strict=True):
        reason = "Add the figure for November." if status == "returned" else ""
        make_update(measure, q3, status=status, return_reason=reason)
    make_action(make_meeting(published=True), due_date=datetime.date(2021, 1, 10))
    return plan, measures, q3


def tasks(client) -> list[str]:
    heading = soup(client.get("/")).find("h2", string="Your tasks")
    if heading is None:
        return []
    return [" ".join(li.get_text(" ", strip=True).split()) for li in heading.find_next("ul")("li")]


def test_staff_see_returned_updates_with_the_reason_drafts_and_overdue_actions(
    client_for, quarter_of_work
):
    plan, measures, q3 = quarter_of_work
    shown = tasks(client_for("staff"))
    assert shown == [
        f"Returned for changes: {measures[5].short_label} (Q3 2021/22)"
        " Reason: Add the figure for November.",
        f"2 updates in draft, not yet submitted, for {q3.label}",
        "1 action is past the due date",
    ]
    links = [a["href"] for a in soup(client_for("staff").get("/")).select(".portal-tasks a")]
    assert links[0] == measures[5].updates.get().get_absolute_url()
    assert links[1] == f"/plan/{plan.slug}/quarters/2021-q3/updates/"
    assert links[2] == "/scrutiny/actions/?overdue=on"


def test_approvers_see_what_waits_for_their_approval(client_for, quarter_of_work):
    plan, _measures, q3 = quarter_of_work
    shown = tasks(client_for("approver"))
    assert f"3 updates waiting for your approval for {q3.label}" in shown
    links = [a["href"] for a in soup(client_for("approver").get("/")).select(".portal-tasks a")]
    assert f"/plan/{plan.slug}/quarters/2021-q3/review/" in links


def test_panel_members_have_only_the_panel_tasks_and_the_public_none(client_for, quarter_of_work):
    assert tasks(client_for("anonymous")) == []
    assert tasks(client_for("panel member")) == [
        "No panel meeting is scheduled.",
        "No panel meeting has been held yet.",
    ]


def test_an_approver_sees_a_paper_whose_changes_wait_for_publication(
    client_for, settings, tmp_path, make_user
):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(title="Budget paper")
    add_section(report, body="Text.")
    publish(report, make_user("approver"))
    assert not tasks(client_for("approver"))
    published = Report.objects.get(pk=report.pk)
    published.title = "Budget paper, revised"  # held: the paper is published
    record_save(instance=published, user=make_user("staff"), expected_version=published.version)
    waiting = "Changes to “Budget paper” wait for you to publish them"
    assert tasks(client_for("approver")) == [waiting]
    assert tasks(client_for("staff")) == []


@pytest.mark.parametrize("scale", [1, 10])
def test_the_home_page_runs_a_fixed_number_of_queries_for_an_approver(
    client_for, django_assert_num_queries, scale, db
):
    for _ in range(scale):
        _plan, measures = make_plan_with_measures(priorities=1, measures_each=3)
        for quarter, measure in zip((1, 2, 3), measures, strict=True):
            make_update(measure, make_period(2021, quarter), status="returned")
        make_action(make_meeting(published=True), due_date=datetime.date(2021, 1, 10))
        PanelMember.objects.create(name="Member N", term_start=datetime.date(2021, 1, 1))
        make_decision(status="submitted")
        make_decision(status="returned", return_reason="Add the options")
    client = client_for("approver")
    client.get("/")
    with django_assert_num_queries(QUERIES_FOR_APPROVER):  # the same at 1x and 10x
        assert client.get("/").status_code == 200


# The same whatever the number of updates, actions, papers, panel members, imports and
# decisions waiting, and of inspections whose comments fall due (one query, decisions' part),
# and of duties and their documents (two here: the duties, none, and the documents waiting).
QUERIES_FOR_APPROVER = 22


def test_a_superuser_without_a_role_is_told_what_they_see(client, db, login_verified):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-long-1234")
    login_verified(admin)
    page = text(soup(client.get("/")).main)
    assert "no role yet" not in page and "what the public sees" not in page
    assert "superuser" in page and "drafts" in page and "lock" in page
    assert "administration pages" in page


def test_a_signed_in_user_without_a_role_sees_what_the_public_sees(client, db, make_user):
    client.force_login(make_user("nobody"))
    page = text(soup(client.get("/")).main)
    assert "Your account has no role yet, so you see what the public sees" in page
