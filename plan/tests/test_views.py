"""The plan's pages as each role sees and uses them."""

import pytest
from django.urls import reverse

from conftest import force_login_verified
from plan.models import MeasureUpdate
from plan.tests.factories import make_period, make_plan_with_measures, make_update
from tests.helpers import ROLES, soup, text

FORM = {
    "rag": "amber",
    "direction": "stable",
    "value": "",
    "comparator_value": "",
    "comparator_label": "",
    "commentary": "Steady progress.",
    "version": "",
}


@pytest.fixture
def setup(db):
    """A plan with two priorities of three measures, and Q2 2021/22 with one update of each
    status on the first four measures."""
    plan, measures = make_plan_with_measures()
    period = make_period(2021, 2)
    updates = {
        status: make_update(measures[i], period, status=status, commentary=f"The {status} one.")
        for i, status in enumerate(["draft", "submitted", "returned", "approved"])
    }
    return plan, measures, period, updates


def quarter_url(plan, slug="2021-q2"):
    return reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": slug})


def page_urls(plan, measures):
    priority = measures[3].priority  # holds the approved update
    return [
        reverse("plan:plans"),
        plan.get_absolute_url(),
        priority.get_absolute_url(),
        quarter_url(plan),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_plan_page_opens_for_every_role(client_for, setup, role):
    plan, measures, _, _ = setup
    client = client_for(role)
    for url in page_urls(plan, measures):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_public_and_panel_never_see_unapproved_updates_on_any_page(client_for, setup, role):
    plan, measures, _, _ = setup
    client = client_for(role)
    for url in page_urls(plan, measures):
        body = client.get(url).content.decode()
        for hidden in ("The draft one.", "The submitted one.", "The returned one."):
            assert hidden not in body, (url, hidden)
    assert (
        "The approved one." in client.get(measures[3].priority.get_absolute_url()).content.decode()
    )
    grid = soup(client.get(quarter_url(plan)))
    assert "1 of 6" in text(grid.find(class_="portal-quarter-count"))
    assert grid.find(string="Draft") is None
    assert grid.find("a", string="Enter") is None


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_staff_see_every_status_on_the_quarter_grid_with_edit_links(client_for, setup, role):
    plan, measures, _, updates = setup
    page = soup(client_for(role).get(quarter_url(plan)))
    body = text(page.main)
    for label in ("Draft", "Submitted for approval", "Returned", "Approved"):
        assert label in body
    assert "1 of 6 outcome measures approved" in body
    assert "Not started: 2" in body
    assert page.find("a", href=updates["draft"].get_absolute_url()) is not None
    enter = reverse(
        "plan:update_create",
        kwargs={"plan": plan.slug, "quarter": "2021-q2", "measure": measures[5].pk},
    )
    assert page.find("a", href=enter) is not None


def test_plan_overview_shows_latest_approved_rating_in_words_and_a_trend(client, setup):
    plan, measures, _, _ = setup
    for year, quarter, rag in [
        (2021, 3, "red"),
        (2021, 4, "amber"),
        (2022, 1, "green"),
        (2022, 2, "green"),
        (2022, 3, "not_rated"),
    ]:
        make_update(measures[0], make_period(year, quarter), rag=rag, status="approved")
    make_update(measures[0], make_period(2022, 4), rag="red", status="draft")
    page = soup(client.get(plan.get_absolute_url()))
    row = page.find("th", string=measures[0].text).parent
    assert "Not rated" in text(row) and "Q3 2022/23" in text(row)
    trend = [text(li) for li in row.find(class_="portal-trend").find_all("li")]
    assert trend == [
        "Q4 2021/22: Amber",
        "Q1 2022/23: Green",
        "Q2 2022/23: Green",
        "Q3 2022/23: Not rated",
    ]


def test_priority_page_shows_commitments_and_approved_history(client, setup):
    _plan, measures, _, _updates = setup
    priority = measures[3].priority
    priority.commitments.create(order=1, text="Put more officers in hot spots.")
    page = soup(client.get(priority.get_absolute_url()))
    assert "Put more officers in hot spots." in text(page.main)
    assert "The approved one." in text(page.main)


@pytest.mark.parametrize(
    "path",
    [
        "/plan/no-such-plan/",
        "/plan/{plan}/no-such-priority/",
        "/plan/{plan}/quarters/2021-q5/",
        "/plan/{plan}/quarters/2030-q1/",
        "/plan/{plan}/quarters/21-q1/",
        "/plan/updates/999999/edit/",
    ],
)
def test_unknown_plan_priority_quarter_or_update_is_404(client_for, setup, path):
    plan = setup[0]
    assert client_for("staff").get(path.format(plan=plan.slug)).status_code == 404


def test_draft_plan_is_404_for_the_public_and_visible_to_staff(client_for, db):
    plan, _ = make_plan_with_measures(status="draft")
    assert client_for("anonymous").get(plan.get_absolute_url()).status_code == 404
    assert plan.title not in client_for("anonymous").get("/plan/").content.decode()
    assert client_for("staff").get(plan.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("panel member", 403)])
def test_update_pages_are_for_staff_only(client_for, setup, role, status):
    plan, measures, _, updates = setup
    client = client_for(role)
    assert client.get(updates["draft"].get_absolute_url()).status_code == status
    create = reverse(
        "plan:update_create",
        kwargs={"plan": plan.slug, "quarter": "2021-q2", "measure": measures[5].pk},
    )
    assert client.post(create, FORM).status_code == status
    approve = reverse("plan:update_approve", args=[updates["submitted"].pk])
    assert client.post(approve, {"version": 1}).status_code == status
    assert MeasureUpdate.objects.count() == 4
    assert MeasureUpdate.objects.get(pk=updates["submitted"].pk).status == "submitted"


def test_staff_enter_an_update_in_the_browser_and_submit_it(client_for, setup):
    plan, measures, period, _ = setup
    client = client_for("staff")
    url = reverse(
        "plan:update_create",
        kwargs={"plan": plan.slug, "quarter": "2021-q2", "measure": measures[5].pk},
    )
    page = soup(client.get(url))
    for name in ("rag", "direction", "value", "commentary"):
        field = page.find(attrs={"name": name})
        assert field is not None, name
    labels = [text(label) for label in page.find_all("label")]
    assert "Red" in labels and "Improving" in labels
    response = client.post(url, {**FORM, "value": "1250.5", "submit_update": "Submit"})
    update = MeasureUpdate.objects.get(measure=measures[5], period=period)
    assert response.status_code == 302 and response["Location"] == update.get_absolute_url()
    assert (update.status, update.rag, str(update.value)) == ("submitted", "amber", "1250.50")
    page = soup(client.get(update.get_absolute_url()))
    assert "Update submitted for approval." in text(page.find(class_="govuk-notification-banner"))
    history = text(page.find("caption", string=lambda s: s and "Every change" in s).parent)
    assert "Submitted for approval" in history


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rag": "purple"}, "Select a RAG rating from the list"),
        ({"rag": ""}, "Select a RAG rating"),
        ({"direction": "sideways"}, "Select a direction of travel from the list"),
        ({"value": "about ten"}, "Enter a number, like 1250 or 12.5"),
        ({"comparator_value": "1.234"}, "no more than 2 decimal places"),
        ({"commentary": "x" * 10_001}, "Commentary must be 10,000 characters or fewer"),
    ],
)
def test_bad_input_is_reported_in_the_error_summary_and_nothing_is_saved(
    client_for, setup, change, message
):
    _plan, _measures, _, updates = setup
    client = client_for("staff")
    draft = updates["draft"]
    response = client.post(draft.get_absolute_url(), {**FORM, "version": 1, **change})
    assert response.status_code == 200
    page = soup(response)
    assert message in text(page.find(class_="govuk-error-summary"))
    assert page.title.text.startswith("Error:")
    draft.refresh_from_db()
    assert (draft.rag, draft.commentary, draft.version) == ("green", "The draft one.", 1)


def test_script_in_commentary_never_reaches_a_page(client_for, setup):
    _plan, measures, _, updates = setup
    approved = updates["approved"]
    approved.commentary = 'Fine <script>alert(1)</script><img src=x onerror="alert(2)"> **done**'
    approved.save()
    for url in (measures[3].priority.get_absolute_url(), approved.get_absolute_url()):
        page = soup(client_for("approver").get(url))
        assert all(script.get("src") for script in page.find_all("script")), url
        assert page.find(attrs={"onerror": True}) is None, url
        assert page.find("img") is None, url
        assert page.find("strong", string="done") is not None, url


def test_second_save_from_an_old_version_is_refused_with_both_versions_and_nothing_lost(
    client, make_user, setup
):
    _plan, _measures, _, updates = setup
    draft = updates["draft"]
    first = make_user("staff", first_name="Fiona", last_name="First")
    second = make_user("staff")
    force_login_verified(client, first)
    client.post(draft.get_absolute_url(), {**FORM, "version": 1, "commentary": "Fiona's words"})
    force_login_verified(client, second)
    response = client.post(
        draft.get_absolute_url(), {**FORM, "version": 1, "commentary": "Second's words"}
    )
    assert response.status_code == 409
    page = soup(response)
    summary = text(page.find(class_="govuk-error-summary"))
    assert "This update was changed by Fiona First at" in summary
    assert text(page.find(class_="portal-conflict__saved")) == "Fiona's words"  # differences only
    saved = [text(td) for td in page.find_all(class_="portal-conflict__saved")]
    yours = [text(td) for td in page.find_all(class_="portal-conflict__yours")]
    assert "Fiona's words" in saved and "Second's words" in yours
    assert page.find("textarea", attrs={"name": "commentary"}).text.strip() == "Second's words"
    assert page.find("input", attrs={"name": "version"})["value"] == "2"
    draft.refresh_from_db()
    assert draft.commentary == "Fiona's words" and draft.version == 2
    # Saving again from the version now shown replaces Fiona's words deliberately.
    client.post(draft.get_absolute_url(), {**FORM, "version": 2, "commentary": "Second's words"})
    draft.refresh_from_db()
    assert draft.commentary == "Second's words"


def test_approver_returns_with_a_reason_and_approves(client_for, setup):
    _plan, measures, _, updates = setup
    client = client_for("approver")
    submitted = updates["submitted"]
    no_reason = client.post(
        reverse("plan:update_return", args=[submitted.pk]), {"reason": "", "version": 1}
    )
    assert no_reason.status_code == 400
    assert "Enter why the update is being returned" in text(
        soup(no_reason).find(class_="govuk-error-summary")
    )
    client.post(
        reverse("plan:update_return", args=[submitted.pk]), {"reason": "Add figures", "version": 1}
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.return_reason == "Add figures"
    resubmit = client.post(reverse("plan:update_submit", args=[submitted.pk]), {"version": 2})
    assert resubmit.status_code == 302
    client.post(reverse("plan:update_approve", args=[submitted.pk]), {"version": 3})
    submitted.refresh_from_db()
    assert submitted.status == "approved"
    assert (
        "The submitted one."
        in client_for("anonymous").get(measures[1].priority.get_absolute_url()).content.decode()
    )


def test_staff_trying_to_approve_get_403_saying_why(client_for, setup):
    submitted = setup[3]["submitted"]
    response = client_for("staff").post(
        reverse("plan:update_approve", args=[submitted.pk]), {"version": 1}
    )
    assert response.status_code == 403
    assert "Only an approver" in text(soup(response).main)


def test_approver_locks_the_quarter_and_edits_are_refused_saying_why(client_for, setup):
    plan, measures, period, updates = setup
    approver = client_for("approver")
    lock = reverse("plan:quarter_lock", kwargs={"plan": plan.slug, "quarter": "2021-q2"})
    approver.post(lock, {"locked": "1"})
    period.refresh_from_db()
    assert period.locked
    grid = soup(approver.get(quarter_url(plan)))
    assert "This quarter was locked" in text(grid.find(class_="govuk-warning-text"))
    refused = approver.post(
        updates["draft"].get_absolute_url(), {**FORM, "version": 1, "commentary": "Kept text"}
    )
    assert refused.status_code == 403
    page = soup(refused)
    assert "is locked" in text(page.find(class_="govuk-error-summary"))
    assert page.find("textarea", attrs={"name": "commentary"}).text.strip() == "Kept text"
    create = reverse(
        "plan:update_create",
        kwargs={"plan": plan.slug, "quarter": "2021-q2", "measure": measures[5].pk},
    )
    assert approver.get(create).status_code == 403


def test_staff_cannot_lock_a_quarter(client_for, setup):
    plan, _, period, _ = setup
    lock = reverse("plan:quarter_lock", kwargs={"plan": plan.slug, "quarter": "2021-q2"})
    assert client_for("staff").post(lock, {"locked": "1"}).status_code == 403
    period.refresh_from_db()
    assert not period.locked


def test_first_update_of_a_new_quarter_creates_the_quarter(client_for, setup):
    plan, measures, _, _ = setup
    url = reverse(
        "plan:update_create",
        kwargs={"plan": plan.slug, "quarter": "2023-q4", "measure": measures[0].pk},
    )
    client = client_for("staff")
    assert client.get(quarter_url(plan, "2023-q4")).status_code == 200  # GET creates nothing
    from plan.models import ReportingPeriod

    assert not ReportingPeriod.objects.filter(financial_year=2023, quarter=4).exists()
    client.post(url, FORM)
    update = MeasureUpdate.objects.get(period__financial_year=2023, period__quarter=4)
    assert update.period.label == "Quarter 4 2023/24 (1 January to 31 March 2024)"


def test_two_people_entering_the_first_update_the_second_sees_both_versions(
    client_for, make_user, client, setup
):
    plan, measures, _, _ = setup
    url = reverse(
        "plan:update_create",
        kwargs={"plan": plan.slug, "quarter": "2021-q2", "measure": measures[5].pk},
    )
    client_for("staff").post(url, {**FORM, "commentary": "First person's words"})
    force_login_verified(client, make_user("staff"))
    response = client.post(url, {**FORM, "rag": "red", "commentary": "Second person's words"})
    assert response.status_code == 409
    page = soup(response)
    assert "since you opened it" in text(page.find(class_="govuk-error-summary"))
    assert (
        page.find("textarea", attrs={"name": "commentary"}).text.strip() == "Second person's words"
    )
    assert MeasureUpdate.objects.get(measure=measures[5]).commentary == "First person's words"


def test_an_approver_on_a_submitted_update_is_not_offered_submit(client_for, setup):
    submitted = setup[3]["submitted"]
    page = soup(client_for("approver").get(submitted.get_absolute_url()))
    assert page.find("input", attrs={"name": "submit_update"}) is None
    assert page.find("input", attrs={"name": "save"})["value"] == "Save changes"
    ids = [tag["id"] for tag in page.find_all(attrs={"id": True})]
    assert len(ids) == len(set(ids)), "every id on the page is unique"


def test_figures_typed_with_thousands_separators_are_read(client_for, setup):
    draft = setup[3]["draft"]
    client_for("staff").post(
        draft.get_absolute_url(),
        {**FORM, "version": 1, "value": "1,234.5", "comparator_value": "£1,000"},
    )
    draft.refresh_from_db()
    assert str(draft.value) == "1234.50" and str(draft.comparator_value) == "1000.00"
    page = soup(client_for("staff").get(draft.get_absolute_url()))
    assert page.find("input", attrs={"name": "value"})["value"] == "1234.5"


def test_every_quarter_of_the_plan_is_linked_and_quarters_link_to_their_neighbours(client, setup):
    plan = setup[0]
    page = soup(client.get(plan.get_absolute_url()))
    assert page.find("a", href=quarter_url(plan, "2021-q1")) is not None
    grid = soup(client.get(quarter_url(plan, "2021-q2")))
    assert grid.find("a", rel="prev")["href"] == quarter_url(plan, "2021-q1")
    assert grid.find("a", rel="next")["href"] == quarter_url(plan, "2021-q3")
    first = soup(client.get(quarter_url(plan, "2021-q1")))
    assert first.find("a", rel="prev") is None


def test_locking_warns_how_many_measures_have_no_approved_update(client_for, setup):
    plan = setup[0]
    hint = text(soup(client_for("approver").get(quarter_url(plan))).find(class_="govuk-hint"))
    assert "5 outcome measures have no approved update yet" in hint


def test_an_approver_sees_the_commentary_as_it_will_be_published(client_for, setup):
    submitted = setup[3]["submitted"]
    submitted.commentary = "Some **bold** progress."
    submitted.save()
    page = soup(client_for("approver").get(submitted.get_absolute_url()))
    preview = page.find("h2", string="The commentary as it will be published").find_next("div")
    assert preview.find("strong", string="bold") is not None


def test_a_return_without_a_reason_keeps_the_update_page_and_what_was_typed(client_for, setup):
    """The reason and the Return button belong to the update's form (the `form` attribute):
    a return without a reason shows the update's own page, with the changed rating kept, the
    page's buttons, and a form that saves to the page."""
    _plan, _measures, _, updates = setup
    client = client_for("approver")
    submitted = updates["submitted"]
    page = soup(client.get(submitted.get_absolute_url()))
    update_form = page.find("form", id="update-form")
    assert update_form["action"] == submitted.get_absolute_url()
    reason = page.find("textarea", attrs={"name": "reason"})
    button = page.find("input", attrs={"type": "submit", "name": "return"})
    assert reason["form"] == button["form"] == "update-form"
    assert button["formaction"] == reverse("plan:update_return", args=[submitted.pk])

    typed = {**FORM, "rag": "red", "commentary": "Rewritten.", "version": 1, "reason": ""}
    response = client.post(button["formaction"], typed)
    assert response.status_code == 400
    page = soup(response)
    assert "Enter why the update is being returned" in text(page.find(class_="govuk-error-summary"))
    form = page.find("form", id="update-form")
    assert form["action"] == submitted.get_absolute_url()
    assert form.find("input", attrs={"name": "rag", "value": "red"}).has_attr("checked")
    assert form.find("textarea", attrs={"name": "commentary"}).text.strip() == "Rewritten."
    buttons = [b["value"] for b in page.find_all("input", type="submit", form=False)]
    assert buttons == ["Save changes"]  # the page's buttons, not "Save draft" and "Submit"
    returning = page.find("input", attrs={"type": "submit", "name": "return"})
    assert returning["value"] == "Return to staff" and returning["form"] == "update-form"
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rag, submitted.version) == ("submitted", "green", 1)

    # Saving from the error page saves the change, to the update's page.
    saved = client.post(form["action"], {**typed, "save": "Save changes"})
    assert saved.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.rag, submitted.commentary) == ("red", "Rewritten.")


def test_approving_saves_the_changes_made_on_the_page_with_the_approval(client_for, setup):
    """The Approve button belongs to the update's form: what the approver changed is saved and
    the update approved; an invalid change shows the page again with everything kept."""
    submitted = setup[3]["submitted"]
    client = client_for("approver")
    page = soup(client.get(submitted.get_absolute_url()))
    approve = page.find("button", attrs={"name": "approve"})
    assert approve["form"] == "update-form"
    assert approve["formaction"] == submitted.get_absolute_url()

    typed = {**FORM, "rag": "red", "commentary": "Tightened.", "version": 1, "approve": "approve"}
    bad = client.post(approve["formaction"], {**typed, "value": "lots"})
    assert bad.status_code == 200
    page = soup(bad)
    assert "Enter a number" in text(page.find(class_="govuk-error-summary"))
    assert page.find("input", attrs={"name": "rag", "value": "red"}).has_attr("checked")
    assert page.find("textarea", attrs={"name": "commentary"}).text.strip() == "Tightened."
    assert page.find("button", attrs={"name": "approve"})["form"] == "update-form"
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rag) == ("submitted", "green")

    assert client.post(approve["formaction"], typed).status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rag, submitted.commentary) == (
        "approved",
        "red",
        "Tightened.",
    )


def test_returning_saves_the_changes_made_on_the_page_with_the_return(client_for, setup):
    submitted = setup[3]["submitted"]
    client = client_for("approver")
    typed = {**FORM, "rag": "red", "version": 1, "reason": "Check the figures"}
    response = client.post(reverse("plan:update_return", args=[submitted.pk]), typed)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rag, submitted.return_reason) == (
        "returned",
        "red",
        "Check the figures",
    )


def test_approving_unchanged_adds_no_save_to_the_history(client_for, setup):
    submitted = setup[3]["submitted"]
    client = client_for("approver")
    unchanged = {
        "rag": submitted.rag, "direction": submitted.direction, "value": "",
        "comparator_value": "", "comparator_label": "", "commentary": submitted.commentary,
        "version": submitted.version, "approve": "approve",
    }  # fmt: skip
    client.post(submitted.get_absolute_url(), unchanged)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == ("approved", 2)


def test_staff_cannot_approve_through_the_page_form(client_for, setup):
    draft = setup[3]["draft"]
    response = client_for("staff").post(
        draft.get_absolute_url(), {**FORM, "version": 1, "approve": "approve"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.commentary == "The draft one."
