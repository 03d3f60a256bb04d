"""The approver's review of a quarter: every submitted update on one page, approved or returned
many at a time, with warnings where a second look is needed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plan import selectors, services
from plan.models import MeasureUpdate
from plan.tests.factories import (
    make_measure,
    make_period,
    make_plan,
    make_plan_with_measures,
    make_priority,
    make_update,
)
from tests.helpers import soup, text


@pytest.fixture
def quarter(db):
    """A plan of two priorities of three measures; Q2 2021/22 approved for all, and in Q3 the
    first five submitted and the last a draft."""
    plan, measures = make_plan_with_measures()
    q2, q3 = make_period(2021, 2), make_period(2021, 3)
    for i, measure in enumerate(measures):
        make_update(
            measure, q2, status="approved", rag="amber", direction="stable", value=100 + i,
            commentary=f"Last quarter's words on {measure.short_label}.",
        )  # fmt: skip
    updates = [
        make_update(
            m,
            q3,
            status="submitted",
            rag="green",
            value=110 + i,
            commentary=f"This quarter **went well** for {m.short_label}.",
        )
        for i, m in enumerate(measures[:5])
    ]
    make_update(measures[5], q3, status="draft")
    return plan, q3, updates


def review_url(plan, slug="2021-q3"):
    return reverse("plan:quarter_review", kwargs={"plan": plan.slug, "quarter": slug})


def review(user, plan, period, decisions):
    """decisions: update -> (action, reason), at the update's present version."""
    return services.quarter_updates_review(
        plan=plan, period=period, user=user,
        decisions={u.pk: (action, reason, u.version) for u, (action, reason) in decisions.items()},
    )  # fmt: skip


def statuses(updates):
    return [MeasureUpdate.objects.get(pk=u.pk).status for u in updates]


# --- The service -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, allowed",
    [("approver", True), ("staff", False), ("panel member", False), ("anonymous", False)],
)
def test_only_approvers_may_review_a_quarter(make_user, quarter, role, allowed):
    from django.contrib.auth.models import AnonymousUser

    plan, period, updates = quarter
    user = AnonymousUser() if role == "anonymous" else make_user(role)
    decisions = {u.pk: ("approve", "", u.version) for u in updates}
    if allowed:
        outcome = services.quarter_updates_review(
            plan=plan, period=period, user=user, decisions=decisions
        )
        assert len(outcome.approved) == 5
    else:
        with pytest.raises(PermissionDenied):
            services.quarter_updates_review(
                plan=plan, period=period, user=user, decisions=decisions
            )
        assert statuses(updates) == ["submitted"] * 5


def test_one_review_approves_many_and_returns_with_the_reason(make_user, quarter):
    plan, period, updates = quarter
    approver = make_user("approver")
    outcome = review(
        approver, plan, period,
        {updates[0]: ("approve", ""), updates[1]: ("approve", ""),
         updates[2]: ("return", "  Say what the figure counts. ")},
    )  # fmt: skip
    assert [u.pk for u in outcome.approved] == [updates[0].pk, updates[1].pk]
    assert [u.pk for u in outcome.returned] == [updates[2].pk]
    assert outcome.stale == []
    assert statuses(updates) == ["approved", "approved", "returned", "submitted", "submitted"]
    returned = MeasureUpdate.objects.get(pk=updates[2].pk)
    assert returned.return_reason == "Say what the figure counts."
    assert returned.returned_by == approver
    first = MeasureUpdate.objects.get(pk=updates[0].pk)
    assert first.approved_by == approver
    assert first.history.first().history_change_reason == "Approved"


def test_returning_without_a_reason_is_refused_and_nothing_is_done(make_user, quarter):
    plan, period, updates = quarter
    with pytest.raises(ValidationError) as refused:
        services.quarter_updates_review(
            plan=plan, period=period, user=make_user("approver"),
            decisions={
                updates[0].pk: ("approve", "", updates[0].version),
                updates[1].pk: ("return", "   ", updates[1].version),
            },
        )  # fmt: skip
    assert list(refused.value.message_dict) == [f"reason_{updates[1].pk}"]
    assert statuses(updates) == ["submitted"] * 5


def test_a_row_changed_since_the_page_was_opened_is_refused_while_the_others_are_done(
    make_user, quarter
):
    plan, period, updates = quarter
    opened = {u.pk: u.version for u in updates}
    staff = make_user("approver")  # an approver may still correct a submitted update
    services.measure_update_save(
        measure=updates[1].measure, period=period, user=staff,
        data={"commentary": "Corrected since."}, update=updates[1],
        expected_version=updates[1].version,
    )  # fmt: skip
    outcome = services.quarter_updates_review(
        plan=plan, period=period, user=make_user("approver"),
        decisions={u.pk: ("approve", "", opened[u.pk]) for u in updates[:3]},
    )  # fmt: skip
    assert [u.pk for u in outcome.stale] == [updates[1].pk]
    assert outcome.stale[0].commentary == "Corrected since."
    assert statuses(updates) == ["approved", "submitted", "approved", "submitted", "submitted"]


def test_a_stale_row_does_not_stop_the_check_of_the_others_reasons(make_user, quarter):
    plan, period, updates = quarter
    services.measure_update_return(
        update=updates[0], user=make_user("approver"), reason="Figures",
        expected_version=updates[0].version,
    )  # fmt: skip
    outcome = services.quarter_updates_review(
        plan=plan, period=period, user=make_user("approver"),
        decisions={
            updates[0].pk: ("return", "", updates[0].version),  # stale: its reason is moot
            updates[1].pk: ("approve", "", updates[1].version),
        },
    )  # fmt: skip
    assert [u.pk for u in outcome.stale] == [updates[0].pk]
    assert statuses(updates[:2]) == ["returned", "approved"]


def test_updates_of_another_quarter_or_plan_are_refused(make_user, quarter):
    plan, period, updates = quarter
    _, measures = make_plan_with_measures(priorities=1, measures_each=1)
    elsewhere = make_update(measures[0], period, status="submitted")
    with pytest.raises(ValidationError):
        review(
            make_user("approver"), plan, period,
            {updates[0]: ("approve", ""), elsewhere: ("approve", "")},
        )  # fmt: skip
    assert statuses([updates[0], elsewhere]) == ["submitted", "submitted"]


def test_a_locked_quarter_cannot_be_reviewed(make_user, quarter):
    plan, period, updates = quarter
    approver = make_user("approver")
    services.reporting_period_set_lock(period=period, user=approver, locked=True)
    period.refresh_from_db()
    with pytest.raises(PermissionDenied, match="locked"):
        services.quarter_updates_review(
            plan=plan, period=period, user=approver,
            decisions={updates[0].pk: ("approve", "", updates[0].version)},
        )  # fmt: skip


# --- The warnings ----------------------------------------------------------------------------


def warnings_for(measure_fields=None, previous=None, **update_fields):
    plan = make_plan()
    measure = make_measure(make_priority(plan), **(measure_fields or {}))
    before = None
    if previous is not None:
        before = make_update(measure, make_period(2021, 2), status="approved", **previous)
    fields = {"rag": "green", "direction": "stable", "commentary": "Fine.", **update_fields}
    update = make_update(measure, make_period(2021, 3), status="submitted", **fields)
    return selectors.update_warnings(update, before)


@pytest.mark.django_db
def test_no_warnings_when_all_is_well():
    assert warnings_for(
        {"desired_direction": "increase"},
        previous={"value": 10, "commentary": "Last time."},
        direction="improving", value=12, rag="amber", commentary="Better this time.",
    ) == []  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "better, before, now, warned",
    [
        ("increase", 10, 8, True),
        ("decrease", 10, 12, True),
        ("increase", 10, 12, False),
        ("decrease", 10, 8, False),
        ("none", 10, 8, False),  # the measure does not say which way is better
    ],
)
def test_improving_while_the_value_got_worse_is_warned(better, before, now, warned):
    found = warnings_for(
        {"desired_direction": better, "unit": "offences"},
        previous={"value": before, "commentary": "Before."},
        direction="improving", value=now,
    )  # fmt: skip
    assert bool(found) == warned
    if warned:
        assert "says improving, but the value got worse" in found[0]
        assert f"{before} offences last quarter, {now} offences now" in found[0]


@pytest.mark.django_db
@pytest.mark.parametrize("rag, warned", [("red", True), ("amber", True), ("green", False)])
def test_red_or_amber_without_commentary_is_warned(rag, warned):
    found = warnings_for(rag=rag, commentary="  ")
    assert found == ([f"Rated {rag.title()} with no commentary to explain why."] if warned else [])


@pytest.mark.django_db
def test_commentary_copied_unchanged_from_last_quarter_is_warned():
    found = warnings_for(previous={"commentary": "Same words."}, commentary="Same words.\n")
    assert found == ["The commentary is the same as last quarter's, word for word."]


# --- The page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("panel member", 403), ("staff", 403), ("approver", 200)]
)
def test_the_review_page_is_for_approvers_only(client_for, quarter, role, status):
    plan, _, _ = quarter
    response = client_for(role).get(review_url(plan))
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_a_draft_plans_review_opens_for_approvers_and_no_one_else(client_for, db):
    plan = make_plan(status="draft")
    assert client_for("panel member").get(review_url(plan, "2021-q2")).status_code == 403
    assert client_for("approver").get(review_url(plan, "2021-q2")).status_code == 200


def test_the_page_shows_each_submitted_update_with_its_changes_warnings_and_commentary(
    client_for, quarter
):
    plan, _, updates = quarter
    MeasureUpdate.objects.filter(pk=updates[1].pk).update(rag="red", commentary="")
    page = soup(client_for("approver").get(review_url(plan)))
    main = page.find("main")
    headings = [text(h) for h in main.find_all("h2")]
    priorities = list(plan.priorities.order_by("order"))
    assert headings == [p.title for p in priorities]
    rows = main.select("section.portal-review-row")
    assert [r["id"] for r in rows] == [f"row-{u.pk}" for u in updates]
    first = text(rows[0])
    assert "Amber last quarter, Green now" in first
    assert "Improving" in first and "Stable last quarter, Improving now" in first
    assert "100 last quarter, 110 now" in first
    assert rows[0].find("strong", string="went well")  # Markdown rendered as published
    assert "Rated Red with no commentary to explain why." in text(rows[1])
    assert "Leave for now" in first and main.find(
        "label", attrs={"for": f"id_reason_{updates[0].pk}"}
    )
    for update in updates:
        assert main.find(
            "input", attrs={"name": f"version_{update.pk}", "value": str(update.version)}
        )
        checked = main.find("input", attrs={"name": f"decision_{update.pk}", "checked": True})
        assert checked["value"] == "leave"
    assert "draft" not in text(main).lower().split("submitted")[0]  # the draft is not shown
    assert len(rows) == 5


def test_the_page_shows_last_quarters_commentary_and_units_with_every_figure(client_for, quarter):
    plan, _, updates = quarter
    measure = updates[0].measure
    measure.unit = "offences"
    measure.save()
    MeasureUpdate.objects.filter(pk=updates[0].pk).update(
        comparator_value=Decimal("1250"), comparator_label="Same quarter last year"
    )
    row = soup(client_for("approver").get(review_url(plan))).find(id=f"row-{updates[0].pk}")
    details = row.select_one("details.portal-previous-commentary")
    assert "Last quarter's commentary" in text(details.summary)
    assert f"Last quarter's words on {measure.short_label}." in text(details)
    assert "100 offences last quarter, 110 offences now" in text(row)
    assert "Compared with Same quarter last year: 1,250 offences" in text(row)


def test_the_quarter_page_links_approvers_to_the_review(client_for, quarter):
    plan, _, _ = quarter
    url = reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": "2021-q3"})
    link = soup(client_for("approver").get(url)).find("a", href=review_url(plan))
    assert text(link) == "Review the quarter's submitted updates (5)"
    assert not soup(client_for("staff").get(url)).find("a", href=review_url(plan))


def post_data(updates, choices=None, **extra):
    data = {f"version_{u.pk}": u.version for u in updates}
    for update, (decision, reason) in (choices or {}).items():
        data[f"decision_{update.pk}"] = decision
        data[f"reason_{update.pk}"] = reason
    return {"save": "", **data, **extra}


def test_one_post_approves_and_returns_and_says_how_many(client_for, quarter):
    plan, _, updates = quarter
    client = client_for("approver")
    choices = dict.fromkeys(updates[1:], ("approve", "")) | {updates[0]: ("return", "Add figures")}
    response = client.post(review_url(plan), post_data(updates, choices), follow=True)
    assert response.redirect_chain[-1][0].endswith("/quarters/2021-q3/")
    assert "You approved 4 updates and returned 1 update to staff." in text(soup(response))
    assert statuses(updates) == ["returned"] + ["approved"] * 4
    # Staff see the reason on the update.
    staff_page = soup(client_for("staff").get(updates[0].get_absolute_url()))
    assert "Add figures" in text(staff_page.select_one(".govuk-warning-text"))


def test_deciding_some_returns_to_the_review_for_the_rest(client_for, quarter):
    plan, _, updates = quarter
    client = client_for("approver")
    data = post_data(updates, {updates[0]: ("approve", "")})
    response = client.post(review_url(plan), data, follow=True)
    assert response.redirect_chain == [(review_url(plan), 302)]
    page = soup(response)
    assert "You approved 1 update." in text(page.find("main"))
    assert [r["id"] for r in page.select("section.portal-review-row")] == [
        f"row-{u.pk}" for u in updates[1:]
    ]


@pytest.mark.parametrize("version", ["abc", "", None])
def test_an_altered_or_missing_version_says_the_page_is_out_of_date(client_for, quarter, version):
    plan, _, updates = quarter
    client = client_for("approver")
    data = post_data(updates, dict.fromkeys(updates[:2], ("approve", "")))
    if version is None:
        del data[f"version_{updates[0].pk}"]
    else:
        data[f"version_{updates[0].pk}"] = version
    response = client.post(review_url(plan), data)
    assert response.status_code == 400
    assert statuses(updates) == ["submitted"] * 5  # nothing was done
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    links = summary.select("li a")
    assert [a["href"] for a in links] == [f"#id_decision_{updates[0].pk}"]
    assert text(links[0]).startswith(
        f"This page is out of date for {updates[0].measure.short_label}, so nothing was saved"
    )
    # Shown again at the version saved now, its decision cleared; the other row's kept.
    assert page.find("input", attrs={"name": f"version_{updates[0].pk}"})["value"] == "1"
    checked = page.find("input", attrs={"name": f"decision_{updates[0].pk}", "checked": True})
    assert checked["value"] == "leave"
    checked = page.find("input", attrs={"name": f"decision_{updates[1].pk}", "checked": True})
    assert checked["value"] == "approve"


def test_approve_all_shown_approves_every_row_shown(client_for, quarter):
    plan, _, updates = quarter
    client = client_for("approver")
    shown = updates[:4]  # the fifth was submitted after the page was opened
    client.post(review_url(plan), {**post_data(shown), "approve_all": ""})
    assert statuses(updates) == ["approved"] * 4 + ["submitted"]


def test_approve_all_shown_still_returns_a_row_chosen_for_return(client_for, quarter):
    plan, _, updates = quarter
    client = client_for("approver")
    data = post_data(updates, {updates[2]: ("return", "Check the value")}, approve_all="")
    client.post(review_url(plan), data)
    assert statuses(updates) == ["approved", "approved", "returned", "approved", "approved"]


def test_a_return_without_a_reason_does_nothing_and_keeps_every_choice(client_for, quarter):
    plan, _, updates = quarter
    client = client_for("approver")
    choices = {updates[0]: ("approve", ""), updates[1]: ("return", ""),
               updates[2]: ("return", "Kept reason")}  # fmt: skip
    response = client.post(review_url(plan), post_data(updates, choices))
    assert response.status_code == 400
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    link = summary.find("a")
    assert link["href"] == f"#id_reason_{updates[1].pk}"
    assert text(link) == f"Enter why {updates[1].measure.short_label} is being returned"
    assert page.find(id=f"id_reason_{updates[1].pk}").name == "textarea"
    assert statuses(updates) == ["submitted"] * 5
    checked = page.find("input", attrs={"name": f"decision_{updates[0].pk}", "checked": True})
    assert checked["value"] == "approve"
    assert text(page.find(id=f"id_reason_{updates[2].pk}")) == "Kept reason"


def test_choosing_nothing_says_so(client_for, quarter):
    plan, _, updates = quarter
    response = client_for("approver").post(review_url(plan), post_data(updates))
    assert response.status_code == 400
    assert "Choose to approve or return at least one update" in text(soup(response))


def test_a_row_changed_since_the_page_was_opened_is_shown_again_and_the_others_done(
    client_for, make_user, quarter
):
    plan, period, updates = quarter
    opened = post_data(updates, dict.fromkeys(updates, ("approve", "")))
    services.measure_update_save(
        measure=updates[3].measure, period=period, user=make_user("approver"),
        data={"commentary": "Changed meanwhile."}, update=updates[3],
        expected_version=updates[3].version,
    )  # fmt: skip
    services.measure_update_return(
        update=updates[4], user=make_user("approver"), reason="No",
        expected_version=updates[4].version,
    )  # fmt: skip
    response = client_for("approver").post(review_url(plan), opened)
    assert response.status_code == 409
    assert statuses(updates) == ["approved"] * 3 + ["submitted", "returned"]
    page = soup(response)
    assert [r["id"] for r in page.select("section.portal-review-row")] == [f"row-{updates[3].pk}"]
    summary = page.select_one(".govuk-error-summary")
    assert f"{updates[3].measure.short_label} was changed by" in text(summary)
    assert summary.find("a")["href"] == f"#id_decision_{updates[3].pk}"
    assert "Changed meanwhile." in text(page.find(id=f"row-{updates[3].pk}"))
    current = MeasureUpdate.objects.get(pk=updates[3].pk)
    assert page.find("input", attrs={"name": f"version_{current.pk}"})["value"] == str(
        current.version
    )
    banners = text(page.find("main"))
    assert "You approved 3 updates." in banners
    assert f"{updates[4].measure.short_label} (returned by" in banners


def test_a_quarter_with_nothing_submitted_says_so(client_for, quarter):
    plan, _, _ = quarter
    page = soup(client_for("approver").get(review_url(plan, "2021-q1")))
    assert "No updates of this quarter are waiting for approval." in text(page)


def test_bad_input_is_never_a_server_error(client_for, quarter):
    plan, _, updates = quarter
    client = client_for("approver")
    for data in (
        {f"version_{updates[0].pk}": "abc", f"decision_{updates[0].pk}": "approve"},
        {f"decision_{updates[0].pk}": "burn", f"version_{updates[0].pk}": "1"},
        {"version_99999999999999999999": "1", "decision_99999999999999999999": "approve"},
        {f"version_{updates[0].pk}": "1", f"reason_{updates[0].pk}": "x" * 3000,
         f"decision_{updates[0].pk}": "return"},
    ):  # fmt: skip
        assert client.post(review_url(plan), data).status_code < 500, data
    assert statuses(updates) == ["submitted"] * 5


# --- Query budget ----------------------------------------------------------------------------


def grow(plan, period, previous, *, priorities: int, measures_each: int):
    for _ in range(priorities):
        priority = make_priority(plan)
        for _ in range(measures_each):
            measure = make_measure(priority, desired_direction="increase", unit="%")
            make_update(measure, previous, status="approved", value=Decimal(5), commentary="A")
            make_update(
                measure, period, status="submitted", value=Decimal(4), rag="red",
                comparator_value=Decimal(6), comparator_label="Same quarter last year",
            )  # fmt: skip


def test_the_review_page_runs_the_same_queries_with_ten_times_the_measures(client_for, db):
    client = client_for("approver")
    plan = make_plan()
    period, previous = make_period(2021, 3), make_period(2021, 2)
    url = review_url(plan)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    grow(plan, period, previous, priorities=1, measures_each=3)
    once = count()
    grow(plan, period, previous, priorities=9, measures_each=3)
    assert MeasureUpdate.objects.filter(period=period).count() == 30
    tenfold = count()
    print(f"review page queries: {once} at 3 measures, {tenfold} at 30")
    assert once == tenfold
    assert tenfold <= 12
    page = client.get(url).content.decode()
    assert page.count("portal-previous-commentary") == 30
    assert page.count("Same quarter last year: 6%") == 30
