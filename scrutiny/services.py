"""Writes to scrutiny records: each validates, runs in a transaction and keeps history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pcc_portal.sequences import next_number
from pcc_portal.services import record_delete, record_save
from plan.models import ReportingPeriod
from scrutiny.models import (
    Action,
    ActionNote,
    AgendaItem,
    PanelMeeting,
    ScrutinyMeeting,
    ScrutinyPaper,
    ScrutinyTopic,
)
from scrutiny.permissions import (
    ADD_AGENDAITEM,
    CHANGE_AGENDAITEM,
    DELETE_AGENDAITEM,
    DELETE_SCRUTINYPAPER,
    DELETE_SCRUTINYTOPIC,
)


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


@transaction.atomic
def panel_meeting_create(*, meeting: PanelMeeting, user, **options) -> PanelMeeting:
    """Adds a panel meeting with the standard agenda items."""
    meeting = record_save(instance=meeting, user=user, **options)
    agenda_start(meeting=meeting, user=user)
    return meeting


def _require(user, permission: str, refusal: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(refusal)


@transaction.atomic
def agenda_start(*, meeting: PanelMeeting, user) -> list[AgendaItem]:
    """Gives a meeting the standard items every panel agenda starts with, first on the agenda,
    unless it has standard items already. Returns the items added."""
    _require(user, ADD_AGENDAITEM, "Only office staff can add agenda items.")
    items = meeting.agenda_items.all()
    if items.filter(kind=AgendaItem.Kind.STANDARD).exists():
        return []
    # The open items already there move down, after the standard ones.
    count = len(AgendaItem.STANDARD_TITLES)
    for item in items.filter(is_exempt=False).order_by("-position", "-pk"):
        item.position += count
        record_save(instance=item, user=user, reason="Standard items added before it")
    added = []
    for position, title in enumerate(AgendaItem.STANDARD_TITLES, start=1):
        item = AgendaItem(
            meeting=meeting, position=position, title=title, kind=AgendaItem.Kind.STANDARD
        )
        added.append(record_save(instance=item, user=user, reason="Standard item"))
    return added


@transaction.atomic
def agenda_item_add(*, item: AgendaItem, user) -> AgendaItem:
    """Adds an item last in its part of the agenda (open, or Part II)."""
    _require(user, ADD_AGENDAITEM, "Only office staff can add agenda items.")
    item.position = next_number(item.meeting.agenda_items.all(), "position")
    return record_save(instance=item, user=user)


@transaction.atomic
def agenda_item_save(*, item: AgendaItem, user, **options) -> AgendaItem:
    """Saves an item's title, kind, description and whether it is Part II (a Part II item is
    numbered after the open ones). `options` go on to record_save (the version opened)."""
    _require(user, CHANGE_AGENDAITEM, "Only office staff can change agenda items.")
    return record_save(instance=item, user=user, **options)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, user, up: bool) -> bool:
    """Swaps the item with the one before it (`up`) or after it, within its part of the
    agenda: Part II items stay after the open ones. False if it is first (or last) already."""
    _require(user, CHANGE_AGENDAITEM, "Only office staff can move agenda items.")
    order = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id, is_exempt=item.is_exempt)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(order) if other.pk == item.pk)
    neighbour = index - 1 if up else index + 1
    if not 0 <= neighbour < len(order):
        return False
    order[index], order[neighbour] = order[neighbour], order[index]
    # Positions are rewritten 1..n, so items that shared a position get their own.
    for position, other in enumerate(order, start=1):
        if other.position != position:
            other.position = position
            record_save(instance=other, user=user, reason="Moved on the agenda")
    return True


def agenda_item_papers(item: AgendaItem) -> int:
    """How many records (papers) other apps file under the item."""
    return sum(
        getattr(item, relation.get_accessor_name()).count()
        for relation in item._meta.related_objects
        if relation.one_to_many and not relation.hidden
    )


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, user) -> bool:
    """Removes an item that has no papers. While the meeting is published, the removal waits
    for an approver. True if removed now."""
    _require(user, DELETE_AGENDAITEM, "Only office staff can remove agenda items.")
    if agenda_item_papers(item):
        raise ValidationError(
            "This item has papers. Move its papers to another item before removing it."
        )
    return record_delete(instance=item, user=user)
