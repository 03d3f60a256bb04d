import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from scrutiny.models import Action, ScrutinyMeeting
from scrutiny.tests.factories import at, make_action, make_meeting, make_pdf, make_task_group
from scrutiny.validators import validate_pdf


@time_machine.travel("2026-11-23 12:00 +0000", tick=False)
def test_a_meeting_cannot_have_been_held_in_the_future(db):
    meeting = ScrutinyMeeting(title="Next", starts_at=at("2027-01-10"), status="held")
    with pytest.raises(ValidationError, match="cannot have been held in the future"):
        meeting.full_clean()
    meeting.status = "scheduled"
    meeting.full_clean()


def test_a_rescheduled_meeting_must_say_to_when_and_why(db):
    meeting = ScrutinyMeeting(title="February", starts_at=at("2021-02-16"), status="rescheduled")
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert set(error.value.message_dict) == {"rescheduled_to", "reschedule_reason"}


def test_a_meeting_cannot_be_rescheduled_to_an_earlier_date(db):
    earlier = make_meeting(starts_at=at("2021-01-10"))
    meeting = ScrutinyMeeting(
        title="February",
        starts_at=at("2021-02-16"),
        status="rescheduled",
        reschedule_reason="Half term",
        rescheduled_to=earlier,
    )
    with pytest.raises(ValidationError, match="later date"):
        meeting.full_clean()
    meeting.rescheduled_to = make_meeting(starts_at=at("2021-03-16"))
    meeting.full_clean()


def test_an_action_cannot_be_due_before_the_meeting_that_raised_it(db):
    meeting = make_meeting(starts_at=at("2021-09-21"))
    action = Action(
        meeting=meeting, description="x", owner="CC", due_date=datetime.date(2021, 9, 20)
    )
    with pytest.raises(ValidationError, match="before the meeting that raised it"):
        action.full_clean()
    action.due_date = datetime.date(2021, 9, 21)
    action.full_clean()


def test_an_action_must_come_from_a_meeting_or_a_task_group_and_dropping_needs_a_reason(db):
    with pytest.raises(ValidationError, match="Say which meeting or task group"):
        Action(description="x", owner="CC", due_date=datetime.date(2022, 1, 1)).full_clean()
    action = Action(
        task_group=make_task_group(),
        description="x",
        owner="CC",
        due_date=datetime.date(2022, 1, 1),
        status="dropped",
    )
    with pytest.raises(ValidationError, match="why the action was dropped"):
        action.full_clean()


@pytest.mark.parametrize(
    ("today", "status", "overdue"),
    [
        ("2021-11-30", "open", False),  # due today: not yet overdue
        ("2021-12-01", "open", True),
        ("2021-12-01", "in_progress", True),
        ("2021-12-01", "done", False),
        ("2021-12-01", "dropped", False),
    ],
)
def test_overdue_is_derived_from_the_due_date_and_status(db, today, status, overdue):
    action = make_action(
        meeting=make_meeting(),
        due_date=datetime.date(2021, 11, 30),
        status=status,
        dropped_reason="No longer needed" if status == "dropped" else "",
    )
    with time_machine.travel(f"{today} 12:00 +0000", tick=False):
        assert action.is_overdue is overdue
        assert Action.objects.overdue().filter(pk=action.pk).exists() is overdue


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"GIF89a not a pdf at all", "must be a PDF"),
        (b"<html><body>%P</body></html>", "must be a PDF"),
    ],
)
def test_a_paper_must_be_a_non_empty_pdf_by_its_content(content, message):
    with pytest.raises(ValidationError, match=message):
        validate_pdf(SimpleUploadedFile("paper.pdf", content, content_type="application/pdf"))


def test_a_paper_over_20_mb_is_refused_and_a_real_pdf_passes():
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError, match="smaller than 20 MB"):
        validate_pdf(big)
    validate_pdf(SimpleUploadedFile("ok.txt", make_pdf()))  # the name does not matter
