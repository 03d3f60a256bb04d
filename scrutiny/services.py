"""Writes to scrutiny records: each validates, runs in a transaction and keeps history."""

from django.db import transaction
from django.utils import timezone

from pcc_portal.services import record_save
from plan.models import ReportingPeriod
from scrutiny.models import Action, ActionNote, ScrutinyMeeting


@transaction.atomic
def scrutiny_meeting_save(
    *, meeting: ScrutinyMeeting, user, quarter=None, **options
) -> ScrutinyMeeting:
    """Saves a meeting; `quarter` is the (financial year, quarter) it reviews, or None.
    `options` go on to record_save (the version the user opened)."""
    meeting.period = ReportingPeriod.get_or_create_for(*quarter) if quarter else None
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
