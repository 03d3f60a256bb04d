"""A meeting's time and a panel meeting's venue may be not known: stored so, shown as "not
recorded" on every page, feed and paper that shows them, never made up."""

import datetime

import icalendar
from django.utils import timezone

from reports.packs import pack_document
from scrutiny.models import PanelMeeting, ScrutinyMeeting
from scrutiny.tests.factories import at, make_meeting, make_panel_meeting
from tests.helpers import soup, text


def untimed_panel_meeting(day="2021-10-12", **fields) -> PanelMeeting:
    return PanelMeeting.objects.create(
        starts_at=at(day, "00:00"), time_recorded=False, venue="", **fields
    )


def test_a_blank_time_and_venue_are_saved_as_not_known(client_for, db):
    form = {"date_0": "12", "date_1": "10", "date_2": "2021", "time": "", "venue": "",
            "status": "scheduled"}  # fmt: skip
    response = client_for("staff").post("/scrutiny/panel/new/", form)
    assert response.status_code == 302
    meeting = PanelMeeting.objects.get()
    assert not meeting.time_recorded and meeting.venue == ""
    assert meeting.date == datetime.date(2021, 10, 12)
    # editing it again shows the time blank, and giving a time records it
    edit = client_for("staff").get("/scrutiny/panel/2021-10-12/edit/")
    assert 'name="time" value=' not in edit.content.decode()
    form.update(time="10:30", version=str(meeting.version))
    client_for("staff").post("/scrutiny/panel/2021-10-12/edit/", form)
    meeting.refresh_from_db()
    assert meeting.time_recorded and timezone.localtime(meeting.starts_at).hour == 10


def test_a_bad_time_is_still_refused(client_for, db):
    form = {"date_0": "12", "date_1": "10", "date_2": "2021", "time": "half ten", "venue": "",
            "status": "scheduled"}  # fmt: skip
    response = client_for("staff").post("/scrutiny/panel/new/", form)
    assert response.status_code == 200
    assert "Enter a time like 14:00" in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_pages_say_not_recorded(client_for, db):
    untimed_panel_meeting(published=True)
    make_meeting(title="September meeting", starts_at=at("2021-09-21", "00:00"),
                 time_recorded=False)  # fmt: skip
    public = client_for("anonymous")
    detail = text(soup(public.get("/scrutiny/panel/2021-10-12/")))
    assert "12 October 2021 (time not recorded)" in detail
    assert "Venue Not recorded" in detail
    listing = text(soup(public.get("/scrutiny/panel/")))
    assert "Not recorded" in listing
    meetings = text(soup(public.get("/scrutiny/meetings/")))
    assert "21 September 2021 (time not recorded)" in meetings and "12:00am" not in meetings


def test_the_pack_says_not_recorded(db):
    html = pack_document(untimed_panel_meeting(), [], "public")
    assert "(time not recorded)" in html and "Venue not recorded" in html
    assert "12:00 am" not in html.lower()


def test_an_untimed_meeting_is_an_all_day_event_in_the_calendar(client, db):
    untimed_panel_meeting("2021-10-12", published=True)
    make_panel_meeting("2021-12-06", published=True)
    make_meeting(title="September meeting", starts_at=at("2021-09-21", "00:00"),
                 time_recorded=False)  # fmt: skip
    calendar = icalendar.Calendar.from_ical(client.get("/scrutiny/calendar.ics").content)
    found = {
        (str(e["summary"]), e.decoded("dtstart")): e.decoded("dtend")
        for e in calendar.walk("VEVENT")
    }
    assert found[("Police and Crime Panel meeting", datetime.date(2021, 10, 12))] == (
        datetime.date(2021, 10, 13)
    )
    assert found[("September meeting", datetime.date(2021, 9, 21))] == datetime.date(2021, 9, 22)
    timed = [start for (_, start) in found if isinstance(start, datetime.datetime)]
    assert len(timed) == 1  # the December meeting keeps its time
    assert b"DTSTART;VALUE=DATE:20211012" in client.get("/scrutiny/panel/calendar.ics").content
    assert ScrutinyMeeting.objects.get().time_recorded is False
