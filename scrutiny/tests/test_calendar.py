"""The iCalendar feed, read back with the icalendar package."""

import datetime
import zoneinfo

import icalendar
import pytest

from scrutiny.tests.factories import at, make_meeting, make_panel_meeting

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def feed(client, db):
    make_panel_meeting("2021-10-12")
    make_panel_meeting("2021-12-06", status="cancelled")
    march = make_meeting(title="March meeting", starts_at=at("2021-03-16"))
    make_meeting(
        title="February meeting",
        starts_at=at("2021-02-16"),
        status="rescheduled",
        rescheduled_to=march,
        reschedule_reason="Half term",
    )
    make_meeting(title="Unpublished meeting", published=False)

    def read():
        response = client.get("/scrutiny/calendar.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        return icalendar.Calendar.from_ical(response.content)

    return read


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_feed_has_panel_meetings_and_published_scrutiny_meetings_only(feed):
    found = events(feed())
    assert set(found) == {"Police and Crime Panel meeting", "March meeting", "February meeting"}
    panel = [e for e in feed().walk("VEVENT") if str(e["summary"]).startswith("Police")]
    assert len(panel) == 2


def test_times_are_in_europe_london_with_a_timezone_definition(feed):
    calendar = feed()
    march = events(calendar)["March meeting"]
    start = march.decoded("dtstart")
    assert start == datetime.datetime(2021, 3, 16, 10, 0, tzinfo=LONDON)
    assert march["dtstart"].params["TZID"] == "Europe/London"
    assert any(tz["tzid"] == "Europe/London" for tz in calendar.walk("VTIMEZONE"))


def test_cancelled_and_rescheduled_meetings_are_marked_cancelled(feed):
    calendar = feed()
    statuses = sorted(str(e["status"]) for e in calendar.walk("VEVENT"))
    assert statuses == ["CANCELLED", "CANCELLED", "CONFIRMED", "CONFIRMED"]
    february = events(calendar)["February meeting"]
    assert "Rescheduled to 16 March 2021" in str(february["description"])


def test_uids_are_stable_between_requests(feed):
    first = sorted(str(e["uid"]) for e in feed().walk("VEVENT"))
    second = sorted(str(e["uid"]) for e in feed().walk("VEVENT"))
    assert first == second and len(set(first)) == 4
    assert all(uid.endswith("@pcc-portal") for uid in first)
