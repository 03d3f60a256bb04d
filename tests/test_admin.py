"""The admin: every registered model has working pages, and none of them can change a
workflow state or a publication flag (those go through sign-off and publishing)."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from conftest import force_login_verified
from pcc_portal.models import OfficeProfile
from plan.models import MeasureUpdate, OutcomeMeasure
from plan.tests.factories import make_period, make_plan_with_measures, make_update
from reports.models import Publication
from reports.tests.factories import make_report
from scrutiny.tests.factories import make_meeting
from tests.helpers import soup

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"pcc_portal", "plan", "scrutiny", "funding", "reports"}
)


@pytest.fixture
def superuser_client(client, make_user):
    force_login_verified(client, make_user("none", is_superuser=True, is_staff=True))
    return client


# The models whose add page the admin refuses even to a superuser, and why. Every other
# registered model's add page opens.
ADD_REFUSED = {
    ("reports", "publication"): "a publication is a frozen copy that only publishing makes",
}


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_list_search_and_add_pages_open(superuser_client, app_label, model_name):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    assert superuser_client.get(changelist, {"q": "Lancashire"}).status_code == 200
    add = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code == (403 if (app_label, model_name) in ADD_REFUSED else 200)


def test_the_office_profile_is_added_once_then_only_changed(superuser_client):
    add = reverse("admin:pcc_portal_officeprofile_add")
    assert superuser_client.get(add).status_code == 200
    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)
    assert superuser_client.get(add).status_code == 403
    change = reverse("admin:pcc_portal_officeprofile_change", args=[OfficeProfile.load().pk])
    assert superuser_client.get(change).status_code == 200


def test_office_staff_cannot_use_the_admin(client, make_user):
    force_login_verified(client, make_user("approver"))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Workflow states and publication flags are read-only in the admin --------------------

# model label -> the fields only the portal's own sign-off and publishing pages may change
WORKFLOW_FIELDS = {
    "plan.measureupdate": (
        "status",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "returned_by",
        "returned_at",
        "version",
    ),
    "plan.reportingperiod": ("locked", "locked_by", "locked_at"),
    "scrutiny.scrutinymeeting": ("published", "published_at", "published_by"),
    "reports.report": ("status",),
}


def admin_url(label: str, view: str, *args) -> str:
    return reverse(f"admin:{label.replace('.', '_')}_{view}", args=args)


def form_inputs(response) -> set[str]:
    """The names of the fields the admin page offers for editing."""
    page = soup(response)
    form = page.find("form", id=lambda value: value and value.endswith("_form"))
    if form is None:
        return set()
    fields = form.select("input[name], select[name], textarea[name]")
    return {each["name"] for each in fields if each.get("type") not in ("hidden", "submit")}


def form_data(response) -> dict[str, str | list[str]]:
    """What the admin form would post as it stands: every field with its current value."""
    form = soup(response).find("form", id=lambda value: value and value.endswith("_form"))
    data: dict[str, str | list[str]] = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if element.name == "textarea":
            data[name] = element.get_text()
        elif element.name == "select":
            chosen = [o.get("value", "") for o in element.select("option[selected]")]
            if element.has_attr("multiple"):
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        elif element.get("type") not in ("submit", "button", "file"):
            data[name] = element.get("value", "")
    return data


@pytest.fixture
def workflow_rows(db):
    """One row of each model with workflow fields, every one of them in its first state."""
    _, measures = make_plan_with_measures(priorities=1, measures_each=2)
    period = make_period(2021, 2)
    return {
        "plan.measureupdate": make_update(measures[0], period, status="draft"),
        "plan.reportingperiod": period,
        "scrutiny.scrutinymeeting": make_meeting(published=False),
        "reports.report": make_report(),
    }


@pytest.mark.parametrize(
    ("label", "field"),
    [(label, field) for label, fields in WORKFLOW_FIELDS.items() for field in fields],
)
def test_admin_does_not_offer_workflow_fields_on_add_or_change(
    superuser_client, workflow_rows, label, field
):
    add = superuser_client.get(admin_url(label, "add"))
    change = superuser_client.get(admin_url(label, "change", workflow_rows[label].pk))
    assert add.status_code == change.status_code == 200
    assert field not in form_inputs(add)
    assert field not in form_inputs(change)
    assert form_inputs(add) and form_inputs(change)  # the forms themselves are there


# A crafted change: each model's flag set to what only sign-off or publishing may set.
CRAFTED = {
    "plan.measureupdate": {"status": "approved", "approved_at_0": "2021-10-01"},
    "plan.reportingperiod": {"locked": "on"},
    "scrutiny.scrutinymeeting": {"published": "on", "published_at_0": "2021-10-01"},
    "reports.report": {"status": "published"},
}
UNCHANGED = {
    # The version only moves on by one, as any save moves it (forms open elsewhere go stale).
    "plan.measureupdate": {"status": "draft", "approved_at": None, "version": 2},
    "plan.reportingperiod": {"locked": False},
    "scrutiny.scrutinymeeting": {"published": False, "published_at": None},
    "reports.report": {"status": "draft"},
}


@pytest.mark.parametrize("label", sorted(CRAFTED))
def test_a_crafted_admin_post_cannot_set_workflow_fields(superuser_client, workflow_rows, label):
    row = workflow_rows[label]
    url = admin_url(label, "change", row.pk)
    data = {**form_data(superuser_client.get(url)), **CRAFTED[label], "_save": "Save"}
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    row.refresh_from_db()
    for field, value in UNCHANGED[label].items():
        assert getattr(row, field) == value, field


def test_a_measure_update_added_in_the_admin_is_a_draft_whatever_is_posted(
    superuser_client, workflow_rows
):
    other_measure = OutcomeMeasure.objects.exclude(
        pk=workflow_rows["plan.measureupdate"].measure_id
    ).get()
    url = admin_url("plan.measureupdate", "add")
    data = {
        **form_data(superuser_client.get(url)),
        "measure": other_measure.pk,
        "period": workflow_rows["plan.reportingperiod"].pk,
        "rag": "green",
        "direction": "improving",
        "status": "approved",
        "version": "7",
        "_save": "Save",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    update = MeasureUpdate.objects.get(measure=other_measure)
    assert update.status == "draft" and update.approved_at is None and update.version == 1
    assert not MeasureUpdate.objects.approved().exists()


def test_reverting_to_an_approved_revision_in_the_admin_keeps_the_current_status(
    superuser_client, workflow_rows
):
    update = workflow_rows["plan.measureupdate"]
    update.status = "approved"
    update.commentary = "Approved words."
    update.save()
    approved_revision = update.history.latest()
    update.status = "returned"
    update.commentary = "Returned: needs figures."
    update.save()

    url = reverse(
        "admin:plan_measureupdate_simple_history",
        args=(update.pk, approved_revision.history_id),
    )
    data = {**form_data(superuser_client.get(url)), "_save": "Save"}
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    update.refresh_from_db()
    assert update.commentary == "Approved words."  # the revert itself happened
    assert update.status == "returned"


def test_publications_are_read_only_in_the_admin(superuser_client, workflow_rows):
    report = workflow_rows["reports.report"]
    publication = Publication.objects.create(
        report=report, revision=1, html="<p>Frozen</p>", sha256="0" * 64
    )
    assert superuser_client.get(admin_url("reports.publication", "add")).status_code == 403
    change = superuser_client.get(admin_url("reports.publication", "change", publication.pk))
    assert change.status_code == 200 and form_inputs(change) == set()
    post = superuser_client.post(
        admin_url("reports.publication", "change", publication.pk), {"revision": "2"}
    )
    assert post.status_code == 403
    delete = superuser_client.post(
        admin_url("reports.publication", "delete", publication.pk), {"post": "yes"}
    )
    assert delete.status_code == 403
    publication.refresh_from_db()
    assert publication.revision == 1


@pytest.mark.parametrize("model_admin", list(admin.site._registry.values()), ids=str)
def test_no_admin_form_offers_a_version_field(rf, make_user, model_admin):
    """Any model with a lost-update `version`, now or later, keeps it out of admin forms."""
    request = rf.get("/admin/")
    request.user = make_user("none", is_superuser=True, is_staff=True)
    admins = [model_admin, *model_admin.get_inline_instances(request)]
    for each in admins:
        if not any(field.name == "version" for field in each.model._meta.concrete_fields):
            continue
        form = each.get_formset(request).form if hasattr(each, "fk_name") else None
        form = form or each.get_form(request)
        assert "version" not in form.base_fields, each
