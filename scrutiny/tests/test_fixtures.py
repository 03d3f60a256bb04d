"""The scrutiny records in fixtures/ carry the facts of the seed documents."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command

from scrutiny.models import PanelMeeting, ScrutinyMeeting, TaskGroup

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def lancashire(db):
    for name in (
        "020_areas_lancashire",
        "025_reporting_periods",
        "030_plan_lancashire_2021_2025",
        "040_scrutiny_lancashire",
    ):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)


def local_day(moment) -> datetime.date:
    return moment.astimezone(LONDON).date()


def test_the_21_september_2021_meeting_and_its_five_topics(lancashire):
    meeting = ScrutinyMeeting.objects.get(starts_at__date=datetime.date(2021, 9, 21))
    assert meeting.status == "held" and meeting.published
    assert list(meeting.topics.values_list("title", flat=True)) == [
        "Force performance",
        "Neighbourhood Taskforces",
        "Anti-social behaviour",
        "HMICFRS inspections",
        "Force Control Room",
    ]
    asb = meeting.topics.get(title="Anti-social behaviour")
    assert asb.priorities.get().title == "Getting Tough on Anti-Social Behaviour"


def test_the_february_2021_meeting_was_rescheduled_to_16_march_2021(lancashire):
    moved = ScrutinyMeeting.objects.get(status="rescheduled")
    assert moved.starts_at.month == 2 and moved.starts_at.year == 2021
    assert local_day(moved.rescheduled_to.starts_at) == datetime.date(2021, 3, 16)
    assert "half-term" in moved.reschedule_reason
    moved.full_clean()


def test_the_three_panel_meetings(lancashire):
    days = sorted(local_day(m.starts_at) for m in PanelMeeting.objects.all())
    assert days == [
        datetime.date(2018, 12, 10),
        datetime.date(2021, 3, 8),
        datetime.date(2021, 10, 12),
    ]


def test_the_neighbourhood_policing_task_group_and_its_three_recommendations(lancashire):
    group = TaskGroup.objects.get(slug="neighbourhood-policing")
    assert group.chair == "Peter LeMarinel"
    assert group.dates == [datetime.date(2022, 2, 9)]
    assert list(group.recommendations.values_list("number", flat=True)) == [1, 2, 3]
    contact = TaskGroup.objects.get(slug="contact-management")
    assert contact.dates == [datetime.date(2018, 10, 17)]
