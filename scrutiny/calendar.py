"""The iCalendar (RFC 5545) feed of panel meetings and published scrutiny meetings."""

import datetime

import icalendar
from django.http import HttpResponse
from django.utils import timezone

from scrutiny.models import PanelMeeting, ScrutinyMeeting

FEED_LIMIT = 500  # of each kind of meeting, newest first: years of history
UID_DOMAIN = "pcc-portal"


def _event(
    *,
    uid: str,
    summary: str,
    starts_at,
    updated_at,
    url: str,
    cancelled: bool,
    location: str = "",
    description: str = "",
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("summary", summary)
    event.add("dtstart", timezone.localtime(starts_at))
    event.add("dtstamp", updated_at.astimezone(datetime.UTC))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    return event


def _moved_description(meeting: ScrutinyMeeting) -> str:
    """Where a rescheduled meeting went and why. The feed is public, so the new meeting's date
    is given only once that meeting is published."""
    new = meeting.rescheduled_to
    if new is None or not new.published:
        return f"Rescheduled: {meeting.reschedule_reason}"
    day = timezone.localtime(new.starts_at)
    return f"Rescheduled to {day:%-d %B %Y}: {meeting.reschedule_reason}"


def calendar_feed(request) -> HttpResponse:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Police and Crime Panel portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Police and Crime Panel and scrutiny meetings")
    calendar.add("x-wr-timezone", "Europe/London")
    for meeting in PanelMeeting.objects.published().order_by("-starts_at")[:FEED_LIMIT]:
        calendar.add_component(
            _event(
                uid=f"panel-meeting-{meeting.pk}",
                summary="Police and Crime Panel meeting",
                starts_at=meeting.starts_at,
                updated_at=meeting.updated_at,
                url=request.build_absolute_uri(meeting.get_absolute_url()),
                cancelled=meeting.status == PanelMeeting.Status.CANCELLED,
                location=meeting.venue,
            )
        )
    scrutiny = ScrutinyMeeting.objects.published().select_related("rescheduled_to")
    for meeting in scrutiny.order_by("-starts_at")[:FEED_LIMIT]:
        moved = meeting.status == ScrutinyMeeting.Status.RESCHEDULED
        calendar.add_component(
            _event(
                uid=f"scrutiny-meeting-{meeting.pk}",
                summary=meeting.title,
                starts_at=meeting.starts_at,
                updated_at=meeting.updated_at,
                url=request.build_absolute_uri(meeting.get_absolute_url()),
                cancelled=moved or meeting.status == ScrutinyMeeting.Status.CANCELLED,
                description=_moved_description(meeting) if moved else "",
            )
        )
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
