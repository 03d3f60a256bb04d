"""The iCalendar (RFC 5545) feeds of panel meetings and published scrutiny meetings.

Times are written in UTC (`DTSTART:20210308T100000Z`), which every client reads the same way and
shows in the reader's own time zone, so no VTIMEZONE block is needed: a generated one was read
differently by different parsers. A meeting whose time of day is not recorded is an all-day
event (`DTSTART;VALUE=DATE:20210308`, ending the next day). Only published meetings are in the
feeds, which are public.
"""

import datetime

import icalendar
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils import timezone

from scrutiny.models import PanelMeeting, ScrutinyMeeting

FEED_LIMIT = 500  # of each kind of meeting, newest first: years of history
UID_DOMAIN = "pcc-portal"
PANEL_SUMMARY = "Police and Crime Panel meeting"


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def _event(
    *,
    uid: str,
    summary: str,
    starts_at,
    ends_at,
    updated_at,
    url: str,
    cancelled: bool,
    time_recorded: bool = True,
    location: str = "",
    description: str = "",
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("summary", summary)
    if time_recorded:
        event.add("dtstart", _utc(starts_at))
        event.add("dtend", _utc(ends_at))
    else:  # the day only: an all-day event
        day = timezone.localtime(starts_at).date()
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
    event.add("dtstamp", _utc(updated_at))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    return event


def meeting_moved_description(meeting: ScrutinyMeeting) -> str:
    """Where a rescheduled meeting went and why. The feed is public, so the new meeting's date
    is given only once that meeting is published."""
    new = meeting.rescheduled_to
    if new is None or not new.published:
        return f"Rescheduled: {meeting.reschedule_reason}"
    day = timezone.localtime(new.starts_at)
    return f"Rescheduled to {day:%-d %B %Y}: {meeting.reschedule_reason}"


def _panel_events(request) -> list[icalendar.Event]:
    meetings = PanelMeeting.objects.visible_to(AnonymousUser()).order_by("-starts_at")
    return [
        _event(
            uid=f"panel-meeting-{meeting.pk}",
            summary=PANEL_SUMMARY,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            updated_at=meeting.updated_at,
            url=request.build_absolute_uri(meeting.get_absolute_url()),
            cancelled=meeting.status == PanelMeeting.Status.CANCELLED,
            time_recorded=meeting.time_recorded,
            location=meeting.venue,
        )
        for meeting in meetings[:FEED_LIMIT]
    ]


def _scrutiny_events(request) -> list[icalendar.Event]:
    meetings = (
        ScrutinyMeeting.objects.visible_to(AnonymousUser())
        .select_related("rescheduled_to")
        .order_by("-starts_at")
    )
    events = []
    for meeting in meetings[:FEED_LIMIT]:
        moved = meeting.status == ScrutinyMeeting.Status.RESCHEDULED
        events.append(
            _event(
                uid=f"scrutiny-meeting-{meeting.pk}",
                summary=meeting.title,
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                updated_at=meeting.updated_at,
                url=request.build_absolute_uri(meeting.get_absolute_url()),
                cancelled=moved or meeting.status == ScrutinyMeeting.Status.CANCELLED,
                time_recorded=meeting.time_recorded,
                location=meeting.location,
                description=meeting_moved_description(meeting) if moved else "",
            )
        )
    return events


def _response(*, name: str, filename: str, events: list[icalendar.Event]) -> HttpResponse:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Police and Crime Panel portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    for event in events:
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_feed(request) -> HttpResponse:
    """Panel meetings and scrutiny meetings together."""
    return _response(
        name="Police and Crime Panel and scrutiny meetings",
        filename="meetings.ics",
        events=_panel_events(request) + _scrutiny_events(request),
    )


def panel_calendar_feed(request) -> HttpResponse:
    return _response(
        name="Police and Crime Panel meetings",
        filename="panel-meetings.ics",
        events=_panel_events(request),
    )


def scrutiny_calendar_feed(request) -> HttpResponse:
    return _response(
        name="Scrutiny meetings", filename="scrutiny-meetings.ics", events=_scrutiny_events(request)
    )
