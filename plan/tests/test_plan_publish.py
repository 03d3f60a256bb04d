"""Publishing a draft plan (as an import leaves it), and withdrawing it to draft: approvers
only, asked first, recorded with who and when, refused in words where the public already
relies on it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plan import services
from plan.models import Plan
from plan.tests.factories import make_period, make_plan_with_measures, make_update
from plan.tests.test_charts import nu_checker, nu_run
from reports.tests.factories import make_report
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    plan, measures = make_plan_with_measures(
        priorities=2, measures_each=3, slug="2024-2028", status=Plan.Status.DRAFT,
        start_year=2024, end_year=2028,
    )  # fmt: skip
    return plan, measures


def publish_url(plan) -> str:
    return reverse("plan:plan_publish", kwargs={"plan": plan.slug})


def withdraw_url(plan) -> str:
    return reverse("plan:plan_withdraw", kwargs={"plan": plan.slug})


@pytest.mark.parametrize(
    "role, get_status, post_status",
    [("anonymous", 302, 302), ("panel member", 403, 403), ("staff", 403, 403),
     ("approver", 200, 302)],
)  # fmt: skip
def test_who_may_publish_a_plan(client_for, draft, role, get_status, post_status):
    plan, _ = draft
    client = client_for(role)
    assert client.get(publish_url(plan)).status_code == get_status
    response = client.post(publish_url(plan))
    assert response.status_code == post_status
    plan.refresh_from_db()
    assert plan.is_published is (role == "approver")
    if role == "anonymous":
        assert "/accounts/login" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_the_public_do_not_find_a_draft_plan(client_for, draft, role):
    plan, _ = draft
    client = client_for(role)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert plan.title not in client.get(reverse("plan:plans")).content.decode()


def test_the_confirmation_says_what_becomes_public(client_for, draft):
    plan, measures = draft
    make_update(measures[0], make_period(2024, 1), status="approved")
    page = soup(client_for("approver").get(publish_url(plan)))
    assert text(page.h1) == "Publish the 2024-2028 plan?"
    body = text(page.main)
    assert "its 2 priorities" in body and "its 6 outcome measures" in body
    assert "its 1 approved quarterly update, and every update approved from now on" in body
    assert (
        page.main.select_one("form[method=post] button").get_text(strip=True) == "Publish the plan"
    )


def test_publishing_records_who_and_when_and_the_public_then_see_it(client_for, draft):
    plan, _ = draft
    approver = client_for("approver")
    response = approver.post(publish_url(plan))
    assert response["Location"] == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.is_published and plan.published_at is not None
    assert plan.published_by.username.startswith("approver")
    assert Client().get(plan.get_absolute_url()).status_code == 200
    page = text(soup(approver.get(plan.get_absolute_url())).main)
    assert "Published on" in page and "Withdraw this plan" in page


def test_the_button_is_for_approvers_and_staff_are_told_who_publishes(client_for, draft):
    plan, _ = draft
    approver = soup(client_for("approver").get(plan.get_absolute_url()))
    assert approver.find("a", href=publish_url(plan)).get_text(strip=True) == "Publish this plan"
    staff = soup(client_for("staff").get(plan.get_absolute_url()))
    assert staff.find("a", href=publish_url(plan)) is None
    assert "Draft: an approver publishes it." in text(staff.main)
    plans = soup(client_for("approver").get(reverse("plan:plans")))
    assert plans.find("a", href=publish_url(plan)) is not None
    assert (
        soup(client_for("staff").get(reverse("plan:plans"))).find("a", href=publish_url(plan))
        is None
    )


def test_a_plan_without_priorities_is_refused_in_words_and_left_a_draft(client_for, draft):
    plan, _ = draft
    plan.priorities.all().delete()
    response = client_for("approver").post(publish_url(plan))
    assert response.status_code == 400
    assert "has no priorities yet" in text(soup(response).select_one(".govuk-error-summary"))
    plan.refresh_from_db()
    assert not plan.is_published


def test_publishing_twice_is_refused_in_words(client_for, draft):
    plan, _ = draft
    client = client_for("approver")
    client.post(publish_url(plan))
    response = client.post(publish_url(plan))
    assert response.status_code == 400
    assert "already published" in text(soup(response).main)


def test_the_service_checks_the_permission(make_user, draft):
    plan, _ = draft
    with pytest.raises(PermissionDenied):
        services.plan_publish(plan=plan, user=make_user("staff"))
    with pytest.raises(PermissionDenied):
        services.plan_unpublish(plan=plan, user=make_user("staff"))


def test_a_plan_nothing_public_rests_on_can_be_withdrawn(client_for, draft):
    plan, _ = draft
    client = client_for("approver")
    client.post(publish_url(plan))
    page = soup(client.get(withdraw_url(plan)))
    assert text(page.h1) == "Withdraw the 2024-2028 plan?"
    assert client.post(withdraw_url(plan)).status_code == 302
    plan.refresh_from_db()
    assert not plan.is_published and plan.published_by is None and plan.published_at is None
    assert Client().get(plan.get_absolute_url()).status_code == 404


def test_withdrawing_is_refused_once_approved_updates_are_public(make_user, draft):
    plan, measures = draft
    approver = make_user("approver")
    services.plan_publish(plan=plan, user=approver)
    make_update(measures[0], make_period(2024, 1), status="approved")
    with pytest.raises(ValidationError, match="1 approved quarterly update of its measures is"):
        services.plan_unpublish(plan=plan, user=approver)
    plan.refresh_from_db()
    assert plan.is_published


def test_withdrawing_is_refused_once_a_published_paper_reports_on_it(client_for, draft):
    plan, _ = draft
    client = client_for("approver")
    client.post(publish_url(plan))
    make_report(plan=plan, period=make_period(2024, 1), status="published")
    page = client.get(withdraw_url(plan))
    assert "1 published paper reports on its quarters" in text(soup(page).main)
    assert soup(page).main.select_one("form[method=post]") is None
    assert client.post(withdraw_url(plan)).status_code == 400
    plan.refresh_from_db()
    assert plan.is_published


def test_a_priority_cannot_take_the_publish_pages_address(draft):
    plan, _ = draft
    priority = plan.priorities.first()
    priority.slug = "publish"
    with pytest.raises(ValidationError):
        priority.full_clean()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_confirmation_runs_the_same_queries_with_ten_times_the_data(client_for):
    client = client_for("approver")
    small, small_measures = make_plan_with_measures(1, 2, status=Plan.Status.DRAFT, slug="s")
    big, big_measures = make_plan_with_measures(10, 20, status=Plan.Status.DRAFT, slug="b")
    for n, measure in enumerate(big_measures):
        make_update(measure, make_period(2021 + n % 3, n % 4 + 1), status="approved")
    make_update(small_measures[0], make_period(2021, 1), status="approved")
    assert count_queries(client, publish_url(small)) == count_queries(client, publish_url(big))


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_publish_pages_are_valid_html(client_for, draft, tmp_path):
    plan, _ = draft
    client = client_for("approver")
    pages = {
        "plans": client.get(reverse("plan:plans")),
        "draft-plan": client.get(plan.get_absolute_url()),
        "publish": client.get(publish_url(plan)),
    }
    client.post(publish_url(plan))
    pages["published-plan"] = client.get(plan.get_absolute_url())
    pages["withdraw"] = client.get(withdraw_url(plan))
    pages["publish-refused"] = client.post(publish_url(plan))
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    result = nu_run(*files)
    assert result.returncode == 0, result.stderr
