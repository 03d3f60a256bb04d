"""Every model registered in the admin has working list, search and add pages."""

import pytest
from django.contrib import admin
from django.urls import reverse

from conftest import force_login_verified

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"pcc_portal", "plan", "scrutiny", "funding", "reports"}
)


@pytest.fixture
def superuser_client(client, make_user):
    force_login_verified(client, make_user("none", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_list_search_and_add_pages_open(superuser_client, app_label, model_name):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    assert superuser_client.get(changelist, {"q": "Lancashire"}).status_code == 200
    add = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in (200, 403)  # the office profile is added once, by its fixture


def test_office_staff_cannot_use_the_admin(client, make_user):
    force_login_verified(client, make_user("approver"))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
