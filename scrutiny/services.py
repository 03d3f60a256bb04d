"""Writes to scrutiny records: each validates, runs in a transaction and keeps history."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pcc_portal.services import record_delete, record_save
from plan.models import ReportingPeriod
from scrutiny.models import Action, ActionNote, ScrutinyMeeting, ScrutinyPaper, ScrutinyTopic
from scrutiny.permissions import DELETE_SCRUTINYPAPER, DELETE_SCRUTINYTOPIC


@transaction.atomic
def scrutiny_meeting_save(
    *, meeting: ScrutinyMeeting, user, quarter=None, **options
) -> ScrutinyMeeting:
    """Saves a meeting; `quarter` is the (financial year, quarter) it reviews, or None.
    `options` go on to record_save (the version the user opened)."""
    meeting.period = ReportingPeriod.for_quarter(quarter)
    return record_save(instance=meeting, user=user, **options)


@transaction.atomic
def action_add_note(*, action: Action, user, note: ActionNote) -> ActionNote:
    """Records progress; an open action with progress becomes in progress."""
    note.action, note.author = action, user
    note.full_clean()
    note.save()
    if action.status == Action.Status.OPEN:
        action.status = Action.Status.IN_PROGRESS
        record_save(instance=action, user=user, reason="Progress noted")
    return note


@transaction.atomic
def action_save(*, action: Action, user, **options) -> Action:
    """Saves an action; closing it (done or dropped) records the day it closed.
    `options` go on to record_save (the version the user opened)."""
    if action.is_open:
        action.closed_on = None
    elif action.closed_on is None:
        action.closed_on = timezone.localdate()
    return record_save(instance=action, user=user, **options)


def scrutiny_topic_delete(*, topic: ScrutinyTopic, user) -> bool:
    """Deletes a topic of a meeting. While the meeting is published, the deletion waits for an
    approver instead. True if the topic was deleted now."""
    if not user.has_perm(DELETE_SCRUTINYTOPIC):
        raise PermissionDenied("Only office staff can delete a topic.")
    return record_delete(instance=topic, user=user)


def scrutiny_paper_delete(*, paper: ScrutinyPaper, user) -> bool:
    """Deletes a paper of a meeting, and its file from storage once the deletion is committed.
    While the meeting is published, the deletion (and the file) wait for an approver instead.
    True if the paper was deleted now."""
    if not user.has_perm(DELETE_SCRUTINYPAPER):
        raise PermissionDenied("Only office staff can delete a paper.")
    return record_delete(instance=paper, user=user)
