"""Scrutiny's writes: what each saves or deletes, the history it keeps, and whom it refuses."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from pcc_portal.models import PendingChange
from plan.models import ReportingPeriod
from scrutiny import services
from scrutiny.models import Action, ActionNote, ScrutinyPaper, ScrutinyTopic
from scrutiny.tests.factories import make_action, make_meeting, make_pdf, make_topic


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_paper(meeting) -> ScrutinyPaper:
    return ScrutinyPaper.objects.create(
        meeting=meeting, title="Performance", file=SimpleUploadedFile("paper.pdf", make_pdf())
    )


def test_saving_a_meeting_records_the_quarter_it_reviews_and_who_saved_it(make_user):
    staff = make_user("staff")
    meeting = make_meeting(published=False)
    meeting.title = "Autumn scrutiny"

    services.scrutiny_meeting_save(meeting=meeting, user=staff, quarter=(2021, 2))

    meeting.refresh_from_db()
    assert meeting.title == "Autumn scrutiny"
    assert (meeting.period.financial_year, meeting.period.quarter) == (2021, 2)
    assert ReportingPeriod.objects.filter(financial_year=2021, quarter=2).count() == 1
    assert meeting.history.latest().history_user == staff


def test_noting_progress_on_an_open_action_puts_it_in_progress(make_user):
    staff = make_user("staff")
    action = make_action(meeting=make_meeting(published=False))

    note = services.action_add_note(action=action, user=staff, note=ActionNote(text="Started"))

    assert ActionNote.objects.get(pk=note.pk).author == staff
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    latest = action.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff, "Progress noted")


@time_machine.travel(datetime.datetime(2022, 3, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_closing_an_action_records_the_day_and_reopening_clears_it(make_user):
    staff = make_user("staff")
    action = make_action(meeting=make_meeting(published=False))

    action.status = Action.Status.DONE
    services.action_save(action=action, user=staff)
    action.refresh_from_db()
    assert action.closed_on == datetime.date(2022, 3, 1)

    action.status = Action.Status.OPEN
    services.action_save(action=action, user=staff)
    action.refresh_from_db()
    assert action.closed_on is None


def test_deleting_a_paper_removes_it_and_its_file_and_keeps_its_history(
    make_user, media, django_capture_on_commit_callbacks
):
    staff = make_user("staff")
    paper = make_paper(make_meeting(published=False))
    name, pk = paper.file.name, paper.pk
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.scrutiny_paper_delete(paper=paper, user=staff) is True

    assert not ScrutinyPaper.objects.filter(pk=pk).exists()
    assert not default_storage.exists(name)
    deleted = ScrutinyPaper.history.get(id=pk, history_type="-")
    assert (deleted.history_user, deleted.title) == (staff, "Performance")


def test_deleting_a_paper_of_a_published_meeting_waits_for_an_approver(
    make_user, media, django_capture_on_commit_callbacks
):
    staff = make_user("staff")
    meeting = make_meeting(published=True)
    paper = make_paper(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.scrutiny_paper_delete(paper=paper, user=staff) is False

    assert ScrutinyPaper.objects.filter(pk=paper.pk).exists()
    assert default_storage.exists(paper.file.name)
    (change,) = PendingChange.objects.all()
    assert change.object_id == meeting.pk
    assert [op["action"] for op in change.operations] == ["delete"]


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_only_those_who_may_delete_papers_can_delete_one(
    make_user, media, role, django_capture_on_commit_callbacks
):
    paper = make_paper(make_meeting(published=False))
    user = AnonymousUser() if role == "anonymous" else make_user(role)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.scrutiny_paper_delete(paper=paper, user=user)

    assert ScrutinyPaper.objects.filter(pk=paper.pk).exists()
    assert default_storage.exists(paper.file.name)


def test_deleting_a_topic_removes_it_and_keeps_its_history(make_user):
    staff = make_user("staff")
    topic = make_topic(make_meeting(published=False), title="Response times")
    pk = topic.pk

    assert services.scrutiny_topic_delete(topic=topic, user=staff) is True

    assert not ScrutinyTopic.objects.filter(pk=pk).exists()
    assert ScrutinyTopic.history.get(id=pk, history_type="-").history_user == staff


def test_only_those_who_may_delete_topics_can_delete_one(make_user):
    topic = make_topic(make_meeting(published=False))

    with pytest.raises(PermissionDenied):
        services.scrutiny_topic_delete(topic=topic, user=make_user("panel member"))

    assert ScrutinyTopic.objects.filter(pk=topic.pk).exists()
