"""A quarter's deadline for updates (set and cleared by approvers), and the quarter page's
progress: how many submitted and approved, the days left, and the measures not started."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pcc_portal.services import StaleRecord
from plan.models import ReportingPeriod
from plan.periods import days_left
from plan.services import quarter_deadline_set
from plan.tests.factories import (
    make_measure,
    make_period,
    make_plan_with_measures,
    make_priority,
    make_update,
)
from tests.helpers import soup, text
from tests.test_query_budgets import count_queries

# A fixed "today": 10 January 2022, in Quarter 3 2021/22's reporting time.
TODAY = datetime.datetime(2022, 1, 10, 12, 0, tzinfo=datetime.UTC)
DUE = datetime.date(2022, 1, 21)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def quarter(db):
    """A plan with two priorities of three measures; Q3 2021/22 with a draft, two submitted
    and two approved updates, so one measure has not started."""
    plan, measures = make_plan_with_measures()
    period = make_period(2021, 3)
    for measure, status in zip(
        measures, ["draft", "submitted", "submitted", "approved", "approved"], strict=False
    ):
        make_update(measure, period, status=status)
    return plan, measures, period


def deadline_url(plan, slug="2021-q3"):
    return reverse("plan:quarter_deadline", kwargs={"plan": plan.slug, "quarter": slug})


def quarter_url(plan, slug="2021-q3"):
    return reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": slug})


def date_form(day: datetime.date | None, version, **extra) -> dict:
    parts = ("", "", "") if day is None else (day.day, day.month, day.year)
    return {
        "updates_due_0": parts[0],
        "updates_due_1": parts[1],
        "updates_due_2": parts[2],
        "version": version,
        "save_deadline": "Save the deadline",
        **extra,
    }


# --- The service ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed",
    [("approver", True), ("staff", False), ("panel member", False), ("anonymous", False)],
)
def test_only_approvers_set_a_quarters_deadline(make_user, quarter, role, allowed):
    _plan, _measures, period = quarter
    user = AnonymousUser() if role == "anonymous" else make_user(role)
    if not allowed:
        with pytest.raises(PermissionDenied):
            quarter_deadline_set(
                period=period, user=user, updates_due=DUE, expected_version=period.version
            )
        assert ReportingPeriod.objects.get(pk=period.pk).updates_due is None
        return
    saved = quarter_deadline_set(
        period=period, user=user, updates_due=DUE, expected_version=period.version
    )
    assert saved.updates_due == DUE
    assert saved.version == period.version + 1
    assert ReportingPeriod.objects.get(pk=period.pk).updates_due == DUE


def test_a_deadline_set_on_a_stale_version_is_refused(make_user, quarter):
    _plan, _measures, period = quarter
    approver = make_user("approver")
    opened = period.version
    quarter_deadline_set(period=period, user=approver, updates_due=DUE, expected_version=opened)
    with pytest.raises(StaleRecord) as stale:
        quarter_deadline_set(
            period=period,
            user=approver,
            updates_due=DUE + datetime.timedelta(days=7),
            expected_version=opened,
        )
    assert stale.value.current.updates_due == DUE
    assert ReportingPeriod.objects.get(pk=period.pk).updates_due == DUE


def test_a_deadline_without_a_version_is_refused_not_saved_unchecked(make_user, quarter):
    _plan, _measures, period = quarter
    with pytest.raises(StaleRecord):
        quarter_deadline_set(
            period=period, user=make_user("approver"), updates_due=DUE, expected_version=None
        )


def test_clearing_the_deadline(make_user, quarter):
    _plan, _measures, period = quarter
    approver = make_user("approver")
    period = quarter_deadline_set(
        period=period, user=approver, updates_due=DUE, expected_version=period.version
    )
    quarter_deadline_set(
        period=period, user=approver, updates_due=None, expected_version=period.version
    )
    assert ReportingPeriod.objects.get(pk=period.pk).updates_due is None


def test_a_quarter_nobody_has_written_to_is_saved_with_its_deadline(make_user, db):
    unsaved = ReportingPeriod(financial_year=2022, quarter=1)
    saved = quarter_deadline_set(
        period=unsaved, user=make_user("approver"), updates_due=DUE, expected_version=1
    )
    assert ReportingPeriod.objects.get(financial_year=2022, quarter=1).updates_due == DUE
    assert saved.pk


@pytest.mark.parametrize(
    "due, words",
    [
        (datetime.date(2022, 1, 22), "12 days left"),
        (datetime.date(2022, 1, 11), "1 day left"),
        (datetime.date(2022, 1, 10), "due today"),
        (datetime.date(2022, 1, 9), "1 day overdue"),
        (datetime.date(2022, 1, 7), "3 days overdue"),
    ],
)
def test_days_left_in_words(due, words):
    assert days_left(due, datetime.date(2022, 1, 10)) == words


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status", [("approver", 302), ("staff", 403), ("panel member", 403), ("anonymous", 302)]
)
def test_the_deadline_form_answers_each_role(client_for, quarter, role, status):
    plan, _measures, period = quarter
    response = client_for(role).post(deadline_url(plan), date_form(DUE, period.version))
    assert response.status_code == status
    saved = ReportingPeriod.objects.get(pk=period.pk).updates_due
    if role == "approver":
        assert response["Location"] == quarter_url(plan)
        assert saved == DUE
    else:
        assert saved is None
        if role == "anonymous":
            assert "/accounts/" in response["Location"] or "login" in response["Location"]


def test_only_approvers_are_offered_the_deadline_form(client_for, quarter):
    plan, _measures, _period = quarter
    assert soup(client_for("approver").get(quarter_url(plan))).find(
        "input", attrs={"name": "updates_due_0"}
    )
    assert not soup(client_for("staff").get(quarter_url(plan))).find(
        "input", attrs={"name": "updates_due_0"}
    )
    assert client_for("approver").get(deadline_url(plan)).status_code == 200


@pytest.mark.parametrize(
    "parts, message",
    [
        (("", "", ""), "Enter the deadline for updates, or choose Clear the deadline"),
        (("31", "2", "2022"), "The deadline for updates must be a real date"),
        (("21", "", "2022"), "Enter the deadline for updates, or choose Clear the deadline"),
        (("21", "1", "22"), "Enter the year of the deadline for updates as 4 digits"),
        (("x", "y", "z"), "Enter a valid date"),
    ],
)
def test_a_bad_date_shows_in_the_error_summary_and_saves_nothing(
    client_for, quarter, parts, message
):
    plan, _measures, period = quarter
    form = date_form(None, period.version)
    form.update(updates_due_0=parts[0], updates_due_1=parts[1], updates_due_2=parts[2])
    response = client_for("approver").post(deadline_url(plan), form)
    assert response.status_code == 200
    summary = soup(response).find(class_="govuk-error-summary")
    assert summary is not None and message in text(summary)
    assert summary.find("a")["href"].startswith("#id_updates_due")
    assert ReportingPeriod.objects.get(pk=period.pk).updates_due is None


def test_clearing_ignores_a_half_typed_date(client_for, quarter):
    plan, _measures, period = quarter
    ReportingPeriod.objects.filter(pk=period.pk).update(updates_due=DUE)
    form = date_form(None, period.version, clear_deadline="Clear the deadline")
    form.pop("save_deadline")
    form["updates_due_0"] = "31"
    response = client_for("approver").post(deadline_url(plan), form)
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=period.pk).updates_due is None


def test_a_stale_deadline_shows_both_and_keeps_what_was_typed(client_for, make_user, quarter):
    plan, _measures, period = quarter
    opened = period.version
    quarter_deadline_set(
        period=period, user=make_user("approver"), updates_due=DUE, expected_version=opened
    )
    mine = datetime.date(2022, 1, 28)
    response = client_for("approver").post(deadline_url(plan), date_form(mine, opened))
    assert response.status_code == 409
    page = soup(response)
    assert "was changed since you opened the page" in text(page.find(class_="govuk-error-summary"))
    conflict = text(page.find("table"))
    assert "21 January 2022" in conflict and "28 January 2022" in conflict
    assert page.find("input", attrs={"name": "updates_due_0"})["value"] == "28"
    assert page.find("input", attrs={"name": "version"})["value"] == str(opened + 1)
    assert ReportingPeriod.objects.get(pk=period.pk).updates_due == DUE


def test_the_quarter_page_shows_progress_days_left_and_measures_not_started(
    client_for, quarter, today
):
    plan, measures, period = quarter
    ReportingPeriod.objects.filter(pk=period.pk).update(updates_due=DUE)
    page = soup(client_for("staff").get(quarter_url(plan)))
    words = text(page.main)
    assert "4 of 6 submitted, 2 approved" in words
    assert "Updates are due by 21 January 2022: 11 days left" in words
    not_started = page.find(id="not-started").find_next("ul")
    links = [(a.get_text(strip=True), a["href"]) for a in not_started("a")]
    grid = reverse("plan:quarter_updates", kwargs={"plan": plan.slug, "quarter": "2021-q3"})
    assert links == [(measures[5].short_label, f"{grid}#row-{measures[5].pk}")]
    heading = page.find(id="not-started").find_next("h3")
    assert text(heading) == "No lead named: 1 measure not started"


@pytest.mark.parametrize(
    "due, words",
    [
        (datetime.date(2022, 1, 10), "Updates are due by 10 January 2022: due today"),
        (datetime.date(2022, 1, 7), "Updates are due by 7 January 2022: 3 days overdue"),
    ],
)
def test_the_quarter_page_says_a_deadline_is_today_or_past(client_for, quarter, today, due, words):
    plan, _measures, period = quarter
    ReportingPeriod.objects.filter(pk=period.pk).update(updates_due=due)
    assert words in text(soup(client_for("staff").get(quarter_url(plan))).main)


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_the_deadline_and_drafts_progress_are_internal(client_for, quarter, today, role):
    plan, _measures, period = quarter
    ReportingPeriod.objects.filter(pk=period.pk).update(updates_due=DUE)
    page = soup(client_for(role).get(quarter_url(plan)))
    words = text(page.main)
    assert "due" not in words and "21 January 2022" not in words and "days left" not in words
    assert "submitted" not in words and page.find(id="not-started") is None


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_the_quarter_and_deadline_pages_run_the_same_queries_with_ten_times_the_measures(
    client_for, role, db
):
    plan, measures = make_plan_with_measures(priorities=1, measures_each=3)
    period = make_period(2021, 3, updates_due=DUE)
    make_update(measures[0], period, status="submitted")
    client = client_for(role)
    pages = [quarter_url(plan)] + ([deadline_url(plan)] if role == "approver" else [])
    before = [count_queries(client, url) for url in pages]
    for _ in range(9):
        priority = make_priority(plan)
        for i in range(3):
            measure = make_measure(priority)
            if i:
                make_update(measure, period, status="approved")
    after = [count_queries(client, url) for url in pages]
    print(f"{role}: quarter page and deadline page queries {before} at 1x, {after} at 10x")
    assert before == after


def test_a_refused_deadline_keeps_what_was_typed_and_both_buttons(client_for, quarter):
    """The deadline's form has a second action (Clear): its error page keeps the typed parts,
    posts to the same place and offers both buttons again."""
    plan, _measures, period = quarter
    form = date_form(None, period.version)
    form.update(updates_due_0="31", updates_due_1="2", updates_due_2="2022")
    response = client_for("approver").post(deadline_url(plan), form)
    page = soup(response)
    assert "must be a real date" in text(page.find(class_="govuk-error-summary"))
    typed = [page.find("input", attrs={"name": f"updates_due_{i}"})["value"] for i in range(3)]
    assert typed == ["31", "2", "2022"]
    posted = page.find("input", attrs={"name": "updates_due_0"}).find_parent("form")
    assert posted["action"] == deadline_url(plan)
    buttons = [b["value"] for b in posted.find_all("input", type="submit")]
    assert buttons == ["Save the deadline", "Clear the deadline"]
    assert ReportingPeriod.objects.get(pk=period.pk).updates_due is None
