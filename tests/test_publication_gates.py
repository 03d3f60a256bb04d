"""Publication gates, one rule: what panel members and the public see of a paper, a scrutiny
meeting (with its topics and papers), a panel meeting or a task group (with its
recommendations) changes only when an approver publishes it. Staff may edit, and may make
something more private at once; anything else waits, visibly, and the approver sees what would
change."""

import icalendar
import pytest
from django.test import Client, TestCase

from conftest import force_login_verified
from pcc_portal.models import PendingChange
from reports.models import Report
from reports.tests.factories import add_section, make_report, publish
from scrutiny.models import PanelMeeting, TaskGroup
from scrutiny.tests.factories import make_meeting, make_panel_meeting, make_task_group, make_topic
from tests.forms import form_values, publication_action
from tests.helpers import soup, text


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return text(soup(response).main)


def edit(client, url, **changes):
    response = client.post(url, {**form_values(client.get(url)), **changes})
    assert response.status_code == 302, text(soup(response).main)
    return response


@pytest.fixture
def exempt_paper(db, settings, tmp_path, make_user):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(make_panel_meeting("2021-03-08"), title="Part II paper", is_exempt=True)
    add_section(report, body="The exempt paragraph.")
    publish(report, make_user("approver"))
    return report


def public_can_see_paper(client, report) -> bool:
    listed = "Part II paper" in page_text(client, "/reports/")
    on_meeting = "Part II paper" in page_text(client, report.panel_meeting.get_absolute_url())
    page = client.get(report.get_absolute_url()).status_code
    pdf = client.get(report.get_pdf_url()).status_code
    assert {page, pdf} <= {200, 404}
    assert len({listed, on_meeting, page == 200, pdf == 200}) == 1, (listed, on_meeting, page, pdf)
    return listed


def test_staff_cannot_make_a_part_ii_paper_public(client_for, exempt_paper):
    """Issue 10, finding 1: unticking "exempt" made the paper public at once."""
    staff = client_for("staff")
    edit(staff, f"/reports/{exempt_paper.pk}/edit/", is_exempt="")  # unticked: not sent
    public = Client()
    assert not public_can_see_paper(public, exempt_paper)
    exempt_paper.refresh_from_db()
    assert exempt_paper.is_exempt
    staff_view = page_text(staff, exempt_paper.get_absolute_url())
    assert "Changes waiting for approval" in staff_view
    approver = client_for("approver")
    confirm = page_text(approver, f"/reports/{exempt_paper.pk}/publish/")
    assert "Exempt (Part II) Yes No" in confirm
    assert "Everyone, including the public, will be able to read" in confirm
    with TestCase.captureOnCommitCallbacks(execute=True):
        approver.post(f"/reports/{exempt_paper.pk}/publish/")
    assert public_can_see_paper(public, exempt_paper)
    assert not PendingChange.objects.exists()


def test_making_a_paper_exempt_takes_effect_at_once(client_for, exempt_paper):
    Report.objects.filter(pk=exempt_paper.pk).update(is_exempt=False)
    public = Client()
    assert public_can_see_paper(public, exempt_paper)
    edit(client_for("staff"), f"/reports/{exempt_paper.pk}/edit/", is_exempt="on")
    assert not public_can_see_paper(public, exempt_paper)
    assert not PendingChange.objects.exists()  # nothing else changed, nothing waits


def test_a_published_papers_title_changes_only_when_republished(client_for, exempt_paper):
    Report.objects.filter(pk=exempt_paper.pk).update(is_exempt=False)
    edit(client_for("staff"), f"/reports/{exempt_paper.pk}/edit/", title="A new title")
    public = Client()
    assert "Part II paper" in page_text(public, "/reports/")
    assert "A new title" not in page_text(public, "/reports/")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for("approver").post(f"/reports/{exempt_paper.pk}/publish/")
    assert "A new title" in page_text(public, "/reports/")


@pytest.fixture
def meeting(db):
    meeting = make_meeting(title="Published meeting", note="The old note.")
    make_topic(meeting, title="Old topic", summary="Old summary.")
    return meeting


def test_staff_edits_to_a_published_meeting_wait_for_an_approver(client_for, meeting):
    """Issue 10, finding 2: staff edits to a published meeting went public at once."""
    public, staff = Client(), client_for("staff")
    edit_page = page_text(staff, f"/scrutiny/meetings/{meeting.pk}/edit/")
    assert "is published, so what you save here waits for an approver" in edit_page
    edit(staff, f"/scrutiny/meetings/{meeting.pk}/edit/", note="The new note.")
    topic = meeting.topics.get()
    edit(staff, f"/scrutiny/topics/{topic.pk}/edit/", summary="New summary.")
    edit(staff, f"/scrutiny/meetings/{meeting.pk}/topics/new/", title="Added topic")

    seen = page_text(public, meeting.get_absolute_url())
    assert "The old note." in seen and "Old summary." in seen
    assert "The new note." not in seen and "Added topic" not in seen
    assert "Changes waiting for approval" not in seen

    staff_view = page_text(staff, meeting.get_absolute_url())
    assert "Changes waiting for approval" in staff_view
    assert "Note of the meeting The old note. The new note." in staff_view
    assert "Add a scrutiny topic" in staff_view and "Added topic" in staff_view
    # Staff amending their change see it in the form, not the published version.
    again = form_values(staff.get(f"/scrutiny/meetings/{meeting.pk}/edit/"))
    assert again["note"] == "The new note."

    approver = client_for("approver")
    review = page_text(approver, meeting.get_publication_url())
    assert "The old note." in review and "The new note." in review
    publication_action(approver, meeting, "publish")
    seen = page_text(public, meeting.get_absolute_url())
    assert "The new note." in seen and "New summary." in seen and "Added topic" in seen
    assert not PendingChange.objects.exists()


def test_staff_discard_changes_and_the_published_version_stays(client_for, meeting):
    staff = client_for("staff")
    edit(staff, f"/scrutiny/meetings/{meeting.pk}/edit/", note="A mistake.")
    assert publication_action(staff, meeting, "publish").status_code == 403
    publication_action(staff, meeting, "discard")
    meeting.refresh_from_db()
    assert meeting.note == "The old note." and not PendingChange.objects.exists()


def test_changing_a_field_back_leaves_nothing_waiting(client_for, meeting):
    staff = client_for("staff")
    edit(staff, f"/scrutiny/meetings/{meeting.pk}/edit/", note="Changed.")
    assert PendingChange.objects.exists()
    edit(staff, f"/scrutiny/meetings/{meeting.pk}/edit/", note="The old note.")
    assert not PendingChange.objects.exists()


def test_two_staff_changing_a_published_meeting_get_the_conflict_page(
    client_for, make_user, meeting
):
    url = f"/scrutiny/meetings/{meeting.pk}/edit/"
    first, second = client_for("staff"), Client()
    force_login_verified(second, make_user("staff"))
    first_form, second_form = form_values(first.get(url)), form_values(second.get(url))
    assert first.post(url, {**first_form, "note": "First."}).status_code == 302
    response = second.post(url, {**second_form, "chair": "Second."})
    assert response.status_code == 409
    assert "First." in text(soup(response).main)  # the change waiting, shown as saved


@pytest.mark.parametrize("root", ["scrutiny meeting", "panel meeting", "task group"])
@pytest.mark.parametrize(
    ("role", "get", "publish", "discard"),
    [
        ("anonymous", 302, 302, 302),
        ("panel member", 403, 403, 403),
        ("staff", 200, 403, 302),
        ("approver", 200, 302, 302),
    ],
)
def test_who_may_review_publish_and_discard(client_for, meeting, root, role, get, publish, discard):
    record = {
        "scrutiny meeting": meeting,
        "panel meeting": make_panel_meeting("2027-10-12", published=False),
        "task group": make_task_group(published=False),
    }[root]
    client = client_for(role)
    url = record.get_publication_url()
    if not record.published and role in ("anonymous", "panel member"):
        get = publish = discard = 404  # they may not know an unpublished record exists
    assert client.get(url).status_code == get
    assert client.post(url, {"action": "discard", "confirm": "yes"}).status_code == discard
    assert client.post(url, {"action": "publish"}).status_code == publish
    record.refresh_from_db()
    assert record.published == (role == "approver" or root == "scrutiny meeting")


@pytest.mark.parametrize("action", ["", "delete", "publish\x00", "x" * 500])
def test_a_bad_publication_action_is_a_clear_error(client_for, meeting, action):
    response = client_for("approver").post(meeting.get_publication_url(), {"action": action})
    assert response.status_code == 400
    assert "Choose whether to publish, unpublish or discard the changes" in text(
        soup(response).select_one(".govuk-error-summary")
    )


def test_new_panel_meetings_are_unseen_until_an_approver_publishes_them(client_for, make_user):
    staff = client_for("staff")
    response = staff.post("/scrutiny/panel/new/", {
        "date_0": "12", "date_1": "10", "date_2": "2027", "time": "10:00",
        "venue": "County Hall, Preston", "status": "scheduled",
    })  # fmt: skip
    assert response.status_code == 302
    meeting = PanelMeeting.objects.get()
    assert not meeting.published
    member = Client()
    member.force_login(make_user("panel member"))
    for client in (Client(), member):
        assert client.get(meeting.get_absolute_url()).status_code == 404
        assert "12 October 2027" not in page_text(client, "/scrutiny/panel/")
        assert "12 October 2027" not in page_text(client, "/")
        feed = icalendar.Calendar.from_ical(client.get("/scrutiny/calendar.ics").content)
        assert not feed.walk("VEVENT")
    publication_action(client_for("approver"), meeting, "publish")
    assert Client().get(meeting.get_absolute_url()).status_code == 200


def test_a_published_panel_meetings_venue_changes_only_when_published(client_for):
    meeting = make_panel_meeting("2027-10-12")
    url = f"/scrutiny/panel/{meeting.date.isoformat()}/edit/"
    edit(client_for("staff"), url, venue="Preston Town Hall")
    public = Client()
    assert "County Hall, Preston" in page_text(public, meeting.get_absolute_url())
    publication_action(client_for("approver"), meeting, "publish")
    assert "Preston Town Hall" in page_text(public, meeting.get_absolute_url())


def test_task_groups_and_recommendations_pass_through_an_approver(client_for):
    hidden = make_task_group(title="New task group", published=False)
    group = make_task_group(title="Published task group")
    recommendation = group.recommendations.create(number=1, text="Thank the Commissioner.")
    public = Client()
    assert public.get(hidden.get_absolute_url()).status_code == 404
    assert "New task group" not in page_text(public, "/scrutiny/task-groups/")
    staff = client_for("staff")
    edit(staff, f"/scrutiny/recommendations/{recommendation.pk}/edit/", response="Accepted.")
    edit(staff, f"/scrutiny/task-groups/{group.slug}/recommendations/new/", text="A second.")
    seen = page_text(public, group.get_absolute_url())
    assert "Accepted." not in seen and "A second." not in seen
    approver = client_for("approver")
    publication_action(approver, group, "publish")
    publication_action(approver, hidden, "publish")
    seen = page_text(public, group.get_absolute_url())
    assert "Accepted." in seen and "A second." in seen
    assert TaskGroup.objects.get(pk=hidden.pk).published


def test_approvers_unpublish_at_once(client_for, meeting):
    publication_action(client_for("approver"), meeting, "unpublish")
    assert Client().get(meeting.get_absolute_url()).status_code == 404


def test_text_sent_back_unchanged_with_browser_line_endings_is_no_change(client_for, meeting):
    meeting.attendees = "Police and Crime Commissioner\nChief Constable"
    meeting.save()
    staff = client_for("staff")
    url = f"/scrutiny/meetings/{meeting.pk}/edit/"
    edit(staff, url, attendees="Police and Crime Commissioner\r\nChief Constable")
    assert not PendingChange.objects.exists()


# --- Found by a second reader trying the gates as each role ----------------------------------


def test_the_approver_publishes_only_the_changes_they_reviewed(client_for, make_user, meeting):
    staff, approver = client_for("staff"), Client()
    force_login_verified(approver, make_user("approver"))
    url = f"/scrutiny/meetings/{meeting.pk}/edit/"
    edit(staff, url, note="Reviewed words.")
    review = approver.get(meeting.get_publication_url())
    reviewed = soup(review).select_one("main input[name=reviewed]")["value"]
    edit(staff, url, note="Words nobody reviewed.")
    response = approver.post(
        meeting.get_publication_url(), {"action": "publish", "reviewed": reviewed}
    )
    assert response.status_code == 400
    assert "changed these changes since you opened this page" in text(soup(response).main)
    meeting.refresh_from_db()
    assert meeting.note == "The old note."


def test_unpublishing_makes_the_held_changes_the_draft(client_for, meeting):
    staff = client_for("staff")
    url = f"/scrutiny/meetings/{meeting.pk}/edit/"
    edit(staff, url, title="T1")
    publication_action(client_for("approver"), meeting, "unpublish")
    meeting.refresh_from_db()
    assert meeting.title == "T1" and not PendingChange.objects.exists()
    edit(staff, url, title="T2")
    publication_action(client_for("approver"), meeting, "publish")
    meeting.refresh_from_db()
    assert meeting.title == "T2"


def test_one_held_change_can_be_discarded_on_its_own(client_for, meeting):
    staff = client_for("staff")
    edit(staff, f"/scrutiny/meetings/{meeting.pk}/edit/", note="Keep this.")
    edit(staff, f"/scrutiny/meetings/{meeting.pk}/topics/new/", title="Drop this")
    page = soup(staff.get(meeting.get_publication_url()))
    form = next(f for f in page.select("main form") if "Add a scrutiny topic" in f.get_text())
    key = form.select_one("input[name=key]")["value"]
    reviewed = form.select_one("input[name=reviewed]")["value"]
    asked = staff.post(meeting.get_publication_url(), {"action": "discard", "key": key,
                                                      "reviewed": reviewed})  # fmt: skip
    assert "Discard these changes? They cannot be brought back." in text(soup(asked).main)
    staff.post(meeting.get_publication_url(), {"action": "discard", "key": key,
                                               "reviewed": reviewed, "confirm": "yes"})  # fmt: skip
    (change,) = PendingChange.objects.all()
    assert [op["action"] for op in change.operations] == ["update"]


def test_held_recommendation_numbers_must_differ_too(client_for):
    group = make_task_group()
    group.recommendations.create(number=1, text="First.")
    staff = client_for("staff")
    url = f"/scrutiny/task-groups/{group.slug}/recommendations/new/"
    edit(staff, url, number="2", text="Second.")
    response = staff.post(url, {**form_values(staff.get(url)), "number": "2", "text": "Again."})
    assert "Recommendation 2 already exists in this group" in text(soup(response).main)
    zero = staff.post(url, {**form_values(staff.get(url)), "number": "0", "text": "Zero."})
    assert "1 or more" in text(soup(zero).main)


def test_a_topic_waiting_to_be_removed_cannot_be_changed_silently(client_for, meeting):
    staff = client_for("staff")
    topic = meeting.topics.get()
    staff.post(f"/scrutiny/topics/{topic.pk}/delete/")
    url = f"/scrutiny/topics/{topic.pk}/edit/"
    response = staff.post(url, {**form_values(staff.get(url)), "title": "Changed"})
    assert "is waiting to be removed" in text(soup(response).main)
    (change,) = PendingChange.objects.all()
    assert [op["action"] for op in change.operations] == ["delete"]


def test_a_discarded_change_cannot_come_back_through_an_open_form(client_for, make_user, meeting):
    staff_a, staff_b = client_for("staff"), Client()
    force_login_verified(staff_b, make_user("staff"))
    url = f"/scrutiny/meetings/{meeting.pk}/edit/"
    edit(staff_a, url, chair="A chair change")
    opened = form_values(staff_a.get(url))
    publication_action(staff_b, meeting, "discard")
    response = staff_a.post(url, {**opened, "attendees": "Someone"})
    assert response.status_code == 409
    assert not PendingChange.objects.exists()


def test_after_a_held_date_change_staff_land_on_the_published_page(client_for):
    meeting = make_panel_meeting("2027-10-12")
    staff = client_for("staff")
    url = f"/scrutiny/panel/{meeting.date.isoformat()}/edit/"
    response = staff.post(url, {**form_values(staff.get(url)), "date_0": "15"})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert staff.get(response["Location"]).status_code == 200


def test_the_conflict_page_names_who_saved_the_held_change(client_for, make_user, meeting):
    first, second = Client(), client_for("staff")
    force_login_verified(first, make_user("staff", first_name="Fiona", last_name="First"))
    url = f"/scrutiny/meetings/{meeting.pk}/edit/"
    opened = form_values(second.get(url))
    edit(first, url, note="Fiona's note.")
    response = second.post(url, {**opened, "chair": "Someone"})
    assert "changed by Fiona First at" in text(soup(response).main)


def test_a_tampered_version_is_a_conflict_not_an_empty_error(client_for, meeting):
    staff = client_for("staff")
    url = f"/scrutiny/meetings/{meeting.pk}/edit/"
    for version in ("", "abc", "\x00", "99999999999999999999"):
        response = staff.post(url, {**form_values(staff.get(url)), "version": version})
        assert response.status_code == 409, version
        assert "since you opened it" in text(soup(response).main)


def test_a_held_uploaded_paper_can_be_opened_by_staff_before_publishing(client_for, meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scrutiny.tests.factories import make_pdf

    pdf = make_pdf()
    staff = client_for("staff")
    staff.post(f"/scrutiny/meetings/{meeting.pk}/papers/new/", {
        "title": "Held paper", "file": SimpleUploadedFile("p.pdf", pdf, "application/pdf"),
    })  # fmt: skip
    page = soup(staff.get(meeting.get_publication_url()))
    link = next(a for a in page.select("main a") if "Open the uploaded PDF" in a.get_text())
    response = staff.get(link["href"])
    assert b"".join(response.streaming_content) == pdf
    assert Client().get(link["href"]).status_code == 302  # sign in first
    assert staff.get(meeting.get_publication_url() + "files/nosuchkey/").status_code == 404


def test_papers_never_publish_an_unpublished_task_group(client_for, settings, tmp_path):
    from reports.services import publish_problems

    settings.MEDIA_ROOT = tmp_path
    group = make_task_group(title="Secret custody review", published=False)
    group.recommendations.create(number=1, text="Hidden recommendation.")
    report = make_report(make_panel_meeting("2022-03-14"), title="Task group report")
    add_section(report, kind="recommendations", params={"task_group": group.slug})
    problems = " ".join(publish_problems(report))
    assert "“Secret custody review” is not published yet" in problems


def test_the_papers_meeting_filter_offers_only_published_meetings(client_for, make_user):
    make_panel_meeting("2027-02-10", published=False)
    make_panel_meeting("2021-03-08")
    public = text(soup(Client().get("/reports/")).main)
    assert "8 March 2021" in public and "10 February 2027" not in public


def test_republishing_lists_the_sections_changed_since_the_last_revision(client_for, exempt_paper):
    section = exempt_paper.sections.get()
    staff = client_for("staff")
    edit(staff, f"/reports/sections/{section.pk}/edit/", heading="A new heading")
    add_section(exempt_paper, heading="An added section", body="More.")
    page = page_text(client_for("approver"), f"/reports/{exempt_paper.pk}/publish/")
    assert "Sections changed since the last revision" in page
    assert "A new heading: changed" in page and "An added section: added" in page
