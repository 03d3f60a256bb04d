"""The panel's membership, each meeting's attendance and declarations of interest, and the
minutes, which stay a draft until the next meeting approves them."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from conftest import force_login_verified
from pcc_portal.publication import pending_publish
from pcc_portal.services import StaleRecord
from scrutiny import services
from scrutiny.models import AgendaItem, Attendance, Declaration, Minutes, PanelMember
from scrutiny.tests.factories import make_panel_meeting, make_pdf
from tests.forms import form_values, publication_action
from tests.helpers import soup, text

ROLES = ("anonymous", "panel member", "staff", "approver")


def user_in(role, make_user):
    return AnonymousUser() if role == "anonymous" else make_user(role)


def member(name, start="2020-01-01", end=None, **fields) -> PanelMember:
    """A published member (the public sees them), unless `published=False`."""
    fields.setdefault("published", True)
    return PanelMember.objects.create(
        name=name,
        term_start=datetime.date.fromisoformat(start),
        term_end=datetime.date.fromisoformat(end) if end else None,
        **fields,
    )


@pytest.fixture
def meetings(db):
    first = make_panel_meeting("2021-03-08", status="held")
    second = make_panel_meeting("2021-10-12", status="held")
    for meeting in (first, second):
        for position, title in enumerate(AgendaItem.STANDARD_TITLES, start=1):
            AgendaItem.objects.create(
                meeting=meeting, position=position, title=title, kind="standard"
            )
    return first, second


@pytest.mark.parametrize(
    "role, allowed", [("anonymous", False), ("panel member", False), ("staff", True),
                      ("approver", True)],
)  # fmt: skip
def test_who_records_members_attendance_declarations_and_minutes(
    make_user, meetings, role, allowed
):
    user = user_in(role, make_user)
    first, _ = meetings
    a = member("Member A", council="Preston")
    writes = [
        lambda: services.panel_member_save(member=PanelMember(name="B", term_start=a.term_start),
                                           user=user),
        lambda: services.panel_member_save(member=a, user=user),
        lambda: services.attendance_record(meeting=first, user=user,
                                           statuses={a.pk: "attended"}, versions={}),
        lambda: services.declaration_add(
            declaration=Declaration(meeting=first, item=first.agenda_items.first(), member=a,
                                    interest="A relative is a police officer."), user=user),
        lambda: services.minutes_save(minutes=Minutes(meeting=first, text="Minutes."), user=user),
    ]  # fmt: skip
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()


@pytest.mark.parametrize(
    "role, allowed", [("anonymous", False), ("panel member", False), ("staff", False),
                      ("approver", True)],
)  # fmt: skip
def test_only_approvers_approve_the_minutes(make_user, meetings, role, allowed):
    first, second = meetings
    minutes = Minutes.objects.create(meeting=first, text="The panel met.")
    user = user_in(role, make_user)
    if allowed:
        services.minutes_approve(minutes=minutes, user=user)
        minutes.refresh_from_db()
        assert minutes.approved_at == second and not minutes.is_draft
        assert minutes.history.first().history_change_reason.startswith("Approved at")
    else:
        with pytest.raises(PermissionDenied):
            services.minutes_approve(minutes=minutes, user=user)


def test_minutes_wait_for_the_next_meeting_and_then_cannot_change(make_user, meetings):
    first, second = meetings
    approver = make_user("approver")
    latest = Minutes.objects.create(meeting=second, text="Later minutes.")
    with pytest.raises(ValidationError, match="not taken place"):
        services.minutes_approve(minutes=latest, user=approver)
    services.minutes_save(minutes=Minutes(meeting=first, text="Draft."), user=make_user("staff"))
    pending_publish(root=first, user=approver)  # the meeting is published: they waited
    minutes = Minutes.objects.get(meeting=first)
    services.minutes_approve(minutes=minutes, user=approver, expected_version=minutes.version)
    minutes.text = "Rewritten."
    with pytest.raises(ValidationError, match="approved"):
        services.minutes_save(minutes=minutes, user=make_user("staff"))
    with pytest.raises(ValidationError, match="already"):
        services.minutes_approve(minutes=Minutes.objects.get(pk=minutes.pk), user=approver)


def test_minutes_are_text_or_a_pdf(make_user, meetings):
    first, _ = meetings
    staff = make_user("staff")
    with pytest.raises(ValidationError):
        services.minutes_save(minutes=Minutes(meeting=first), user=staff)
    future = make_panel_meeting("2099-01-05")
    with pytest.raises(ValidationError, match="taken place"):
        services.minutes_save(minutes=Minutes(meeting=future, text="Early."), user=staff)


def test_the_minutes_pdf_is_uploaded_checked_and_served(client_for, meetings):
    first, second = meetings
    client = client_for("staff")
    url = f"/scrutiny/panel/{first.date}/minutes/"
    bad = ContentFile(b"not a pdf", name="minutes.pdf")
    response = client.post(url, {"text": "", "file": bad})
    assert response.status_code == 200 and not Minutes.objects.exists()
    assert soup(response).select_one(".govuk-error-summary")
    response = client.post(url, {"text": "", "file": ContentFile(make_pdf(), name="minutes.pdf")})
    assert response.status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        publication_action(client_for("approver"), first, "publish")
    page = client.get(first.get_absolute_url())
    assert "Draft minutes" in text(soup(page))
    assert client.get(f"/scrutiny/panel/{first.date}/minutes.pdf").status_code == 200
    approver = client_for("approver")
    next_page = approver.get(second.get_absolute_url())
    assert "Approve the minutes" in text(soup(next_page))
    minutes = Minutes.objects.get()
    approve = f"/scrutiny/panel/{first.date}/minutes/approve/"
    for version in ("", "²", "9" * 30):
        assert approver.post(approve, {"version": version}).status_code == 302
    assert Minutes.objects.get().is_draft
    response = approver.post(
        f"/scrutiny/panel/{first.date}/minutes/approve/", {"version": minutes.version}
    )
    assert response.status_code == 302
    assert "Approved at the meeting on 12 October 2021" in text(
        soup(approver.get(first.get_absolute_url()))
    )


def test_attendance_is_one_form_for_the_members_in_office(client_for, make_user, meetings):
    first, _ = meetings
    a = member("Member A", council="Preston", role="chair")
    b = member("Member B")
    member("Member C", start="2021-05-01")  # not yet in office
    client = client_for("staff")
    url = f"/scrutiny/panel/{first.date}/attendance/"
    page = soup(client.get(url))
    legends = [legend.get_text(" ", strip=True) for legend in page.select("legend")]
    assert legends == ["Member A (Preston)", "Member B (Independent member)"]
    response = client.post(url, {f"member_{a.pk}": "attended", f"member_{b.pk}": "bogus"})
    assert response.status_code == 200 and not Attendance.objects.exists()
    assert soup(response).select_one(".govuk-error-summary a[href]")
    response = client.post(url, {f"member_{a.pk}": "attended", f"member_{b.pk}": "apologies"})
    assert response.status_code == 302
    publication_action(client_for("approver"), first, "publish")
    assert dict(Attendance.objects.values_list("member__name", "status")) == {
        "Member A": "attended",
        "Member B": "apologies",
    }
    meeting_page = text(soup(client_for("anonymous").get(first.get_absolute_url())))
    assert "Attendance" in meeting_page and "Sent apologies" in meeting_page
    # Someone else changed it after this form was opened: nothing is saved, 409.
    versions = {m: Attendance.objects.get(member=m).version for m in (a, b)}
    services.attendance_record(
        meeting=first, user=make_user("staff"), statuses={b.pk: "attended"},
        versions={b.pk: versions[b]},
    )  # fmt: skip
    response = client.post(
        url,
        {f"member_{a.pk}": "absent", f"member_{b.pk}": "absent",
         f"version_{a.pk}": versions[a], f"version_{b.pk}": versions[b]},
    )  # fmt: skip
    assert response.status_code == 409
    assert Attendance.objects.get(member=a).status == "attended"
    with pytest.raises(StaleRecord):
        services.attendance_record(
            meeting=first, user=make_user("staff"), statuses={b.pk: "absent"}, versions={}
        )


def test_declarations_show_under_their_item(client_for, meetings):
    first, second = meetings
    a = member("Member A")
    former = member("Member Z", start="2010-01-01", end="2015-01-01")
    item = first.agenda_items.get(title="Minutes of the last meeting")
    client = client_for("staff")
    url = f"/scrutiny/panel/{first.date}/declarations/new/"
    response = client.post(url, {"item": item.pk, "member": former.pk, "interest": "x"})
    assert response.status_code == 200 and not Declaration.objects.exists()
    other = second.agenda_items.first()
    response = client.post(url, {"item": other.pk, "member": a.pk, "interest": "x"})
    assert response.status_code == 200 and not Declaration.objects.exists()
    response = client.post(url, {"item": item.pk, "member": a.pk, "interest": "Is a magistrate."})
    assert response.status_code == 302
    page = text(soup(client_for("anonymous").get(first.get_absolute_url())))
    assert "Item 3: Minutes of the last meeting" in page and "Is a magistrate." in page


def test_the_membership_page_lists_current_then_former_members(client, meetings):
    first, _ = meetings
    member("Member B", council="Chorley")
    member("Member A", council="Preston", role="chair")
    gone = member("Member Z", start="2019-01-01", end="2021-06-30")
    Attendance.objects.create(meeting=first, member=gone, status="apologies")
    page = soup(client.get("/scrutiny/panel/members/"))
    captions = [c.get_text(strip=True) for c in page.select("caption")]
    assert captions == ["Current members", "Former members"]
    names = [th.get_text(strip=True) for th in page.select("tbody th")]
    assert names == ["Member A", "Member B", "Member Z"]
    detail = text(soup(client.get(gone.get_absolute_url())))
    assert "Sent apologies 1 meeting" in detail and "Attended 0 meetings" in detail


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(meetings, n):
    first, _ = meetings
    items = list(first.agenda_items.all())
    for i in range(n):
        m = member(f"Member {n}-{i}", council="Fylde")
        Attendance.objects.create(meeting=first, member=m, status="attended")
        Declaration.objects.create(meeting=first, item=items[i % len(items)], member=m,
                                   interest="Works for a charity.")  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_run_the_same_queries_with_ten_times_the_data(client_for, meetings, role):
    first, second = meetings
    Minutes.objects.create(meeting=first, text="Minutes.")
    client = client_for(role)
    grow(meetings, 3)
    pages = {
        "meeting": first.get_absolute_url(),
        "next": second.get_absolute_url(),
        "members": "/scrutiny/panel/members/",
        "member": PanelMember.objects.first().get_absolute_url(),
    }
    before = {name: count(client, url) for name, url in pages.items()}
    grow(meetings, 30)
    after = {name: count(client, url) for name, url in pages.items()}
    print(role, after)
    assert after == before


def signed_in(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def test_a_published_meetings_attendance_declarations_and_minutes_wait_for_an_approver(
    make_user, meetings
):
    first, _ = meetings
    a = member("Member A", council="Preston")
    b = member("Member B")
    item = first.agenda_items.get(title="Minutes of the last meeting")
    old = Declaration.objects.create(meeting=first, item=item, member=b, interest="Old interest.")
    staff_user, approver_user = make_user("staff"), make_user("approver")
    public, staff, approver = Client(), signed_in(staff_user), signed_in(approver_user)
    base = f"/scrutiny/panel/{first.date}"
    page = text(soup(staff.get(f"{base}/attendance/")))
    assert "is published, so what you save here waits for an approver" in page
    response = staff.post(
        f"{base}/attendance/", {f"member_{a.pk}": "attended", f"member_{b.pk}": "apologies"},
        follow=True,
    )  # fmt: skip
    assert "Saved as a change waiting for approval" in text(soup(response))
    # Staff amending it see what they saved, and saving the same again adds nothing.
    again = form_values(staff.get(f"{base}/attendance/"))
    assert again[f"member_{a.pk}"] == "attended" and again[f"member_{b.pk}"] == "apologies"
    assert staff.post(f"{base}/attendance/", again).status_code == 302
    response = staff.post(f"{base}/attendance/", {**again, f"member_{a.pk}": "absent"})
    assert "waiting for an approver to add it" in text(soup(response))
    declared = {"item": item.pk, "member": a.pk, "interest": "Is a magistrate."}
    response = staff.post(f"{base}/declarations/new/", declared, follow=True)
    assert "Saved as a change waiting for approval" in text(soup(response))
    response = staff.post(f"{base}/declarations/{old.pk}/remove/", follow=True)
    assert "Removal saved as a change waiting for approval" in text(soup(response))
    response = staff.post(f"{base}/minutes/", {"text": "The panel met.", "file": ""}, follow=True)
    assert "Saved as a change waiting for approval" in text(soup(response))
    with pytest.raises(ValidationError, match="waiting for an approver"):
        services.minutes_save(minutes=Minutes(meeting=first, text="Twice."), user=staff_user)

    seen = text(soup(public.get(first.get_absolute_url())))
    assert "Old interest." in seen and "Is a magistrate." not in seen
    assert "Sent apologies" not in seen and "The panel met." not in seen
    assert not Attendance.objects.exists() and not Minutes.objects.exists()
    review = text(soup(approver.get(first.get_publication_url())))
    assert "Add an attendance record" in review and "Is a magistrate." in review
    assert "Remove the declaration" in review and "The panel met." in review

    publication_action(approver, first, "publish")
    seen = text(soup(public.get(first.get_absolute_url())))
    assert "Is a magistrate." in seen and "Old interest." not in seen
    assert "Sent apologies" in seen and "The panel met." in seen

    # A held change to the minutes must be published or discarded before they are approved.
    minutes = Minutes.objects.get()
    minutes.text = "The panel met twice."
    services.minutes_save(minutes=minutes, user=staff_user, expected_version=minutes.version)
    assert Minutes.objects.get().text == "The panel met."
    with pytest.raises(ValidationError, match="waiting for an approver"):
        services.minutes_approve(minutes=Minutes.objects.get(), user=approver_user)
