"""The iCalendar feeds, read back with two independent parsers: icalendar and vobject."""

import datetime

import icalendar
import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutiny.models import PanelMeeting, ScrutinyMeeting
from scrutiny.tests.factories import at, make_meeting, make_panel_meeting

UTC = datetime.UTC


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


def _instants_icalendar(content: bytes) -> dict[str, tuple]:
    calendar = icalendar.Calendar.from_ical(content)
    return {
        str(e["uid"]): (e.decoded("dtstart"), e.decoded("dtend")) for e in calendar.walk("VEVENT")
    }


def _instants_vobject(content: bytes) -> dict[str, tuple]:
    calendar = vobject.readOne(content.decode())
    return {e.uid.value: (e.dtstart.value, e.dtend.value) for e in calendar.vevent_list}


@pytest.mark.parametrize("parse", [_instants_icalendar, _instants_vobject])
def test_winter_and_summer_meetings_are_at_the_right_instant_in_two_parsers(client, db, parse):
    # 10am in London is 10:00 UTC in winter (GMT) and 09:00 UTC in summer (BST).
    winter = make_panel_meeting("2021-03-08")
    december = make_panel_meeting("2021-12-06")
    summer = make_meeting(title="Summer meeting", starts_at=at("2021-06-15"), expected_length=90)
    content = client.get("/scrutiny/calendar.ics").content
    assert b"VTIMEZONE" not in content
    found = parse(content)

    def instants(meeting, kind):
        start, end = found[f"{kind}-meeting-{meeting.pk}@pcc-portal"]
        return start.astimezone(UTC), end.astimezone(UTC)

    assert instants(winter, "panel") == (
        datetime.datetime(2021, 3, 8, 10, 0, tzinfo=UTC),
        datetime.datetime(2021, 3, 8, 12, 30, tzinfo=UTC),
    )
    assert instants(december, "panel")[0] == datetime.datetime(2021, 12, 6, 10, 0, tzinfo=UTC)
    assert instants(summer, "scrutiny") == (
        datetime.datetime(2021, 6, 15, 9, 0, tzinfo=UTC),
        datetime.datetime(2021, 6, 15, 10, 30, tzinfo=UTC),
    )


def test_times_are_written_in_utc(feed):
    content = feed().to_ical()
    assert b"DTSTART:20211012T090000Z" in content  # 10am BST
    assert b"DTSTART:20210316T100000Z" in content  # 10am GMT
    assert b"TZID" not in content


def test_events_have_an_end_a_location_and_the_meeting_page(client, db):
    panel = make_panel_meeting("2021-03-08", expected_length=180)
    make_meeting(title="With a place", location="Police HQ, Hutton")
    make_meeting(title="Without a place")
    found = events(icalendar.Calendar.from_ical(client.get("/scrutiny/calendar.ics").content))
    meeting = found["Police and Crime Panel meeting"]
    assert meeting.decoded("dtend") - meeting.decoded("dtstart") == datetime.timedelta(hours=3)
    assert str(meeting["location"]) == "County Hall, Preston"
    assert str(meeting["url"]) == "http://testserver/scrutiny/panel/2021-03-08/"
    assert panel.ends_at == at("2021-03-08", "13:00")
    assert str(found["With a place"]["location"]) == "Police HQ, Hutton"
    assert "location" not in found["Without a place"]
    assert found["Without a place"].decoded("dtend") - found["Without a place"].decoded(
        "dtstart"
    ) == datetime.timedelta(minutes=ScrutinyMeeting.DEFAULT_LENGTH)


def test_the_panel_and_the_scrutiny_feeds_each_have_their_own_meetings(feed, client):
    panel = icalendar.Calendar.from_ical(client.get("/scrutiny/panel/calendar.ics").content)
    assert [str(e["summary"]) for e in panel.walk("VEVENT")] == [
        "Police and Crime Panel meeting"
    ] * 2
    assert str(panel["x-wr-calname"]) == "Police and Crime Panel meetings"
    response = client.get("/scrutiny/meetings/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    scrutiny = icalendar.Calendar.from_ical(response.content)
    assert {str(e["summary"]) for e in scrutiny.walk("VEVENT")} == {
        "March meeting",
        "February meeting",
    }


def test_the_lists_link_their_feeds(client, db):
    assert "/scrutiny/panel/calendar.ics" in client.get("/scrutiny/panel/").content.decode()
    assert "/scrutiny/meetings/calendar.ics" in client.get("/scrutiny/meetings/").content.decode()


@pytest.mark.parametrize(
    "path",
    ["/scrutiny/calendar.ics", "/scrutiny/panel/calendar.ics", "/scrutiny/meetings/calendar.ics"],
)
def test_feeds_run_a_fixed_number_of_queries(client, db, path):
    def count(n):
        start = PanelMeeting.objects.count()
        for i in range(n):
            make_panel_meeting(f"2022-01-{start + i + 1:02d}")
            march = make_meeting(starts_at=at(f"2022-02-{start + i + 1:02d}"))
            make_meeting(
                status="rescheduled",
                rescheduled_to=march,
                reschedule_reason="Moved",
                starts_at=at(f"2021-02-{start + i + 1:02d}"),
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    assert count(1) == count(9)


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
