"""Who leads each outcome measure, the approvers' page to set a measure's target, Amber
tolerance and lead, the quarter page's "not started" by lead, and who sees its deadline."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pcc_portal.services import StaleRecord
from plan.apps import add_demo_leads
from plan.models import OutcomeMeasure, ReportingPeriod
from plan.services import outcome_measure_save
from plan.tests.factories import (
    make_measure,
    make_period,
    make_plan_with_measures,
    make_priority,
    make_update,
)
from tests.helpers import soup, text
from tests.test_query_budgets import count_queries

TODAY = datetime.datetime(2022, 1, 10, 12, 0, tzinfo=datetime.UTC)
DUE = datetime.date(2022, 1, 21)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def measure(db):
    _plan, measures = make_plan_with_measures(priorities=1, measures_each=2)
    OutcomeMeasure.objects.filter(pk=measures[0].pk).update(desired_direction="increase")
    return OutcomeMeasure.objects.get(pk=measures[0].pk)


def edit_url(measure) -> str:
    plan = measure.priority.plan
    return reverse("plan:measure_edit", kwargs={"plan": plan.slug, "measure": measure.pk})


def form(version, *, lead="", target="75", tolerance="5") -> dict:
    return {"lead": lead, "target_value": target, "amber_tolerance": tolerance, "version": version}


def save(measure, user, **changes):
    values = {"lead": None, "target_value": Decimal("75"), "amber_tolerance": Decimal("5")}
    values.update(changes)
    return outcome_measure_save(
        measure=measure, user=user, expected_version=measure.version, **values
    )


# --- The service -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed",
    [("approver", True), ("staff", False), ("panel member", False), ("anonymous", False)],
)
def test_only_approvers_set_a_measures_target_and_lead(make_user, measure, role, allowed):
    user = AnonymousUser() if role == "anonymous" else make_user(role)
    lead = make_user("staff")
    if not allowed:
        with pytest.raises(PermissionDenied):
            save(measure, user, lead=lead)
        assert OutcomeMeasure.objects.get(pk=measure.pk).target_value is None
        return
    saved = save(measure, user, lead=lead)
    saved = OutcomeMeasure.objects.get(pk=measure.pk)
    assert (saved.lead, saved.target_value, saved.amber_tolerance) == (lead, 75, 5)
    assert saved.version == measure.version + 1


def test_a_stale_save_is_refused(make_user, measure):
    approver = make_user("approver")
    opened = measure.version
    save(measure, approver)
    with pytest.raises(StaleRecord) as stale:
        outcome_measure_save(
            measure=measure, user=approver, lead=None, target_value=Decimal("90"),
            amber_tolerance=None, expected_version=opened,
        )  # fmt: skip
    assert stale.value.current.target_value == 75
    with pytest.raises(StaleRecord):  # no version sent: refused, never saved unchecked
        outcome_measure_save(
            measure=measure, user=approver, lead=None, target_value=Decimal("90"),
            amber_tolerance=None, expected_version=None,
        )  # fmt: skip


@pytest.mark.parametrize("role", ["panel member", "anonymous", "inactive staff"])
def test_only_active_office_staff_can_lead(make_user, measure, role):
    approver = make_user("approver")
    if role == "anonymous":
        lead = make_user("anonymous")  # a user in no role
    elif role == "inactive staff":
        lead = make_user("staff", is_active=False)
    else:
        lead = make_user(role)
    with pytest.raises(ValidationError) as error:
        save(measure, approver, lead=lead)
    assert "lead" in error.value.message_dict
    assert OutcomeMeasure.objects.get(pk=measure.pk).lead is None


def test_the_measures_rules_hold(make_user, measure):
    approver = make_user("approver")
    with pytest.raises(ValidationError) as error:
        save(measure, approver, target_value=None, amber_tolerance=Decimal("5"))
    assert "amber_tolerance" in error.value.message_dict
    other = OutcomeMeasure.objects.exclude(pk=measure.pk).get(priority=measure.priority)
    with pytest.raises(ValidationError) as error:  # its direction is "neither"
        save(other, approver)
    assert "desired_direction" in error.value.message_dict


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [("approver", 302), ("staff", 403), ("panel member", 403), ("anonymous", 302)],
)
def test_the_measure_edit_page_answers_each_role(client_for, make_user, measure, role, status):
    client = client_for(role)
    lead = make_user("staff", first_name="Sam", last_name="Staff")
    get = client.get(edit_url(measure))
    assert get.status_code == (200 if role == "approver" else status)
    response = client.post(edit_url(measure), form(measure.version, lead=lead.pk))
    assert response.status_code == status
    saved = OutcomeMeasure.objects.get(pk=measure.pk)
    if role == "approver":
        assert response["Location"].endswith(f"#measure-{measure.pk}")
        assert (saved.lead, saved.target_value) == (lead, 75)
    else:
        assert (saved.lead, saved.target_value) == (None, None)
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


def test_only_approvers_are_offered_the_link_from_the_priority_page(client_for, measure):
    url = measure.priority.get_absolute_url()
    for role in ("anonymous", "panel member", "staff"):
        assert "Change target and lead" not in text(soup(client_for(role).get(url)).main)
    page = soup(client_for("approver").get(url))
    link = next(a for a in page.main("a") if "Change target and lead" in text(a))
    assert link["href"] == edit_url(measure)


def test_the_lead_is_offered_from_active_office_staff_only(client_for, make_user, measure):
    make_user("staff", first_name="Sam", last_name="Staff")
    make_user("approver", first_name="Alex", last_name="Approver")
    make_user("panel member", first_name="Pat", last_name="Panel")
    make_user("staff", first_name="Gone", last_name="Away", is_active=False)
    page = soup(client_for("approver").get(edit_url(measure)))
    options = [text(o) for o in page.find("select", attrs={"name": "lead"})("option")]
    assert options[0] == "No lead named"
    assert "Sam Staff" in options and "Alex Approver" in options
    assert "Pat Panel" not in options and "Gone Away" not in options
    assert page.find("label", attrs={"for": "id_lead"}) is not None


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"target": "abc"}, "target_value", "Enter the target as a number, like 75 or 12.5"),
        ({"tolerance": "-1"}, "amber_tolerance", "Enter an Amber tolerance of 0 or more"),
        ({"target": "", "tolerance": "5"}, "amber_tolerance", "Enter a target, or leave"),
        ({"lead": "99999"}, "lead", "Choose a lead from the list"),
    ],
)
def test_bad_input_shows_in_the_error_summary_and_saves_nothing(
    client_for, measure, values, field, message
):
    response = client_for("approver").post(edit_url(measure), form(measure.version, **values))
    assert response.status_code == 200
    summary = soup(response).find(class_="govuk-error-summary")
    assert message in text(summary)
    assert summary.find("a")["href"].startswith(f"#id_{field}")
    saved = OutcomeMeasure.objects.get(pk=measure.pk)
    assert (saved.target_value, saved.amber_tolerance, saved.version) == (
        None,
        None,
        measure.version,
    )


def test_a_target_on_a_measure_with_no_better_direction_is_an_error_at_the_target(
    client_for, measure
):
    other = OutcomeMeasure.objects.exclude(pk=measure.pk).get(priority=measure.priority)
    response = client_for("approver").post(edit_url(other), form(other.version))
    summary = soup(response).find(class_="govuk-error-summary")
    assert "cannot have a target" in text(summary)
    assert summary.find("a")["href"].startswith("#id_target_value")


def test_a_stale_save_shows_both_versions_and_keeps_what_was_typed(client_for, make_user, measure):
    opened = measure.version
    save(measure, make_user("approver"), target_value=Decimal("60"))
    response = client_for("approver").post(edit_url(measure), form(opened, target="80"))
    assert response.status_code == 409
    page = soup(response)
    assert "changed by" in text(page.find(class_="govuk-error-summary"))
    conflict = text(page.find("table"))
    assert "60" in conflict and "80" in conflict
    assert page.find("input", attrs={"name": "target_value"})["value"] == "80"
    assert OutcomeMeasure.objects.get(pk=measure.pk).target_value == 60


def test_a_measure_of_another_plan_is_not_found(client_for, measure):
    other_plan, _ = make_plan_with_measures(priorities=1, measures_each=1, slug="other")
    url = reverse("plan:measure_edit", kwargs={"plan": other_plan.slug, "measure": measure.pk})
    assert client_for("approver").get(url).status_code == 404


def test_the_measure_edit_page_runs_the_same_queries_with_ten_times_the_data(
    client_for, make_user, measure
):
    client = client_for("approver")
    make_user("staff")
    before = count_queries(client, edit_url(measure))
    for _ in range(10):
        make_user("staff")
        make_measure(make_priority(measure.priority.plan))
    after = count_queries(client, edit_url(measure))
    print(f"measure edit page queries: {before} at 1x, {after} at 10x")
    assert before == after


# --- The quarter page: not started, by lead; who sees the deadline --------------------------


@pytest.fixture
def quarter(make_user, db):
    """Six measures: Sam Staff leads three (one started), Alex Approver one, two name no
    lead (one started); the quarter is due on 21 January 2022."""
    plan, measures = make_plan_with_measures(priorities=2, measures_each=3)
    sam = make_user("staff", first_name="Sam", last_name="Staff")
    alex = make_user("approver", first_name="Alex", last_name="Approver")
    leads = [sam, sam, sam, alex, None, None]
    for measure, lead in zip(measures, leads, strict=True):
        OutcomeMeasure.objects.filter(pk=measure.pk).update(lead=lead)
    period = make_period(2021, 3, updates_due=DUE)
    make_update(measures[0], period, status="draft")
    make_update(measures[4], period, status="submitted")
    return plan, measures, period


def quarter_url(plan, slug="2021-q3"):
    return reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": slug})


def test_not_started_is_grouped_by_lead_and_links_to_each_grid_row(client_for, quarter, today):
    plan, measures, _period = quarter
    page = soup(client_for("staff").get(quarter_url(plan)))
    section = page.find(id="not-started")
    headings = [text(h) for h in section.find_all_next("h3")][:3]
    assert headings == [
        "Alex Approver: 1 measure not started",
        "Sam Staff: 2 measures not started",
        "No lead named: 1 measure not started",
    ]
    grid = reverse("plan:quarter_updates", kwargs={"plan": plan.slug, "quarter": "2021-q3"})
    sams = section.find_all_next("h3")[1].find_next("ul")
    assert [a["href"] for a in sams("a")] == [
        f"{grid}#row-{measures[1].pk}",
        f"{grid}#row-{measures[2].pk}",
    ]


@pytest.mark.parametrize(
    "role, shown",
    [("approver", True), ("staff", True), ("panel member", False), ("anonymous", False)],
)
def test_the_deadline_and_days_left_are_shown_only_to_staff(
    client_for, quarter, today, role, shown
):
    plan, _measures, _period = quarter
    words = text(soup(client_for(role).get(quarter_url(plan))).main)
    assert ("Updates are due by 21 January 2022: 11 days left" in words) is shown
    if not shown:
        assert "21 January 2022" not in words and "days left" not in words


def test_the_countdown_ends_once_every_measure_is_approved(client_for, quarter, today):
    plan, measures, period = quarter
    period.updates.all().delete()
    for measure in measures:
        make_update(measure, period, status="approved")
    page = soup(client_for("staff").get(quarter_url(plan)))
    deadline = text(page.find(class_="portal-quarter-deadline"))
    assert deadline == "Updates are due by 21 January 2022: all approved."
    assert "Every outcome measure has an update" in text(page.main)


def test_the_countdown_ends_when_the_quarter_is_locked(client_for, quarter, today):
    plan, _measures, period = quarter
    ReportingPeriod.objects.filter(pk=period.pk).update(locked=True)
    deadline = text(soup(client_for("staff").get(quarter_url(plan))).find(
        class_="portal-quarter-deadline"
    ))  # fmt: skip
    assert deadline == "Updates are due by 21 January 2022."


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_the_quarter_page_runs_the_same_queries_with_ten_times_the_leads(
    client_for, make_user, quarter, today, role
):
    plan, _measures, _period = quarter
    client = client_for(role)
    before = count_queries(client, quarter_url(plan))
    for _ in range(10):
        priority = make_priority(plan)
        for _ in range(3):
            make_measure(priority, lead=make_user("staff"))
    after = count_queries(client, quarter_url(plan))
    print(f"{role}: quarter page queries {before} at 1x, {after} at 10x")
    assert before == after


# --- The demo's illustrative leads ----------------------------------------------------------


def test_the_demo_names_illustrative_leads_once_and_never_overwrites(make_user, db):
    from django.core.management import call_command

    for name in ("020_areas_lancashire", "025_reporting_periods", "030_plan_lancashire_2021_2025"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    assert add_demo_leads(sender=None) is None  # no demo accounts yet: nobody to name
    staff = make_user("staff", username="staff")
    make_user("approver", username="approver")
    chosen = make_user("staff")
    OutcomeMeasure.objects.filter(pk=2).update(lead=chosen)  # someone's own choice
    assert add_demo_leads(sender=None)
    assert OutcomeMeasure.objects.get(pk=1).lead == staff
    assert OutcomeMeasure.objects.get(pk=2).lead == chosen
    assert OutcomeMeasure.objects.filter(lead__username="approver").exists()
    assert OutcomeMeasure.objects.filter(lead=None).exists()  # the rest name no lead
    before = dict(OutcomeMeasure.objects.values_list("pk", "text"))
    assert add_demo_leads(sender=None) is None  # nothing left to fill
    call_command("loaddata", "fixtures/906_demo_measure_leads.json", verbosity=0)
    assert dict(OutcomeMeasure.objects.values_list("pk", "text")) == before
