"""A published meeting rescheduled to one not yet published: the public learn that it moved
and why, never the unpublished meeting's date or address."""

import icalendar
import pytest

from scrutiny.tests.factories import at, make_meeting
from tests.helpers import soup, text

SEES_UNPUBLISHED = {"anonymous": False, "panel member": False, "staff": True, "approver": True}


def summary(response) -> dict[str, str]:
    """The meeting's summary list, each value as it reads (no space before a full stop)."""
    rows = soup(response).main.select(".govuk-summary-list__row")
    return {text(row.dt): " ".join(row.dd.get_text().split()) for row in rows}


@pytest.fixture
def moved(db):
    later = make_meeting(
        title="Rearranged meeting", starts_at=at("2021-03-16"), status="scheduled", published=False
    )
    return make_meeting(
        title="February meeting",
        starts_at=at("2021-02-16"),
        status="rescheduled",
        rescheduled_to=later,
        reschedule_reason="Annual leave and half term",
    )


@pytest.mark.parametrize("role", list(SEES_UNPUBLISHED))
def test_the_new_date_of_an_unpublished_meeting_is_for_staff_only(client_for, moved, role):
    response = client_for(role).get(moved.get_absolute_url())
    page = soup(response).main
    rows = summary(response)
    later_url = moved.rescheduled_to.get_absolute_url()
    if SEES_UNPUBLISHED[role]:
        assert rows["Rescheduled to"] == "16 March 2021. Annual leave and half term"
        assert page.find("a", href=later_url)
    else:
        assert rows["Rescheduled"] == (
            "The new date has not been published yet. Annual leave and half term"
        )
        assert "Rescheduled to" not in rows
        assert "16 March 2021" not in text(page) and not page.find("a", href=later_url)


def test_the_calendar_does_not_give_the_date_of_an_unpublished_meeting(client, moved):
    calendar = icalendar.Calendar.from_ical(client.get("/scrutiny/calendar.ics").content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "February meeting" and str(event["status"]) == "CANCELLED"
    assert str(event["description"]) == "Rescheduled: Annual leave and half term"
    assert b"16 March" not in client.get("/scrutiny/calendar.ics").content


def test_once_the_new_meeting_is_published_everyone_sees_its_date(client, moved):
    moved.rescheduled_to.published = True
    moved.rescheduled_to.save()
    rows = summary(client.get(moved.get_absolute_url()))
    assert rows["Rescheduled to"] == "16 March 2021. Annual leave and half term"
    calendar = icalendar.Calendar.from_ical(client.get("/scrutiny/calendar.ics").content)
    february = next(e for e in calendar.walk("VEVENT") if e["summary"] == "February meeting")
    assert "Rescheduled to 16 March 2021: Annual leave and half term" in str(
        february["description"]
    )
