"""`manage.py demo`: a database ready to try, the same however often it runs."""

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from pcc_portal.management.commands.demo import fixture_files
from pcc_portal.models import OfficeProfile


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def run_demo(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_demo_twice_gives_the_same_rows(db):
    run_demo("--password", "demo-pass")
    first = row_counts()
    run_demo("--password", "demo-pass")
    assert row_counts() == first
    assert first["pcc_portal.OfficeProfile"] == 1


@override_settings(DEBUG=True)
def test_demo_loads_every_fixture_and_the_lancashire_office(db):
    output = run_demo("--password", "demo-pass")
    assert f"Loaded {len(fixture_files())} fixture file(s)" in output
    office = OfficeProfile.load()
    assert office.panel_name == "Lancashire Police and Crime Panel"
    assert office.contact_officer_name == "Ian Dickinson"
    assert office.signatory_name == "Angela Harrison" and office.signatory_title == "Director"


@override_settings(DEBUG=True)
@pytest.mark.parametrize(
    ("username", "group"),
    [("staff", "OPCC staff"), ("approver", "OPCC approver"), ("panel", "Panel member")],
)
def test_demo_accounts_sign_in_with_the_given_password_and_hold_their_role(db, username, group):
    run_demo("--password", "demo-pass")
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=username, password="demo-pass")
    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert not user.is_staff


@override_settings(DEBUG=True)
def test_demo_without_a_password_generates_one_and_prints_it(db):
    output = run_demo()
    line = next(line for line in output.splitlines() if line.strip().startswith("panel "))
    password = line.split()[1]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="panel").check_password(password)


def test_demo_refuses_when_debug_is_off(db):
    with pytest.raises(CommandError, match="DJANGO_DEBUG is off"):
        run_demo("--password", "x")
    assert not get_user_model().objects.filter(username="staff").exists()


def test_demo_runs_when_debug_is_off_if_told_to(db):
    run_demo("--password", "demo-pass", "--allow-production")
    assert get_user_model().objects.filter(username="staff").exists()
