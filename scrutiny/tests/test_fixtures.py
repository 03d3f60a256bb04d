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


def test_the_march_2021_meeting_replaced_februarys_whose_day_the_seed_does_not_give(lancashire):
    march = ScrutinyMeeting.objects.get(starts_at__date=datetime.date(2021, 3, 16))
    assert march.status == "held" and not march.time_recorded
    assert "scheduled for February 2021 was re-scheduled" in march.note
    assert "half term" in march.note
    # the February meeting's day is not in seed 001: it is in the illustrative demo data only
    assert not ScrutinyMeeting.objects.filter(starts_at__month=2).exists()
    call_command("loaddata", "fixtures/902_demo_scrutiny_meeting_february_2021.json", verbosity=0)
    moved = ScrutinyMeeting.objects.get(status="rescheduled")
    assert moved.rescheduled_to == march and moved.note.startswith("Illustrative demo entry")
    moved.full_clean()


def test_no_meeting_has_a_time_or_venue_the_seeds_do_not_give(lancashire):
    assert not ScrutinyMeeting.objects.filter(time_recorded=True).exists()
    assert not PanelMeeting.objects.filter(time_recorded=True).exists()
    assert set(PanelMeeting.objects.values_list("venue", flat=True)) == {""}


def test_the_contact_management_groups_status_is_not_recorded(lancashire):
    group = TaskGroup.objects.get(slug="contact-management")
    assert group.status == "" and group.get_status_display() == "Not recorded"


def test_the_task_groups_recommendations_are_in_the_words_of_seed_003(lancashire):
    group = TaskGroup.objects.get(slug="neighbourhood-policing")
    first = group.recommendations.get(number=1)
    assert first.text == (
        "That the thanks of the group be forwarded to the Commissioner for the open discussion "
        "that had taken place outlining the priorities in his Policing Plan and how this shaped "
        "the vision for policing in the County."
    )


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
