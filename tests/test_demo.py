"""`manage.py demo`: a database ready to try; run again, it adds what is missing and keeps
what people changed."""

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from pcc_portal.management.commands.demo import fixture_files
from pcc_portal.models import OfficeProfile
from reports.models import Report
from scrutiny.models import Action, ActionNote, ScrutinyTopic, TaskGroup


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


# --- A re-run never overwrites: it adds only what is missing ------------------------------


@override_settings(DEBUG=True)
def test_demo_again_keeps_an_edited_fixture_row(db):
    run_demo("--password", "demo-pass")
    action = Action.objects.get(pk=2)
    action.owner = "Head of Corporate Services"
    action.save()
    office = OfficeProfile.load()
    office.phone = "01772 000000"
    office.save()

    run_demo("--password", "demo-pass")
    assert Action.objects.get(pk=2).owner == "Head of Corporate Services"
    assert OfficeProfile.load().phone == "01772 000000"


@override_settings(DEBUG=True)
def test_demo_again_brings_back_a_deleted_fixture_row_with_its_links(db):
    run_demo("--password", "demo-pass")
    ScrutinyTopic.objects.filter(pk=2).delete()
    Action.objects.filter(pk=2).delete()  # its note goes with it
    assert not ActionNote.objects.filter(pk=1).exists()

    output = run_demo("--password", "demo-pass")
    topic = ScrutinyTopic.objects.get(pk=2)
    assert topic.title == "Neighbourhood Taskforces"
    assert list(topic.priorities.values_list("pk", flat=True)) == [1]
    assert Action.objects.get(pk=2).notes.filter(pk=1).exists()
    assert "added 3 missing row(s)" in output
    # New rows get new keys: the fixtures' explicit keys did not leave a sequence behind.
    assert ScrutinyTopic.objects.create(meeting=topic.meeting, title="Another").pk > 5


@override_settings(DEBUG=True)
def test_demo_again_does_not_restore_links_of_rows_that_exist(db):
    run_demo("--password", "demo-pass")
    ScrutinyTopic.objects.get(pk=3).priorities.clear()
    run_demo("--password", "demo-pass")
    assert not ScrutinyTopic.objects.get(pk=3).priorities.exists()


@override_settings(DEBUG=True)
def test_demo_again_keeps_a_withdrawn_fixture_paper_withdrawn(db):
    run_demo("--password", "demo-pass")
    published = Report.objects.published()
    assert published.exists()
    assert all(report.publications.count() == 1 for report in published)
    report = published.first()
    report.status = Report.Status.WITHDRAWN
    report.save()

    run_demo("--password", "demo-pass")
    report.refresh_from_db()
    assert report.status == Report.Status.WITHDRAWN
    assert report.publications.count() == 1


@override_settings(DEBUG=True)
def test_demo_again_only_sets_the_demo_accounts_passwords(db):
    run_demo("--password", "demo-pass")
    staff = get_user_model().objects.get(username="staff")
    staff.first_name, staff.email = "Samira", "samira@example.org"
    staff.save()
    staff.groups.add(Group.objects.get(name="OPCC approver"))

    output = run_demo("--password", "new-pass")
    staff.refresh_from_db()
    assert (staff.first_name, staff.email) == ("Samira", "samira@example.org")
    assert set(staff.groups.values_list("name", flat=True)) == {"OPCC staff", "OPCC approver"}
    assert staff.check_password("new-pass")
    line = next(line for line in output.splitlines() if line.strip().startswith("staff "))
    assert "OPCC staff" in line and "OPCC approver" in line


@override_settings(DEBUG=True)
def test_demo_again_adds_nothing_when_a_missing_row_clashes_with_a_new_one(db):
    run_demo("--password", "demo-pass")
    TaskGroup.objects.filter(pk=2).delete()
    TaskGroup.objects.create(title="Contact management (our own)", slug="contact-management")
    Action.objects.filter(pk=1).delete()

    with pytest.raises(CommandError, match=r"scrutiny\.TaskGroup 2 clashes .* Nothing was added"):
        run_demo("--password", "demo-pass")
    assert not Action.objects.filter(pk=1).exists()
    assert TaskGroup.objects.get(slug="contact-management").title == "Contact management (our own)"
