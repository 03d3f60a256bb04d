"""Scrutiny pages as each role sees and uses them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plan.tests.factories import make_plan_with_measures
from scrutiny.models import Action, ScrutinyMeeting, ScrutinyPaper, ScrutinyTopic
from scrutiny.tests.factories import (
    at,
    make_action,
    make_meeting,
    make_panel_meeting,
    make_pdf,
    make_task_group,
    make_topic,
)
from tests.forms import publication_action
from tests.helpers import ROLES, soup, text


@pytest.fixture
def data(db):
    _, measures = make_plan_with_measures(priorities=1, measures_each=1)
    priority = measures[0].priority
    published = make_meeting(title="Published meeting")
    hidden = make_meeting(title="Unpublished meeting", published=False)
    make_topic(published, priorities=[priority], title="Public topic")
    make_topic(hidden, priorities=[priority], title="Secret topic")
    make_action(published, description="Public action", priority=priority)
    make_action(hidden, description="Secret action", priority=priority)
    group = make_task_group(title="Neighbourhood Policing Task Group")
    group.recommendations.create(number=1, text="Thank the Commissioner.")
    panel = make_panel_meeting()
    return {
        "priority": priority,
        "published": published,
        "hidden": hidden,
        "group": group,
        "panel": panel,
    }


def public_urls(d):
    return [
        "/scrutiny/meetings/",
        d["published"].get_absolute_url(),
        "/scrutiny/actions/",
        d["published"].actions.get().get_absolute_url(),
        "/scrutiny/panel/",
        d["panel"].get_absolute_url(),
        "/scrutiny/task-groups/",
        d["group"].get_absolute_url(),
        "/scrutiny/calendar.ics",
        d["priority"].get_absolute_url(),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_scrutiny_page_opens_for_every_role(client_for, data, role):
    client = client_for(role)
    for url in public_urls(data):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("title", "caption"),
    [
        ("Strategic Scrutiny meeting, March 2021", "Scrutiny"),
        ("Quarter 3 review", "Strategic Scrutiny meeting"),
    ],
)
def test_a_meetings_caption_does_not_repeat_its_title(client_for, title, caption):
    meeting = make_meeting(title=title)
    page = soup(client_for("anonymous").get(meeting.get_absolute_url()))
    assert text(page.select_one("main .govuk-caption-l")) == caption
    assert text(page.select_one("main h1")) == title


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_unpublished_meetings_are_404_and_never_listed_for_the_public(client_for, data, role):
    client = client_for(role)
    hidden = data["hidden"]
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(hidden.actions.get().get_absolute_url()).status_code == 404
    for url in public_urls(data):
        body = client.get(url).content.decode()
        for secret in ("Unpublished meeting", "Secret topic", "Secret action"):
            assert secret not in body, (url, secret)


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_staff_see_unpublished_meetings_marked_as_such(client_for, data, role):
    client = client_for(role)
    page = soup(client.get("/scrutiny/meetings/"))
    assert "Unpublished meeting" in text(page.main) and "Not published" in text(page.main)
    assert client.get(data["hidden"].get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("panel member", 403), ("staff", 200), ("approver", 200)],
)
def test_only_staff_open_the_forms(client_for, data, role, expected):
    client = client_for(role)
    meeting, group = data["published"], data["group"]
    for url in [
        "/scrutiny/meetings/new/",
        f"/scrutiny/meetings/{meeting.pk}/edit/",
        f"/scrutiny/meetings/{meeting.pk}/topics/new/",
        f"/scrutiny/meetings/{meeting.pk}/papers/new/",
        f"/scrutiny/meetings/{meeting.pk}/actions/new/",
        "/scrutiny/panel/new/",
        "/scrutiny/task-groups/new/",
        f"/scrutiny/task-groups/{group.slug}/recommendations/new/",
        f"/scrutiny/task-groups/{group.slug}/actions/new/",
    ]:
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize(("role", "expected"), [("staff", 403), ("approver", 302)])
def test_only_approvers_publish(client_for, data, role, expected):
    hidden = data["hidden"]
    response = client_for(role).post(
        f"/scrutiny/meetings/{hidden.pk}/publish/", {"action": "publish"}
    )
    assert response.status_code == expected
    hidden.refresh_from_db()
    assert hidden.published is (role == "approver")
    if role == "approver":
        assert client_for("anonymous").get(hidden.get_absolute_url()).status_code == 200


def meeting_form(**changes):
    form = {
        "kind": "strategic_scrutiny",
        "title": "Strategic Scrutiny meeting, December 2021",
        "date_0": "14",
        "date_1": "12",
        "date_2": "2021",
        "time": "10:00",
        "quarter": "2021-q2",
        "status": "held",
        "reschedule_reason": "",
        "rescheduled_to": "",
        "chair": "The PCC",
        "attendees": "PCC\nChief Constable",
        "note": "Went well.",
    }
    return {**form, **changes}


def test_staff_record_a_meeting_with_two_topics_and_an_action(client_for, data):
    client = client_for("staff")
    response = client.post("/scrutiny/meetings/new/", meeting_form())
    meeting = ScrutinyMeeting.objects.get(title="Strategic Scrutiny meeting, December 2021")
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.period.label.startswith("Quarter 2 2021/22")
    assert not meeting.published
    priority = data["priority"]
    for title in ("Force performance", "Anti-social behaviour"):
        client.post(
            f"/scrutiny/meetings/{meeting.pk}/topics/new/",
            {"title": title, "order": "1", "priorities": [priority.pk], "summary": "x"},
        )
    client.post(
        f"/scrutiny/meetings/{meeting.pk}/actions/new/",
        {
            "description": "Report 101 answer times",
            "owner": "Chief Constable",
            "due_date_0": "1",
            "due_date_1": "3",
            "due_date_2": "2022",
            "priority": priority.pk,
            "status": "open",
            "dropped_reason": "",
        },
    )
    assert meeting.topics.count() == 2
    action = meeting.actions.get()
    assert action.due_date == datetime.date(2022, 3, 1)
    assert meeting.history.get().history_user.groups.get().name == "OPCC staff"
    page = text(soup(client.get("/scrutiny/actions/")).main)
    assert "Report 101 answer times" in page
    assert "Report 101 answer times" in text(soup(client.get(priority.get_absolute_url())).main)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the meeting's title"),
        ({"date_0": "31", "date_1": "2"}, "date", "must be a real date"),
        ({"date_0": ""}, "date", "Enter the date of the meeting"),
        ({"time": "25:99"}, "time", "Enter a time like 14:00"),
        ({"date_2": "2099"}, "status", "cannot have been held in the future"),
        ({"status": "rescheduled"}, "rescheduled_to", "Select the meeting it was rescheduled to"),
        ({"quarter": "2021-q9"}, "quarter", "Select a valid choice"),
    ],
)
def test_bad_meeting_input_is_reported_and_nothing_is_saved(
    client_for, data, changes, field, message
):
    before = ScrutinyMeeting.objects.count()
    response = client_for("staff").post("/scrutiny/meetings/new/", meeting_form(**changes))
    assert response.status_code == 200
    assert message in text(soup(response).find(class_="govuk-error-summary"))
    assert ScrutinyMeeting.objects.count() == before


def test_action_due_before_its_meeting_is_refused(client_for, data):
    meeting = data["published"]
    response = client_for("staff").post(
        f"/scrutiny/meetings/{meeting.pk}/actions/new/",
        {
            "description": "Too early",
            "owner": "CC",
            "due_date_0": "1",
            "due_date_1": "1",
            "due_date_2": "2020",
            "status": "open",
        },
    )
    assert "cannot be before the meeting" in text(soup(response).find(class_="govuk-error-summary"))
    assert not Action.objects.filter(description="Too early").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "The selected file is empty"), (b"MZ\x90\x00 not a pdf", "must be a PDF")],
)
def test_a_paper_that_is_not_a_pdf_is_refused_and_nothing_stored(
    client_for, data, content, message, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting = data["published"]
    upload = SimpleUploadedFile("paper.pdf", content, content_type="application/pdf")
    response = client_for("staff").post(
        f"/scrutiny/meetings/{meeting.pk}/papers/new/", {"title": "Performance", "file": upload}
    )
    assert message in text(soup(response).find(class_="govuk-error-summary"))
    assert not ScrutinyPaper.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_pdf_paper_is_stored_and_served_only_to_those_who_may_see_its_meeting(
    client_for, data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    staff = client_for("staff")
    pdf = make_pdf()
    for meeting in (data["published"], data["hidden"]):
        staff.post(
            f"/scrutiny/meetings/{meeting.pk}/papers/new/",
            {
                "title": f"Paper of {meeting.title}",
                "received_from": "Chief Constable",
                "file": SimpleUploadedFile("p.pdf", pdf, content_type="application/pdf"),
            },
        )
    # On the published meeting, the paper waits for an approver to publish it.
    assert not ScrutinyPaper.objects.filter(meeting=data["published"]).exists()
    publication_action(client_for("approver"), data["published"], "publish")
    public, secret = (
        ScrutinyPaper.objects.get(meeting=m) for m in (data["published"], data["hidden"])
    )
    assert public.file.name.endswith(".pdf")
    staff.logout()
    response = staff.get(f"/scrutiny/papers/{public.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf
    assert staff.get(f"/scrutiny/papers/{secret.pk}/").status_code == 404


def test_progress_notes_and_closing_an_action(client_for, data):
    action = data["published"].actions.get()
    client = client_for("staff")
    empty = client.post(
        f"/scrutiny/actions/{action.pk}/notes/",
        {"written_on_0": "1", "written_on_1": "10", "written_on_2": "2021", "text": ""},
    )
    assert empty.status_code == 400
    assert "Enter the progress made" in text(soup(empty).find(class_="govuk-error-summary"))
    client.post(
        f"/scrutiny/actions/{action.pk}/notes/",
        {"written_on_0": "1", "written_on_1": "10", "written_on_2": "2021", "text": "Begun"},
    )
    action.refresh_from_db()
    assert action.status == "in_progress" and action.notes.get().text == "Begun"
    response = client.post(
        f"/scrutiny/actions/{action.pk}/edit/",
        {
            "description": action.description,
            "owner": action.owner,
            "due_date_0": "1",
            "due_date_1": "12",
            "due_date_2": "2021",
            "status": "dropped",
            "dropped_reason": "",
        },
    )
    assert "Enter why the action was dropped" in text(
        soup(response).find(class_="govuk-error-summary")
    )
    client.post(
        f"/scrutiny/actions/{action.pk}/edit/",
        {
            "description": action.description,
            "owner": action.owner,
            "due_date_0": "1",
            "due_date_1": "12",
            "due_date_2": "2021",
            "status": "done",
            "dropped_reason": "",
            "version": action.version,  # the version the form was opened at
        },
    )
    action.refresh_from_db()
    assert action.status == "done" and action.closed_on is not None


def test_panel_members_cannot_add_notes(client_for, data):
    action = data["published"].actions.get()
    response = client_for("panel member").post(
        f"/scrutiny/actions/{action.pk}/notes/", {"text": "x"}
    )
    assert response.status_code == 403
    assert not action.notes.exists()


def test_action_tracker_filters_and_says_overdue_in_words(client_for, data):
    client = client_for("anonymous")
    page = soup(client.get("/scrutiny/actions/", {"overdue": "on"}))
    assert "Public action" in text(page.main) and "Overdue" in text(page.main)
    page = soup(client.get("/scrutiny/actions/", {"status": "done"}))
    assert "Public action" not in text(page.main)
    page = soup(client.get("/scrutiny/actions/", {"owner": "chief"}))
    assert "Public action" in text(page.main)


@pytest.mark.parametrize(
    ("query", "message", "lists_2019"),
    [
        ({"year": "abc"}, "Choose a year from the list", True),
        ({"priority": "999999"}, "Choose a priority from the list", True),
        ({"kind": "<b>"}, "Choose a kind from the list", True),
        # The wrong filter is ignored; the right one beside it still applies.
        ({"year": "2021", "priority": "x"}, "Choose a priority from the list", False),
    ],
)
def test_nonsense_filters_give_a_message_not_a_500(client_for, data, query, message, lists_2019):
    make_meeting(title="Meeting of 2019", starts_at=at("2019-09-17"))
    response = client_for("anonymous").get("/scrutiny/meetings/", query)
    assert response.status_code == 200
    page = soup(response)
    assert message in text(page.find(class_="govuk-error-summary"))
    assert "Published meeting" in text(page.main)
    assert ("Meeting of 2019" in text(page.main)) is lists_2019


@pytest.mark.parametrize("number", ["abc", "999"])
def test_a_page_number_that_is_no_page_of_the_list_is_404(client_for, data, number):
    response = client_for("anonymous").get("/scrutiny/meetings/", {"page": number})
    assert response.status_code == 404


def test_meetings_filter_by_priority(client_for, data):
    other = make_meeting(title="Meeting without topics")
    page = text(
        soup(
            client_for("anonymous").get("/scrutiny/meetings/", {"priority": data["priority"].pk})
        ).main
    )
    assert "Published meeting" in page and other.title not in page


def test_rescheduled_meeting_shows_where_it_moved_and_why(client_for, db):
    later = make_meeting(
        title="March meeting",
        starts_at=__import__("scrutiny.tests.factories", fromlist=["at"]).at("2021-03-16"),
    )
    moved = make_meeting(
        title="February meeting",
        status="rescheduled",
        rescheduled_to=later,
        reschedule_reason="Annual leave and half term",
        starts_at=later.starts_at - datetime.timedelta(days=28),
    )
    page = text(soup(client_for("anonymous").get(moved.get_absolute_url())).main)
    assert "Rescheduled to 16 March 2021" in page and "Annual leave and half term" in page
    page = text(soup(client_for("anonymous").get(later.get_absolute_url())).main)
    assert "Rescheduled from" in page


def test_task_group_shows_numbered_recommendations_with_response_and_status(client_for, data):
    page = soup(client_for("anonymous").get(data["group"].get_absolute_url()))
    row = page.find("th", string="1").parent
    assert "Thank the Commissioner." in text(row)
    assert "No response yet" in text(row) and "Awaiting response" in text(row)


def test_recommendation_numbers_are_unique_in_a_group(client_for, data):
    group = data["group"]
    response = client_for("staff").post(
        f"/scrutiny/task-groups/{group.slug}/recommendations/new/",
        {"number": "1", "text": "Again", "status": "accepted"},
    )
    assert "Recommendation 1 already exists" in text(
        soup(response).find(class_="govuk-error-summary")
    )
    assert group.recommendations.count() == 1


def test_deleting_a_topic_asks_first(client_for, data):
    topic = make_topic(data["hidden"], title="Topic of an unpublished meeting")
    client = client_for("staff")
    confirm = soup(client.get(f"/scrutiny/topics/{topic.pk}/delete/"))
    assert "This cannot be undone" in text(confirm.main)
    assert ScrutinyTopic.objects.filter(pk=topic.pk).exists()
    client.post(f"/scrutiny/topics/{topic.pk}/delete/")
    assert not ScrutinyTopic.objects.filter(pk=topic.pk).exists()


def test_deleting_a_topic_of_a_published_meeting_waits_for_an_approver(client_for, data):
    topic = ScrutinyTopic.objects.get(title="Public topic")
    client_for("staff").post(f"/scrutiny/topics/{topic.pk}/delete/")
    assert "Public topic" in text(
        soup(client_for("anonymous").get(topic.meeting.get_absolute_url())).main
    )
    publication_action(client_for("approver"), topic.meeting, "publish")
    assert not ScrutinyTopic.objects.filter(pk=topic.pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/scrutiny/meetings/999999/",
        "/scrutiny/actions/999999/",
        "/scrutiny/panel/2021-02-30/",
        "/scrutiny/panel/2030-01-01/",
        "/scrutiny/panel/9999-12-31/",
        "/scrutiny/panel/9999-12-31/edit/",
        "/scrutiny/panel/9999-12-31/pack.pdf",
        "/scrutiny/panel/0001-01-01/",
        "/scrutiny/panel/0000-00-00/",
        "/scrutiny/task-groups/no-such-group/",
        "/scrutiny/papers/999999/",
    ],
)
def test_unknown_ids_dates_and_slugs_are_404(client_for, data, path):
    assert client_for("staff").get(path).status_code == 404


def test_priority_page_shows_scrutiny_of_the_priority(client_for, data):
    page = text(soup(client_for("anonymous").get(data["priority"].get_absolute_url())).main)
    assert "Scrutiny of this priority" in page
    assert "Public topic" in page and "Public action" in page
    assert "Secret topic" not in page


def panel_form(**changes):
    return {
        "date_0": "12",
        "date_1": "10",
        "date_2": "2021",
        "time": "14:00",
        "venue": "County Hall",
        "status": "scheduled",
        **changes,
    }


def test_a_second_panel_meeting_the_same_day_is_an_error_not_a_500(client_for, data):
    response = client_for("staff").post("/scrutiny/panel/new/", panel_form())
    assert response.status_code == 200
    assert "already a panel meeting that day" in text(
        soup(response).find(class_="govuk-error-summary")
    )


@pytest.mark.parametrize("year", ["21", "1850"])
def test_a_year_must_have_four_plausible_digits(client_for, data, year):
    response = client_for("staff").post("/scrutiny/panel/new/", panel_form(date_2=year, date_0="7"))
    assert "as 4 digits, like 2021" in text(soup(response).find(class_="govuk-error-summary"))


@pytest.mark.parametrize("slug", ["new", "edit"])
def test_task_groups_cannot_take_the_portals_own_addresses(client_for, data, slug):
    response = client_for("staff").post(
        "/scrutiny/task-groups/new/", {"title": "A group", "slug": slug, "status": "active"}
    )
    assert "used by the portal itself" in text(soup(response).find(class_="govuk-error-summary"))


@pytest.mark.parametrize(
    "path", ["/scrutiny/actions/", "/scrutiny/panel/", "/scrutiny/task-groups/"]
)
def test_the_scrutiny_section_is_current_on_all_its_pages(client, data, path):
    current = soup(client.get(path)).find("a", attrs={"aria-current": "true"})
    assert current is not None and text(current) == "Scrutiny"


def test_a_task_group_address_already_taken_says_so_in_words(client_for, data):
    response = client_for("staff").post("/scrutiny/task-groups/new/", {
        "title": "Again", "slug": data["group"].slug, "status": "active",
    })  # fmt: skip
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "Another task group already has that web address name" in summary


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999"])
def test_an_out_of_range_priority_on_a_topic_is_refused_in_words(client_for, data, value):
    meeting = data["published"]
    response = client_for("staff").post(
        f"/scrutiny/meetings/{meeting.pk}/topics/new/",
        {"title": "Knife crime", "order": "3", "priorities": [str(data["priority"].pk), value]},
    )
    assert response.status_code == 200
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "not one of the available choices" in summary
    assert not meeting.topics.filter(title="Knife crime").exists()


def test_an_owner_filter_too_long_to_run_is_refused_in_words(client, data):
    response = client.get("/scrutiny/actions/", {"owner": "A" * 100_000})
    assert response.status_code == 200
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "Owner must be 200 characters or fewer" in summary
    assert "Public action" in text(soup(response).main)


@pytest.mark.parametrize("part", ["date_0", "date_1", "date_2"])
def test_a_date_part_too_large_for_any_date_is_refused_in_words(client_for, data, part):
    response = client_for("staff").post(
        "/scrutiny/panel/new/", panel_form(**{part: "99999999999999999999"})
    )
    assert response.status_code == 200
    summary = text(soup(response).find(class_="govuk-error-summary"))
    assert "The date of the meeting must be a real date" in summary


def test_a_refused_progress_note_keeps_the_action_page_and_what_was_typed(client_for, data):
    """The note form shares the action's page but posts to its own route: its error page is
    the action's page, with the date and text typed and the form still posting to the note."""
    action = data["published"].actions.get()
    url = f"/scrutiny/actions/{action.pk}/notes/"
    typed = {"written_on_0": "31", "written_on_1": "2", "written_on_2": "2021", "text": "Begun"}
    response = client_for("staff").post(url, typed)
    assert response.status_code == 400
    page = soup(response)
    assert "must be a real date" in text(page.find(class_="govuk-error-summary"))
    assert text(page.find("h1")) == text(
        soup(client_for("staff").get(action.get_absolute_url())).find("h1")
    )
    form = page.find("textarea", attrs={"name": "text"}).find_parent("form")
    assert form["action"] == url
    assert form.find("textarea", attrs={"name": "text"}).text.strip() == "Begun"
    parts = [form.find("input", attrs={"name": f"written_on_{i}"})["value"] for i in range(3)]
    assert parts == ["31", "2", "2021"]
    assert [b["value"] for b in form.find_all("input", type="submit")] == ["Add the note"]
    assert not action.notes.exists()


def test_a_long_list_of_meetings_links_the_pages_near_this_one_and_the_ends(client, db):
    """Twenty-five pages of meetings: page 10 links pages 1, 8 to 12 and 25, and says which
    numbers it leaves out, rather than listing every page."""
    ScrutinyMeeting.objects.bulk_create(
        ScrutinyMeeting(
            title=f"Meeting {n}",
            starts_at=at("2021-09-21") - datetime.timedelta(days=n),
            status="held",
            published=True,
        )
        for n in range(25 * 20)
    )
    page = soup(client.get("/scrutiny/meetings/?page=10"))
    pagination = page.select_one(".govuk-pagination")
    links = [text(a) for a in pagination.select(".govuk-pagination__item a")]
    assert links == ["1", "8", "9", "10", "11", "12", "25"]
    assert len(pagination.select(".govuk-pagination__item--ellipses")) == 2
    current = pagination.select_one("[aria-current=page]")
    assert text(current) == "10"
    assert "Meeting 180" in text(page.main)  # the tenth page's first meeting
