"""A panel meeting's agenda: the standard items, adding, moving and removing items, Part II
items last and hidden from the public, and the pages staff use."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcc_portal.models import PendingChange
from reports.tests.factories import make_report
from scrutiny import services
from scrutiny.models import AgendaItem, PanelMeeting
from scrutiny.selectors import meeting_agenda
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text

ROLES = ("anonymous", "panel member", "staff", "approver")


def user_in(role, make_user):
    return AnonymousUser() if role == "anonymous" else make_user(role)


def titles(meeting, user) -> list[tuple[int, str]]:
    return [(row.number, row.title) for row in meeting_agenda(meeting, user)]


def item(meeting, title, position, **fields) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, title=title, position=position, **fields)


@pytest.fixture
def draft_meeting(db):
    return make_panel_meeting("2021-03-08", published=False)


def test_a_new_meeting_starts_with_the_standard_items(client_for):
    client = client_for("staff")
    response = client.post(
        "/scrutiny/panel/new/",
        {"date_0": "8", "date_1": "3", "date_2": "2021", "time": "10:00",
         "venue": "County Hall, Preston", "status": "held"},
    )  # fmt: skip
    assert response.status_code == 302
    meeting = PanelMeeting.objects.get()
    assert [i.title for i in meeting.agenda_items.order_by("position")] == list(
        AgendaItem.STANDARD_TITLES
    )
    assert {i.kind for i in meeting.agenda_items.all()} == {"standard"}
    assert all(i.history.count() == 1 for i in meeting.agenda_items.all())


def test_adding_the_standard_items_puts_them_first_once(make_user, draft_meeting):
    staff = make_user("staff")
    item(draft_meeting, "Commissioner's update", 1, kind="paper")
    assert len(services.agenda_start(meeting=draft_meeting, user=staff)) == 5
    assert services.agenda_start(meeting=draft_meeting, user=staff) == []
    numbered = titles(draft_meeting, staff)
    assert numbered[:5] == list(enumerate(AgendaItem.STANDARD_TITLES, start=1))
    assert numbered[5] == (6, "Commissioner's update")


def test_part_ii_items_come_last_and_numbering_is_continuous(make_user, draft_meeting):
    staff = make_user("staff")
    item(draft_meeting, "Apologies for absence", 1)
    item(draft_meeting, "Estates strategy", 2, is_exempt=True, exempt_paragraph=3)
    item(draft_meeting, "Public questions", 3)
    added = services.agenda_item_add(
        item=AgendaItem(meeting=draft_meeting, title="Date of the next meeting"), user=staff
    )
    assert added.position == 4
    assert titles(draft_meeting, staff) == [
        (1, "Apologies for absence"),
        (2, "Public questions"),
        (3, "Date of the next meeting"),
        (4, "Estates strategy"),
    ]
    assert AgendaItem.objects.get(title="Estates strategy").number() == 4


def test_a_part_ii_item_needs_its_paragraph_of_schedule_12a(make_user, draft_meeting):
    with pytest.raises(ValidationError) as error:
        services.agenda_item_add(
            item=AgendaItem(meeting=draft_meeting, title="Closed", is_exempt=True),
            user=make_user("staff"),
        )
    assert "exempt_paragraph" in error.value.message_dict
    assert not AgendaItem.objects.exists()


def test_moving_swaps_with_the_neighbour_within_its_part(make_user, draft_meeting):
    staff = make_user("staff")
    first = item(draft_meeting, "First", 1)
    second = item(draft_meeting, "Second", 2)
    closed = item(draft_meeting, "Closed", 3, is_exempt=True, exempt_paragraph=1)
    assert services.agenda_item_move(item=second, user=staff, up=True)
    assert [t for _, t in titles(draft_meeting, staff)] == ["Second", "First", "Closed"]
    assert not services.agenda_item_move(
        item=AgendaItem.objects.get(pk=second.pk), user=staff, up=True
    )
    # Part II items never move among the open ones.
    assert not services.agenda_item_move(item=closed, user=staff, up=True)
    assert not services.agenda_item_move(
        item=AgendaItem.objects.get(pk=first.pk), user=staff, up=False
    )
    assert first.history.latest().history_change_reason == "Moved on the agenda"


def test_an_item_with_papers_cannot_be_removed(make_user, draft_meeting):
    staff = make_user("staff")
    filed = item(draft_meeting, "Performance", 1, kind="paper")
    make_report(draft_meeting, agenda_item=filed)
    empty = item(draft_meeting, "Public questions", 2)
    with pytest.raises(ValidationError):
        services.agenda_item_remove(item=filed, user=staff)
    assert services.agenda_item_remove(item=empty, user=staff) is True
    assert list(draft_meeting.agenda_items.values_list("title", flat=True)) == ["Performance"]


def test_changes_to_a_published_meetings_agenda_wait_for_an_approver(make_user):
    meeting = make_panel_meeting("2021-03-08")  # published
    services.agenda_item_add(item=AgendaItem(meeting=meeting, title="Late item"), user=make_user())
    assert not meeting.agenda_items.exists()
    assert PendingChange.objects.get().operations[0]["action"] == "create"


@pytest.mark.parametrize(
    "role, may_change", [("anonymous", False), ("panel member", False), ("staff", True),
                         ("approver", True)],
)  # fmt: skip
def test_who_may_add_move_and_remove_items(role, may_change, make_user, draft_meeting):
    user = user_in(role, make_user)
    one, two = item(draft_meeting, "One", 1), item(draft_meeting, "Two", 2)
    calls = [
        lambda: services.agenda_start(meeting=draft_meeting, user=user),
        lambda: services.agenda_item_add(
            item=AgendaItem(meeting=draft_meeting, title="X"), user=user
        ),
        lambda: services.agenda_item_save(item=one, user=user),
        lambda: services.agenda_item_move(item=two, user=user, up=True),
        lambda: services.agenda_item_remove(item=two, user=user),
    ]
    for call in calls:
        if may_change:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    assert draft_meeting.agenda_items.count() == (7 if may_change else 2)


@pytest.mark.parametrize(
    "role, sees_title", [("anonymous", False), ("panel member", True), ("staff", True),
                         ("approver", True)],
)  # fmt: skip
def test_only_those_who_may_see_exempt_items_learn_a_part_ii_title(role, sees_title, make_user):
    meeting = make_panel_meeting("2021-03-08")
    item(meeting, "Apologies for absence", 1)
    item(meeting, "Chief Constable's contract", 2, is_exempt=True, exempt_paragraph=1,
         description="Terms.")  # fmt: skip
    rows = meeting_agenda(meeting, user_in(role, make_user))
    assert [r.number for r in rows] == [1, 2]
    expected = "Chief Constable's contract" if sees_title else AgendaItem.EXEMPT_TITLE
    assert rows[1].title == rows[1].item.title == expected
    assert rows[1].hidden is not sees_title
    assert (rows[1].description == "Terms.") is sees_title


def test_nobody_but_staff_sees_the_items_of_an_unpublished_meeting(make_user, draft_meeting):
    item(draft_meeting, "Apologies for absence", 1)
    assert not AgendaItem.objects.visible_to(make_user("panel member")).exists()
    assert AgendaItem.objects.visible_to(make_user("staff")).count() == 1


# --- The pages ---------------------------------------------------------------------------


@pytest.fixture
def meeting_with_agenda(db):
    meeting = make_panel_meeting("2021-03-08")
    for position, title in enumerate(AgendaItem.STANDARD_TITLES, start=1):
        item(meeting, title, position, kind="standard")
    performance = item(meeting, "Performance monitoring", 6, kind="paper")
    item(meeting, "Estates", 7, is_exempt=True, exempt_paragraph=3)
    make_report(meeting, title="Performance report", status="published", agenda_item=performance)
    return meeting


def test_the_public_sees_the_numbered_agenda_and_part_ii_without_its_title(
    client, meeting_with_agenda
):
    page = soup(client.get("/scrutiny/panel/2021-03-08/"))
    items = [text(h3) for h3 in page.main.select(".portal-agenda-item h3")]
    assert items[0] == "Item 1: Apologies for absence"
    assert items[5] == "Item 6: Performance monitoring"
    assert items[6] == "Item 7: Exempt item"
    words = text(page.main)
    assert "Estates" not in words
    assert "Resolution to exclude the press and public" in words
    assert "Paragraph 3: information relating to the financial or business affairs" in words
    assert "Performance report" in words  # the item's paper, linked
    assert "Add an agenda item" not in words


def test_staff_see_every_title_and_the_controls(client_for, meeting_with_agenda):
    words = text(soup(client_for("staff").get("/scrutiny/panel/2021-03-08/")).main)
    assert "Item 7: Estates" in words
    assert "Add an agenda item" in words
    assert "Add the standard items" not in words  # it has them


def test_the_resolution_line_shows_only_with_part_ii_items(client, db):
    meeting = make_panel_meeting("2021-03-08")
    item(meeting, "Apologies for absence", 1)
    assert "Resolution to exclude" not in text(soup(client.get("/scrutiny/panel/2021-03-08/")).main)


def test_staff_add_the_standard_items_with_a_button(client_for, db):
    make_panel_meeting("2021-03-08")
    client = client_for("staff")
    assert "Add the standard items" in text(soup(client.get("/scrutiny/panel/2021-03-08/")).main)
    response = client.post("/scrutiny/panel/2021-03-08/agenda/standard/")
    assert response.status_code == 302
    assert PendingChange.objects.get().operations[0]["fields"]["title"] == "Apologies for absence"


def test_the_item_form_shows_errors_and_saves_nothing(client_for, draft_meeting):
    client = client_for("staff")
    url = "/scrutiny/panel/2021-03-08/agenda/new/"
    page = soup(client.post(url, {"title": "", "kind": "other", "is_exempt": "on"}))
    summary = text(page.select_one(".govuk-error-summary"))
    assert "Enter the item's title" in summary
    assert "Select the paragraph of Schedule 12A that applies" in summary
    assert not AgendaItem.objects.exists()
    response = client.post(
        url, {"title": "Estates", "kind": "other", "is_exempt": "on", "exempt_paragraph": "3"}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get().exempt_paragraph == 3


def test_removing_asks_first_and_refuses_an_item_with_papers(client_for, meeting_with_agenda):
    client = client_for("staff")
    filed = AgendaItem.objects.get(title="Performance monitoring")
    confirm = client.get(f"/scrutiny/panel/2021-03-08/agenda/{filed.pk}/remove/")
    assert "Remove this agenda item?" in text(soup(confirm))
    client.post(f"/scrutiny/panel/2021-03-08/agenda/{filed.pk}/remove/")
    assert AgendaItem.objects.filter(pk=filed.pk).exists()
    assert not PendingChange.objects.exists()


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("panel member", 403)])
def test_only_staff_open_the_item_pages(client_for, role, status, meeting_with_agenda):
    client = client_for(role)
    pk = AgendaItem.objects.first().pk
    for url in ("agenda/new/", f"agenda/{pk}/edit/", f"agenda/{pk}/remove/"):
        assert client.get(f"/scrutiny/panel/2021-03-08/{url}").status_code == status
    assert client.post(f"/scrutiny/panel/2021-03-08/agenda/{pk}/move/down/").status_code == status


def test_a_move_in_an_unknown_direction_is_not_found(client_for, meeting_with_agenda):
    pk = AgendaItem.objects.first().pk
    response = client_for("staff").post(f"/scrutiny/panel/2021-03-08/agenda/{pk}/move/sideways/")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_meeting_page_runs_the_same_queries_with_ten_times_the_agenda(client_for, role, db):
    meeting = make_panel_meeting("2021-03-08")
    client = client_for(role)

    def grow(count):
        start = meeting.agenda_items.count()
        for n in range(start, start + count):
            filed = item(meeting, f"Item {n}", n + 1, is_exempt=n % 3 == 0,
                         exempt_paragraph=1 if n % 3 == 0 else None)  # fmt: skip
            make_report(meeting, title=f"Paper {n}", status="published", agenda_item=filed,
                        is_exempt=n % 3 == 0)  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/scrutiny/panel/2021-03-08/").status_code == 200
        return len(captured)

    grow(3)
    once = queries()
    grow(27)
    assert queries() == once
