"""HMICFRS inspections: the 56-day clock on the Commissioner's comments, who sees the office's
responses, the publication gate, raising an action, the home page's tasks, the priority page,
and a fixed number of queries whatever the data."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import force_login_verified
from decisions.inspection_selectors import home_inspection_tasks
from decisions.inspections import Inspection, InspectionRecommendation, comments_due_on
from plan.tests.factories import make_plan, make_priority
from plan.tests.test_charts import nu_checker, nu_run
from scrutiny.models import Action
from scrutiny.tests.factories import make_meeting
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

OFFICE = "The office will check progress every quarter"
COMMENTS = "The Commissioner welcomes the report"


def make_inspection(**fields) -> Inspection:
    defaults = {"title": "PEEL assessment 2024", "kind": "peel",
                "published_on": datetime.date(2024, 1, 5)}  # fmt: skip
    return Inspection.objects.create(**{**defaults, **fields})


def make_recommendation(inspection, **fields) -> InspectionRecommendation:
    defaults = {"reference": "1", "text": "The force should answer calls faster.",
                "office_response": OFFICE, "owner": "Head of Contact"}  # fmt: skip
    return InspectionRecommendation.objects.create(inspection=inspection, **{**defaults, **fields})


def publish(inspection, approver):
    page = force_login_verified(Client(), approver)
    url = reverse("decisions:inspection_publication", args=[inspection.pk])
    reviewed = soup(page.get(url)).select_one("input[name=reviewed]")["value"]
    response = page.post(url, {"action": "publish", "reviewed": reviewed})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.published


# The clock --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "due"),
    [
        ("2024-01-05", "2024-03-01"),  # across 29 February of a leap year
        ("2023-01-05", "2023-03-02"),  # the same day in a common year
        ("2023-11-20", "2024-01-15"),  # across a year end
        ("2024-12-31", "2025-02-25"),  # from New Year's Eve
        ("2020-02-29", "2020-04-25"),  # from a leap day
        ("2018-03-08", "2018-05-03"),
    ],
)
def test_comments_are_due_56_days_after_the_report(published, due):
    published_on = datetime.date.fromisoformat(published)
    assert comments_due_on(published_on) == datetime.date.fromisoformat(due)
    inspection = Inspection(published_on=published_on)
    assert inspection.comments_due == datetime.date.fromisoformat(due)


@pytest.mark.parametrize(
    ("today", "state", "words"),
    [
        ("2024-01-05", "due", "56 days left"),
        ("2024-02-29", "due", "1 day left"),
        ("2024-03-01", "due", "Due today"),
        ("2024-03-02", "overdue", "Overdue by 1 day"),
        ("2025-01-01", "overdue", "Overdue by 306 days"),
    ],
)
def test_the_clock_counts_the_days_left_and_flags_overdue_in_words(today, state, words):
    inspection = Inspection(published_on=datetime.date(2024, 1, 5))
    clock = inspection.comments_clock(datetime.date.fromisoformat(today))
    assert (clock.state, clock.words) == (state, words)
    assert clock.is_overdue == (state == "overdue")


def test_the_clock_stops_when_comments_are_published_and_says_when_late():
    on_time = Inspection(published_on=datetime.date(2024, 1, 5),
                         comments_published_on=datetime.date(2024, 3, 1))  # fmt: skip
    late = Inspection(published_on=datetime.date(2024, 1, 5),
                      comments_published_on=datetime.date(2024, 3, 2))  # fmt: skip
    unknown = Inspection(published_on=datetime.date(2018, 3, 8), comments_unknown=True)
    undated = Inspection(published_on=None)
    today = datetime.date(2025, 1, 1)
    assert on_time.comments_clock(today).words == "Comments published"
    assert late.comments_clock(today).words == "Comments published after the due date"
    assert unknown.comments_clock(today).words == "Not recorded"
    assert undated.comments_clock(today).words == "Not recorded"
    assert not unknown.comments_clock(today).is_overdue


def test_querysets_and_the_model_agree_on_the_due_date():
    today = timezone.localdate()
    exactly = make_inspection(title="Due today", published_on=today - datetime.timedelta(56))
    make_inspection(title="Due tomorrow", published_on=today - datetime.timedelta(55))
    assert list(Inspection.objects.comments_due_by(today)) == [exactly]
    assert exactly.comments_due == today


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_office"),
    [("anonymous", False), ("panel member", False), ("staff", True), ("approver", True)],
)
def test_the_office_responses_wait_for_an_approver(client_for, role, sees_office):
    inspection = make_inspection(comments=COMMENTS)
    make_recommendation(inspection)
    page = client_for(role).get(inspection.get_absolute_url())
    assert page.status_code == 200
    body = text(soup(page))
    assert "The force should answer calls faster." in body  # HMICFRS publishes these
    assert (OFFICE in body) == sees_office
    assert (COMMENTS in body) == sees_office


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_once_published_everyone_sees_the_office_responses(client_for, make_user, role):
    inspection = make_inspection(comments=COMMENTS)
    make_recommendation(inspection)
    publish(inspection, make_user("approver"))
    body = text(soup(client_for(role).get(inspection.get_absolute_url())))
    assert OFFICE in body and COMMENTS in body


def test_a_change_to_a_published_response_waits_for_an_approver(client_for, make_user):
    inspection = make_inspection()
    recommendation = make_recommendation(inspection)
    approver = make_user("approver")
    publish(inspection, approver)
    staff = client_for("staff")
    url = reverse("decisions:recommendation_edit", args=[inspection.pk, recommendation.pk])
    saved = staff.post(url, {
        "kind": "recommendation", "reference": "1", "text": recommendation.text,
        "office_response": "A new response", "owner": "Head of Contact", "status": "done",
        "version": recommendation.version,
    })  # fmt: skip
    assert saved.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.office_response == OFFICE and recommendation.status == "open"
    assert "A new response" not in Client().get(inspection.get_absolute_url()).content.decode()
    publish(inspection, approver)
    recommendation.refresh_from_db()
    assert recommendation.office_response == "A new response" and recommendation.status == "done"


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("panel member", 403), ("staff", 200),
                         ("approver", 200)]
)  # fmt: skip
def test_only_office_staff_record_inspections(client_for, role, status):
    inspection = make_inspection()
    client = client_for(role)
    for url in (
        reverse("decisions:inspection_create"),
        reverse("decisions:inspection_edit", args=[inspection.pk]),
        reverse("decisions:recommendation_create", args=[inspection.pk]),
    ):
        assert client.get(url).status_code == status, url


def test_staff_record_an_inspection_and_bad_input_saves_nothing(client_for):
    staff = client_for("staff")
    url = reverse("decisions:inspection_create")
    bad = staff.post(url, {"title": "", "kind": "peel", "published_on_0": "31",
                           "published_on_1": "2", "published_on_2": "2024"})  # fmt: skip
    assert bad.status_code == 200
    summary = text(soup(bad).select_one(".govuk-error-summary"))
    assert "Enter the report's title" in summary
    assert Inspection.objects.count() == 0
    good = staff.post(url, {"title": "Thematic on vetting", "kind": "thematic",
                            "published_on_0": "5", "published_on_1": "1",
                            "published_on_2": "2024"})  # fmt: skip
    assert good.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.comments_due == datetime.date(2024, 3, 1)
    assert inspection.history.count() == 1


def test_an_edit_on_a_stale_version_shows_the_conflict(client_for):
    inspection = make_inspection()
    staff = client_for("staff")
    url = reverse("decisions:inspection_edit", args=[inspection.pk])
    data = {"title": "Mine", "kind": "peel", "published_on_0": "5", "published_on_1": "1",
            "published_on_2": "2024", "version": inspection.version}  # fmt: skip
    Inspection.objects.filter(pk=inspection.pk).update(title="Theirs", version=2)
    assert staff.post(url, data).status_code == 409
    assert Inspection.objects.get(pk=inspection.pk).title == "Theirs"


# Actions ----------------------------------------------------------------------------------


def test_staff_raise_an_action_at_a_meeting_they_choose(client_for):
    inspection = make_inspection()
    recommendation = make_recommendation(inspection)
    meeting = make_meeting(starts_at=timezone.make_aware(datetime.datetime(2024, 2, 1, 10)))
    staff = client_for("staff")
    url = reverse("decisions:recommendation_action", args=[inspection.pk, recommendation.pk])
    form = soup(staff.get(url))
    assert "HMICFRS Recommendation 1" in form.select_one("textarea[name=description]").text
    missing = staff.post(
        url,
        {
            "description": "Report progress",
            "owner": "Chief Constable",
            "due_date_0": "1",
            "due_date_1": "4",
            "due_date_2": "2024",
        },
    )
    assert missing.status_code == 200
    assert "Choose the scrutiny meeting" in text(soup(missing).select_one(".govuk-error-summary"))
    assert Action.objects.count() == 0
    raised = staff.post(url, {"meeting": meeting.pk, "description": "Report progress",
                              "owner": "Chief Constable", "due_date_0": "1", "due_date_1": "4",
                              "due_date_2": "2024"})  # fmt: skip
    action = Action.objects.get()
    assert raised.status_code == 302 and raised["Location"] == action.get_absolute_url()
    assert action.meeting == meeting and list(action.hmicfrs_recommendations.all()) == [
        recommendation
    ]
    action_page = soup(staff.get(action.get_absolute_url()))
    link = action_page.find("a", string="Recommendation 1")
    assert link and link["href"] == recommendation.get_absolute_url()
    assert "Report progress" in text(soup(staff.get(inspection.get_absolute_url())))


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("panel member", 403)])
def test_only_staff_raise_actions(client_for, role, status):
    inspection = make_inspection()
    recommendation = make_recommendation(inspection)
    url = reverse("decisions:recommendation_action", args=[inspection.pk, recommendation.pk])
    assert client_for(role).post(url, {}).status_code == status
    assert Action.objects.count() == 0


# Other pages ------------------------------------------------------------------------------


def test_staff_tasks_list_comments_due_within_14_days_or_overdue(make_user):
    today = timezone.localdate()
    make_inspection(title="Overdue", published_on=today - datetime.timedelta(60))
    make_inspection(title="Due soon", published_on=today - datetime.timedelta(42))
    make_inspection(title="Later", published_on=today - datetime.timedelta(41))
    make_inspection(title="Answered", published_on=today - datetime.timedelta(60),
                    comments_published_on=today)  # fmt: skip
    part = home_inspection_tasks(user=make_user("staff"))
    tasks = [task.text for task in part.context["tasks"]]
    assert len(tasks) == 2
    assert "“Overdue”: overdue by 4 days" in tasks[0]
    assert "“Due soon”: 14 days left" in tasks[1]
    assert home_inspection_tasks(user=make_user("panel member")) is None


def test_the_home_page_shows_staff_the_comments_due(client_for):
    make_inspection(title="Overdue report", published_on=datetime.date(2020, 1, 1))
    assert "Overdue report" in text(soup(client_for("staff").get("/")))


def test_a_priority_page_shows_its_recommendations(client_for):
    plan = make_plan(status="published")
    priority = make_priority(plan)
    recommendation = make_recommendation(make_inspection(), reference="7")
    recommendation.priorities.add(priority)
    page = soup(client_for("anonymous").get(priority.get_absolute_url()))
    assert "HMICFRS recommendations for this priority" in text(page)
    assert page.find("a", href=recommendation.get_absolute_url())


def test_the_list_filters_by_type_year_and_clock(client_for):
    today = timezone.localdate()
    make_inspection(title="Old PEEL", published_on=datetime.date(2018, 3, 8))
    make_inspection(title="New thematic", kind="thematic", published_on=today)
    client = client_for("anonymous")
    url = reverse("decisions:inspections")

    def titles(query):
        return [a.text for a in soup(client.get(url + query)).select("main table a")]

    assert titles("") == ["New thematic", "Old PEEL"]
    assert titles("?kind=thematic") == ["New thematic"]
    assert titles("?year=2018") == ["Old PEEL"]
    assert titles("?clock=overdue") == ["Old PEEL"]
    assert titles("?clock=due") == ["New thematic"]
    assert titles("?clock=published") == []
    empty = text(soup(client.get(url + "?clock=published")))
    assert "No inspection reports match these filters." in empty
    assert "Overdue by" in text(soup(client.get(url)))
    # A wrong value is named in the error summary; no 5xx.
    wrong = client.get(url + "?kind=nonsense&page=x")
    assert wrong.status_code in (200, 404)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(n: int, priority):
    for i in range(n):
        inspection = make_inspection(title=f"Grown {i}", published_on=datetime.date(2024, 1, 5))
        for _ in range(2):
            recommendation = make_recommendation(inspection)
            recommendation.priorities.add(priority)


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff", "approver"])
def test_pages_run_the_same_queries_with_ten_times_the_data(client_for, role):
    plan = make_plan(status="published")
    priority = make_priority(plan)
    grow(2, priority)
    first = Inspection.objects.order_by("pk").first()
    client = client_for(role)
    pages = {
        "list": reverse("decisions:inspections"),
        "filtered": reverse("decisions:inspections") + "?kind=peel&year=2024&clock=overdue",
        "inspection": first.get_absolute_url(),
        "priority": priority.get_absolute_url(),
        "home": "/",
    }
    for url in pages.values():  # once first: caches of the process warm up
        client.get(url)
    before = {name: count_queries(client, url) for name, url in pages.items()}
    grow(20, priority)
    for _ in range(10):
        make_recommendation(first).priorities.add(priority)
    after = {name: count_queries(client, url) for name, url in pages.items()}
    assert after == before


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_inspections_pages_are_valid_html(client, make_user, tmp_path):
    approver = make_user("approver")
    priority = make_priority(make_plan(status="published"))
    inspection = make_inspection(comments=COMMENTS, comments_url="https://example.org/c")
    recommendation = make_recommendation(inspection)
    recommendation.priorities.add(priority)
    make_recommendation(inspection, kind="afi", reference="AFI 1")
    meeting = make_meeting()
    action = Action.objects.create(
        meeting=meeting, description="Report progress", owner="Chief Constable",
        due_date=datetime.date(2024, 4, 1),
    )  # fmt: skip
    recommendation.actions.add(action)
    make_inspection(title="Overdue", published_on=datetime.date(2020, 1, 1))
    pages = [
        reverse("decisions:inspections"),
        reverse("decisions:inspections") + "?kind=abc",
        reverse("decisions:inspections") + "?clock=published",
        inspection.get_absolute_url(),
        priority.get_absolute_url(),
        action.get_absolute_url(),
    ]
    staff = [
        *pages,
        reverse("decisions:inspection_create"),
        reverse("decisions:inspection_edit", args=[inspection.pk]),
        reverse("decisions:inspection_publication", args=[inspection.pk]),
        reverse("decisions:recommendation_create", args=[inspection.pk]),
        reverse("decisions:recommendation_edit", args=[inspection.pk, recommendation.pk]),
        reverse("decisions:recommendation_delete", args=[inspection.pk, recommendation.pk]),
        reverse("decisions:recommendation_action", args=[inspection.pk, recommendation.pk]),
        reverse("decisions:inspection_history", args=[inspection.pk]),
        reverse("decisions:inspection_delete", args=[inspection.pk]),
        "/",
    ]
    files = []
    for n, url in enumerate(pages):
        files.append(tmp_path / f"public-{n}.html")
        files[-1].write_bytes(client.get(url).content)
    force_login_verified(client, approver)
    for n, url in enumerate(staff):
        response = client.get(url)
        assert response.status_code == 200, url
        files.append(tmp_path / f"staff-{n}.html")
        files[-1].write_bytes(response.content)
    invalid = client.post(reverse("decisions:inspection_create"), {"title": "", "url": "x"})
    files.append(tmp_path / "errors.html")
    files[-1].write_bytes(invalid.content)
    result = nu_run(*files)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_demo_loads_the_seeded_and_illustrative_inspections(db):
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("demo", "--password=correct-horse-battery", verbosity=0)
    seeded = Inspection.objects.filter(pk__lte=2).order_by("pk")
    assert [i.published_on for i in seeded] == [datetime.date(2018, 3, 8),
                                                datetime.date(2017, 11, 28)]  # fmt: skip
    assert all(i.comments_unknown and not i.url and not i.recommendations.exists() for i in seeded)
    for inspection in Inspection.objects.filter(pk__gt=2):
        assert inspection.title.startswith("Illustrative")
        for recommendation in inspection.recommendations.all():
            assert recommendation.text.startswith("Illustrative demo entry")
