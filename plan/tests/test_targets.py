"""Targets and thresholds: the rating a measure's target suggests, the explanation a rating that
differs from it needs before it is submitted, and where the suggestion is shown."""

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plan import services
from plan.apps import add_demo_targets
from plan.models import MeasureUpdate, OutcomeMeasure
from plan.tests.factories import (
    make_measure,
    make_period,
    make_plan,
    make_plan_with_measures,
    make_priority,
    make_update,
)
from tests.helpers import soup, text


def measure_with(direction="increase", target="80", tolerance="5", unit="%") -> OutcomeMeasure:
    return OutcomeMeasure(
        short_label="Satisfaction",
        unit=unit,
        desired_direction=direction,
        target_value=None if target is None else Decimal(target),
        amber_tolerance=None if tolerance is None else Decimal(tolerance),
    )


# --- The rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "direction, target, tolerance, value, suggested",
    [
        ("increase", "80", "5", "85", "green"),  # beyond the target, on the better side
        ("increase", "80", "5", "80", "green"),  # at the target
        ("increase", "80", "5", "79.99", "amber"),  # just under
        ("increase", "80", "5", "75", "amber"),  # at the edge of the tolerance
        ("increase", "80", "5", "74.99", "red"),  # beyond the tolerance
        ("increase", "80", None, "79", "red"),  # no tolerance: no Amber band
        ("increase", "80", "0", "79", "red"),
        ("decrease", "100", "10", "90", "green"),
        ("decrease", "100", "10", "100", "green"),
        ("decrease", "100", "10", "100.01", "amber"),
        ("decrease", "100", "10", "110", "amber"),
        ("decrease", "100", "10", "110.01", "red"),
        ("decrease", "100", None, "101", "red"),
        ("increase", None, None, "50", None),  # no target
        ("increase", "80", "5", None, None),  # no value
        ("none", "80", "5", "85", None),  # neither direction is better
    ],
)
def test_the_target_suggests_a_rating(direction, target, tolerance, value, suggested):
    measure = measure_with(direction, target, tolerance)
    assert measure.suggested_rag(None if value is None else Decimal(value)) == suggested


@pytest.mark.parametrize(
    "direction, tolerance, unit, words",
    [
        (
            "increase", "5", "%",
            "Target 80%: Green at or above 80%, Amber from 75% to just under 80%, Red below 75%",
        ),
        ("increase", None, "%", "Target 80%: Green at or above 80%, Red below 80%"),
        (
            "decrease", "5", "offences",
            "Target 80 offences: Green at or below 80 offences, Amber from just over "
            "80 offences to 85 offences, Red above 85 offences",
        ),
    ],
)  # fmt: skip
def test_the_thresholds_are_said_in_words(direction, tolerance, unit, words):
    assert measure_with(direction, "80", tolerance, unit).thresholds_text == words


def test_a_measure_without_a_target_says_nothing_of_thresholds():
    assert measure_with(target=None, tolerance=None).thresholds_text == ""


@pytest.mark.parametrize(
    "direction, target, tolerance, errors",
    [
        ("increase", "80", "5", set()),
        ("decrease", "80", None, set()),
        ("none", None, None, set()),
        ("none", "80", None, {"desired_direction"}),  # a target needs a direction
        ("increase", None, "5", {"amber_tolerance"}),  # a tolerance needs a target
    ],
)
def test_a_target_needs_a_direction_and_a_tolerance_needs_a_target(
    direction, target, tolerance, errors
):
    measure = measure_with(direction, target, tolerance)
    if not errors:
        measure.clean()
        return
    with pytest.raises(ValidationError) as raised:
        measure.clean()
    assert set(raised.value.message_dict) == errors


@pytest.mark.parametrize(
    "rag, explanation, missing",
    [
        ("green", "", None),  # as suggested
        ("amber", "", "Rated Amber but the target suggests Green: say why the rating differs"),
        ("amber", "  ", "Rated Amber but the target suggests Green: say why the rating differs"),
        ("amber", "A sharp fall in the last month.", None),
        ("not_rated", "", None),  # not rated needs no explanation
    ],
)
def test_a_rating_that_differs_from_the_suggestion_needs_an_explanation(rag, explanation, missing):
    update = MeasureUpdate(
        measure=measure_with(), value=Decimal("82"), rag=rag, rating_explanation=explanation
    )
    assert update.rating_explanation_missing() == missing


# --- Submitting --------------------------------------------------------------------------------


@pytest.fixture
def targeted(db):
    """A plan with one measure whose target is 80% (Amber from 75%), and its Q2 draft rated Amber
    with a value of 82% (the target suggests Green)."""
    plan = make_plan()
    measure = make_measure(
        make_priority(plan), unit="%", desired_direction="increase",
        target_value=Decimal("80"), amber_tolerance=Decimal("5"),
    )  # fmt: skip
    period = make_period(2021, 2)
    update = make_update(measure, period, rag="amber", direction="stable", value=Decimal("82"))
    return plan, measure, period, update


def test_update_incomplete_reason_asks_why_the_rating_differs(targeted):
    _, _, _, update = targeted
    assert services.update_incomplete_reason(update) == (
        "rated Amber but the target suggests Green: say why the rating differs"
    )
    update.rating_explanation = "A sharp fall in the last month."
    assert services.update_incomplete_reason(update) is None


def test_a_draft_is_saved_without_the_explanation(targeted, make_user):
    _, measure, period, update = targeted
    saved = services.measure_update_save(
        measure=measure, period=period, user=make_user("staff"), update=update,
        expected_version=update.version, data={"commentary": "Draft words."},
    )  # fmt: skip
    assert saved.status == "draft" and saved.rating_explanation == ""


def test_submitting_all_leaves_out_an_unexplained_difference_and_says_why(targeted, make_user):
    plan, measure, period, update = targeted
    staff = make_user("staff")
    result = services.quarter_updates_submit(plan=plan, period=period, user=staff)
    assert result.submitted == []
    assert result.not_submitted == [
        (measure, "rated Amber but the target suggests Green: say why the rating differs")
    ]
    MeasureUpdate.objects.filter(pk=update.pk).update(rating_explanation="A fall in March.")
    result = services.quarter_updates_submit(plan=plan, period=period, user=staff)
    assert [u.pk for u in result.submitted] == [update.pk]


def test_the_submit_service_refuses_without_the_explanation_and_accepts_with_it(
    targeted, make_user
):
    _, measure, period, update = targeted
    staff = make_user("staff")
    with pytest.raises(ValidationError) as raised:
        services.measure_update_save(
            measure=measure, period=period, user=staff, update=update,
            expected_version=update.version, data={}, submit=True,
        )  # fmt: skip
    assert "rating_explanation" in raised.value.message_dict
    update.refresh_from_db()
    assert update.status == "draft" and update.version == 1
    with pytest.raises(ValidationError):
        services.measure_update_submit(update=update, user=staff, expected_version=1)
    saved = services.measure_update_save(
        measure=measure, period=period, user=staff, update=update, expected_version=1,
        data={"rating_explanation": "A fall in March."}, submit=True,
    )  # fmt: skip
    assert saved.status == "submitted"


@pytest.mark.parametrize("role", ["panel member", "anonymous"])
def test_panel_members_and_the_public_cannot_submit_explained_or_not(targeted, make_user, role):
    _, measure, period, update = targeted
    user = AnonymousUser() if role == "anonymous" else make_user(role)
    for data in ({}, {"rating_explanation": "A fall in March."}):
        with pytest.raises(PermissionDenied):
            services.measure_update_save(
                measure=measure, period=period, user=user, update=update,
                expected_version=update.version, data=data, submit=True,
            )  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.measure_update_submit(update=update, user=user, expected_version=1)
    update.refresh_from_db()
    assert update.status == "draft"


def edit_data(update, **changes):
    return {
        "rag": update.rag, "direction": update.direction, "value": str(update.value),
        "comparator_value": "", "comparator_label": "", "commentary": "",
        "rating_explanation": "", "version": str(update.version), **changes,
    }  # fmt: skip


def test_the_update_form_shows_the_target_and_the_suggestion(targeted, client_for):
    _, _, _, update = targeted
    page = text(soup(client_for("staff").get(update.get_absolute_url())).find("main"))
    assert "Target 80%: Green at or above 80%, Amber from 75% to just under 80%" in page
    assert "Suggested from the target for the saved value: Green" in page
    assert "Why the rating differs from the one the target suggests" in page


def test_the_update_form_refuses_submit_with_an_error_linked_to_the_explanation(
    targeted, client_for
):
    _, _, _, update = targeted
    client = client_for("staff")
    response = client.post(update.get_absolute_url(), {**edit_data(update), "submit_update": ""})
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    link = summary.find("a", href="#id_rating_explanation")
    assert text(link) == "Rated Amber but the target suggests Green: say why the rating differs"
    assert page.find(id="id_rating_explanation") is not None
    update.refresh_from_db()
    assert update.status == "draft"
    # A draft saves without it.
    client.post(update.get_absolute_url(), {**edit_data(update), "save": ""})
    update.refresh_from_db()
    assert update.status == "draft" and update.version == 2
    response = client.post(
        update.get_absolute_url(),
        {**edit_data(update, rating_explanation="A fall in March."), "submit_update": ""},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == "submitted" and update.rating_explanation == "A fall in March."


@pytest.mark.parametrize("role, status", [("panel member", 403), ("anonymous", 302)])
def test_the_update_form_is_not_for_panel_members_or_the_public(targeted, client_for, role, status):
    _, _, _, update = targeted
    data = {**edit_data(update, rating_explanation="Why."), "submit_update": ""}
    assert client_for(role).post(update.get_absolute_url(), data).status_code == status
    update.refresh_from_db()
    assert update.status == "draft"


def test_the_submit_button_says_why_it_refused(targeted, client_for):
    _, _, _, update = targeted
    url = reverse("plan:update_submit", kwargs={"pk": update.pk})
    response = client_for("staff").post(url, {"version": update.version}, follow=True)
    assert "say why the rating differs" in response.content.decode()
    update.refresh_from_db()
    assert update.status == "draft"


# --- The grid, the review and the priority page ------------------------------------------------


def grid_url(plan, quarter="2021-q2"):
    return reverse("plan:quarter_updates", kwargs={"plan": plan.slug, "quarter": quarter})


def test_the_grid_shows_the_target_the_suggestion_and_the_explanation_box(targeted, client_for):
    plan, measure, _, _ = targeted
    other = make_measure(measure.priority)  # no target: no explanation box
    page = soup(client_for("staff").get(grid_url(plan)))
    row = page.find(id=f"row-{measure.pk}")
    assert "Target 80%: Green at or above 80%" in text(row)
    assert "Suggested from the target: Green" in text(row)
    assert row.find("textarea", attrs={"name": f"m{measure.pk}-rating_explanation"})
    label = row.find("label", attrs={"for": f"id_m{measure.pk}-rating_explanation"})
    assert "Why the rating differs" in text(label)
    bare = page.find(id=f"row-{other.pk}")
    assert not bare.find("textarea", attrs={"name": f"m{other.pk}-rating_explanation"})
    assert "Target" not in text(bare)
    assert "rated Amber but the target suggests Green" in text(row)


def test_the_grid_saves_the_explanation_and_then_submits(targeted, client_for):
    plan, measure, _, update = targeted
    client = client_for("staff")
    data = {}
    for _, rows in client.get(grid_url(plan)).context["groups"]:
        for grid_row in rows:
            for bound in grid_row.form:
                value = bound.value()
                data[bound.html_name] = "" if value is None else str(value)
    data[f"m{measure.pk}-rating_explanation"] = "A fall in March."
    client.post(grid_url(plan), {**data, "action": "submit"})
    update.refresh_from_db()
    assert update.rating_explanation == "A fall in March."
    assert update.status == "submitted"


def test_a_grid_row_without_a_target_keeps_its_saved_explanation(make_user, db):
    plan, measures = make_plan_with_measures(priorities=1, measures_each=1)
    period = make_period(2021, 2)
    update = make_update(measures[0], period, rating_explanation="From when it had a target.")
    row = services.GridRow(
        measures[0],
        {"rag": "red", "direction": "stable", "value": None, "comparator_value": None,
         "comparator_label": "", "commentary": "Changed."},
        update.version,
    )  # fmt: skip
    services.quarter_updates_save(plan=plan, period=period, user=make_user("staff"), rows=[row])
    update.refresh_from_db()
    assert update.commentary == "Changed."
    assert update.rating_explanation == "From when it had a target."


def grow(plan, period, count):
    priority = make_priority(plan)
    for i in range(count):
        measure = make_measure(
            priority, unit="%", desired_direction="increase",
            target_value=Decimal("80"), amber_tolerance=Decimal("5"),
        )  # fmt: skip
        make_update(measure, period, status="draft", rag="red", value=Decimal(70 + i))


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_grid_with_targets_runs_the_same_queries_with_ten_times_the_measures(client_for, db):
    plan = make_plan()
    period = make_period(2021, 2)
    client = client_for("staff")
    grow(plan, period, 3)
    before = count_queries(client, grid_url(plan))
    grow(plan, period, 27)
    after = count_queries(client, grid_url(plan))
    print(f"grid with targets: {before} queries with 3 measures, {after} with 30")
    assert before == after


def review_url(plan, quarter="2021-q2"):
    return reverse("plan:quarter_review", kwargs={"plan": plan.slug, "quarter": quarter})


def test_the_review_shows_the_suggestion_and_the_explanation(targeted, client_for):
    plan, _, _, update = targeted
    MeasureUpdate.objects.filter(pk=update.pk).update(
        status="submitted", rating_explanation="A fall in March."
    )
    page = text(soup(client_for("approver").get(review_url(plan))).find("main"))
    assert "Amber Suggested from the target: Green" in page
    assert "Target 80%: Green at or above 80%" in page
    assert "Why the rating differs from the suggested one A fall in March." in page


def test_the_review_with_targets_runs_the_same_queries_with_ten_times_the_measures(client_for, db):
    plan = make_plan()
    period = make_period(2021, 2)
    client = client_for("approver")
    grow(plan, period, 3)
    MeasureUpdate.objects.update(status="submitted")
    before = count_queries(client, review_url(plan))
    grow(plan, period, 27)
    MeasureUpdate.objects.update(status="submitted")
    after = count_queries(client, review_url(plan))
    print(f"review with targets: {before} queries with 3 measures, {after} with 30")
    assert before == after


def test_the_priority_page_shows_each_target_in_words(targeted, client):
    _, measure, _, _ = targeted
    page = text(soup(client.get(measure.priority.get_absolute_url())).find("main"))
    assert "Target 80%: Green at or above 80%, Amber from 75% to just under 80%" in page


# --- The administration pages and the demo -------------------------------------------------------


@pytest.mark.parametrize("admin_class", ["OutcomeMeasureAdmin", "PriorityAdmin inline"])
def test_the_admin_offers_the_target_and_checks_it(admin_class, db, make_user):
    plan = make_plan()
    priority = make_priority(plan)
    request = RequestFactory().get("/")
    request.user = make_user("admin", is_staff=True, is_superuser=True)
    if admin_class == "OutcomeMeasureAdmin":
        form_class = site._registry[OutcomeMeasure].get_form(request)
    else:
        inline = site._registry[type(priority)].get_inline_instances(request, priority)[-1]
        form_class = inline.get_formset(request, priority).form
    assert {"target_value", "amber_tolerance"} <= set(form_class.base_fields)
    data = {
        "priority": priority.pk, "order": 1, "text": "Words.", "short_label": "M",
        "unit": "%", "desired_direction": "none", "target_value": "80", "amber_tolerance": "",
        "data_source": "", "active": "on",
    }  # fmt: skip
    form = form_class(data, instance=OutcomeMeasure(priority=priority))
    assert not form.is_valid()
    assert "desired_direction" in form.errors


def test_the_demo_fills_targets_and_values_once_and_never_overwrites(db):
    from django.core.management import call_command

    names = ("020_areas_lancashire", "025_reporting_periods", "030_plan_lancashire_2021_2025")
    for name in (*names, "900_demo_quarterly_updates_2021_22"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    MeasureUpdate.objects.filter(pk=60).update(value=Decimal("165"))  # their own figure
    assert add_demo_targets(sender=None)
    targeted = OutcomeMeasure.objects.exclude(target_value=None)
    assert targeted.count() >= 3
    assert MeasureUpdate.objects.get(pk=60).value == Decimal("165")
    differing = [u for u in MeasureUpdate.objects.filter(measure__in=targeted) if u.rating_differs]
    assert differing and all(u.rating_explanation.startswith("Illustrative") for u in differing)
    assert add_demo_targets(sender=None) is None  # nothing left to fill


def test_loading_the_targets_fixture_directly_keeps_the_plans_own_words(db):
    from django.core.management import call_command

    names = ("020_areas_lancashire", "025_reporting_periods", "030_plan_lancashire_2021_2025")
    for name in (*names, "900_demo_quarterly_updates_2021_22"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    before = dict(OutcomeMeasure.objects.values_list("pk", "text"))
    call_command("loaddata", "fixtures/905_demo_measure_targets.json", verbosity=0)
    assert dict(OutcomeMeasure.objects.values_list("pk", "text")) == before
    assert OutcomeMeasure.objects.exclude(target_value=None).count() == 5
