"""The panel's membership is public, so it changes only through an approver: staff's new
members and staff's changes to published members wait; approvers' own changes take effect."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import force_login_verified
from pcc_portal.models import PendingChange
from pcc_portal.publication import publication_set
from pcc_portal.slots import HOME_TASKS, fill
from scrutiny import services
from scrutiny.models import Attendance, PanelMember
from scrutiny.tests.factories import make_panel_meeting
from tests.forms import form_values, publication_action
from tests.helpers import soup, text

ROLES = ("anonymous", "panel member", "staff", "approver")
MEMBERS = "/scrutiny/panel/members/"


def user_in(role, make_user):
    return AnonymousUser() if role == "anonymous" else make_user(role)


def signed_in(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def published_member(name="Member A", **fields) -> PanelMember:
    return PanelMember.objects.create(
        name=name, council="Preston", term_start=datetime.date(2020, 1, 1), published=True,
        **fields,
    )  # fmt: skip


def task_texts(user) -> list[str]:
    return [task.text for part in fill(HOME_TASKS, user=user) for task in part.context["tasks"]]


def test_staff_changes_to_a_published_member_wait_for_an_approver(db, make_user):
    member = published_member()
    staff_user, approver_user = make_user("staff"), make_user("approver")
    public, staff, approver = Client(), signed_in(staff_user), signed_in(approver_user)
    edit = f"{MEMBERS}{member.pk}/edit/"
    assert "is published, so what you save here waits" in text(soup(staff.get(edit)))
    values = {**form_values(staff.get(edit)), "council": "Chorley"}
    response = staff.post(edit, values, follow=True)
    assert "Saved as a change waiting for approval" in text(soup(response))
    member.refresh_from_db()
    assert member.council == "Preston"  # nothing the public sees changed
    # Staff see it waiting, on the member's page and on the membership list.
    page = text(soup(staff.get(member.get_absolute_url())))
    assert "Changes waiting for approval" in page and "Chorley" in page
    assert "Changes waiting for approval" in text(soup(staff.get(MEMBERS)))
    # Staff amending it start from what they saved.
    assert form_values(staff.get(edit))["council"] == "Chorley"
    # The public see the published values only.
    for url in (MEMBERS, member.get_absolute_url()):
        seen = text(soup(public.get(url)))
        assert "Preston" in seen and "Chorley" not in seen and "waiting" not in seen
    # The approver finds it in their tasks, not staff.
    assert any("“Member A” wait for you to publish" in t for t in task_texts(approver_user))
    assert not any("Member A" in t for t in task_texts(staff_user))
    # Staff cannot publish it.
    assert publication_action(staff, member, "publish").status_code == 403
    assert PanelMember.objects.get().council == "Preston"
    publication_action(approver, member, "publish")
    assert PanelMember.objects.get().council == "Chorley"
    assert not PendingChange.objects.exists()
    assert "Chorley" in text(soup(public.get(member.get_absolute_url())))
    assert not any("Member A" in t for t in task_texts(approver_user))


def test_a_member_staff_add_is_public_only_once_an_approver_publishes_it(db, make_user):
    staff_user, approver_user = make_user("staff"), make_user("approver")
    public, staff, approver = Client(), signed_in(staff_user), signed_in(approver_user)
    values = {**form_values(staff.get(f"{MEMBERS}new/")), "name": "Member N",
              "council": "Fylde", "role": "member", "term_start_0": "1",
              "term_start_1": "1", "term_start_2": "2021"}  # fmt: skip
    assert staff.post(f"{MEMBERS}new/", values).status_code == 302
    member = PanelMember.objects.get()
    assert not member.is_published
    assert public.get(member.get_absolute_url()).status_code == 404
    assert public.get(member.get_publication_url()).status_code == 404
    assert "Member N" not in text(soup(public.get(MEMBERS)))
    panel = Client()
    panel.force_login(make_user("panel member"))
    assert panel.get(member.get_absolute_url()).status_code == 404
    listed = soup(staff.get(MEMBERS))
    assert "Member N" in text(listed) and "Not published" in text(listed)
    assert "Not published" in text(soup(staff.get(member.get_absolute_url())))
    assert "The new panel member “Member N” waits for you to publish it" in task_texts(
        approver_user
    )
    with pytest.raises(PermissionDenied):
        publication_set(root=member, user=staff_user, published=True)
    publication_action(approver, member, "publish")
    assert public.get(member.get_absolute_url()).status_code == 200
    assert "Member N" in text(soup(public.get(MEMBERS)))


def test_a_member_not_yet_published_is_left_out_of_a_meetings_public_record(db, make_user):
    meeting = make_panel_meeting("2021-03-08", status="held")
    shown, hidden = (
        published_member("Member A"),
        PanelMember.objects.create(name="Member H", term_start=datetime.date(2020, 1, 1)),
    )
    for member in (shown, hidden):
        Attendance.objects.create(meeting=meeting, member=member, status="attended")
    seen = text(soup(Client().get(meeting.get_absolute_url())))
    assert "Member A" in seen and "Member H" not in seen
    assert "Member H" in text(soup(signed_in(make_user("staff")).get(meeting.get_absolute_url())))


def test_an_approvers_own_changes_take_effect_at_once(db, make_user):
    staff_user, approver_user = make_user("staff"), make_user("approver")
    member = published_member()
    member.council = "Chorley"
    services.panel_member_save(member=member, user=staff_user, expected_version=member.version)
    assert PendingChange.objects.exists()
    current = PanelMember.objects.get()
    current.council, current.role = "Chorley", "chair"  # the form showed the held change
    services.panel_member_save(member=current, user=approver_user, expected_version=current.version)
    current = PanelMember.objects.get()
    assert (current.council, current.role) == ("Chorley", "chair")
    assert not PendingChange.objects.exists()  # replaced by what the approver saved
    added = services.panel_member_save(
        member=PanelMember(name="Member B", term_start=datetime.date(2021, 1, 1)),
        user=approver_user,
    )
    assert added.is_published and added.published_by == approver_user
    assert Client().get(added.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "role, held",
    [("staff", True), ("approver", False)],
)
def test_who_changes_the_membership_at_once(db, make_user, role, held):
    member = published_member()
    member.council = "Chorley"
    saved = services.panel_member_save(
        member=member, user=make_user(role), expected_version=member.version
    )
    assert saved.held_for_approval is held
    assert (PanelMember.objects.get().council == "Preston") is held
    new = services.panel_member_save(
        member=PanelMember(name="Member B", term_start=datetime.date(2021, 1, 1)),
        user=make_user(role),
    )
    assert PanelMember.objects.get(pk=new.pk).is_published is not held


@pytest.mark.parametrize("role", ROLES)
def test_only_approvers_publish_or_unpublish_a_member(db, make_user, role):
    member = PanelMember.objects.create(name="Member N", term_start=datetime.date(2020, 1, 1))
    user = user_in(role, make_user)
    if role != "approver":
        with pytest.raises(PermissionDenied):
            publication_set(root=member, user=user, published=True)
        assert not PanelMember.objects.get().is_published
        return
    publication_set(root=member, user=user, published=True)
    assert PanelMember.objects.get().is_published
    publication_set(root=member, user=user, published=False)
    assert not PanelMember.objects.get().is_published


def test_a_change_saved_meanwhile_is_not_lost(db, make_user):
    member = published_member()
    first, second = signed_in(make_user("staff")), signed_in(make_user("staff"))
    edit = f"{MEMBERS}{member.pk}/edit/"
    theirs, mine = form_values(first.get(edit)), form_values(second.get(edit))
    assert first.post(edit, {**theirs, "council": "Chorley"}).status_code == 302
    response = second.post(edit, {**mine, "council": "Wyre"})
    assert response.status_code == 409
    assert PendingChange.objects.get().operations[0]["fields"] == {"council": "Chorley"}


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(n):
    for i in range(n):
        published_member(f"Member {n}-{i}")
        PanelMember.objects.create(name=f"New {n}-{i}", term_start=datetime.date(2021, 1, 1))


@pytest.mark.parametrize("role", ("anonymous", "staff", "approver"))
def test_the_membership_and_publication_pages_run_fixed_queries(db, make_user, role):
    staff_user = make_user("staff")
    member = published_member()
    member.council = "Chorley"
    services.panel_member_save(member=member, user=staff_user, expected_version=member.version)
    client = Client() if role == "anonymous" else signed_in(make_user(role))
    pages = [MEMBERS, member.get_absolute_url()]
    if role != "anonymous":
        pages += [member.get_publication_url(), "/"]
    grow(2)
    before = [count(client, url) for url in pages]
    grow(20)
    after = [count(client, url) for url in pages]
    assert after == before
