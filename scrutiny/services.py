"""Writes to scrutiny records: each validates, runs in a transaction and keeps history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pcc_portal.publication import held_change_of, held_new_values, pending_apply
from pcc_portal.sequences import next_number, sequence_move
from pcc_portal.services import StaleRecord, record_delete, record_save
from plan.models import ReportingPeriod
from scrutiny.models import (
    Action,
    ActionNote,
    AgendaItem,
    Attendance,
    Declaration,
    Minutes,
    PanelMeeting,
    PanelMember,
    ScrutinyMeeting,
    ScrutinyPaper,
    ScrutinyTopic,
)
from scrutiny.permissions import (
    ADD_AGENDAITEM,
    ADD_DECLARATION,
    ADD_PANELMEMBER,
    APPROVE_MINUTES,
    CHANGE_AGENDAITEM,
    CHANGE_ATTENDANCE,
    CHANGE_MINUTES,
    CHANGE_PANELMEMBER,
    DELETE_AGENDAITEM,
    DELETE_DECLARATION,
    DELETE_SCRUTINYPAPER,
    DELETE_SCRUTINYTOPIC,
    PUBLISH_PANELMEMBER,
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
    return sequence_move(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id, is_exempt=item.is_exempt)
        .order_by("position", "pk"),
        item,
        up=up,
        field="position",
        save=lambda other: record_save(instance=other, user=user, reason="Moved on the agenda"),
    )


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


@transaction.atomic
def panel_member_save(*, member: PanelMember, user, **options) -> PanelMember:
    """Adds or changes a member of the panel. `options` go on to record_save.

    The membership is public, so it changes only through an approver: a member staff add is
    seen by the office only until an approver publishes it, and staff's changes to a published
    member wait for an approver (`held_for_approval`). An approver's own save takes effect at
    once (a member an approver adds is published with it); their form showed the changes
    waiting, so what they save replaces those."""
    if member.pk:
        _require(user, CHANGE_PANELMEMBER, "Only office staff can change the panel's members.")
    else:
        _require(user, ADD_PANELMEMBER, "Only office staff can add members of the panel.")
    if not user.has_perm(PUBLISH_PANELMEMBER):
        return record_save(instance=member, user=user, **options)
    adding = member.pk is None
    if adding:
        member.published, member.published_at, member.published_by = True, timezone.now(), user
    record_save(instance=member, user=user, gate=False, **options)
    if not adding and (change := held_change_of(member)) is not None:
        change.delete()
    return member


def attendance_held_new(meeting: PanelMeeting) -> dict[int, str]:
    """Member pk to status of the attendance records waiting for an approver to add them."""
    members = held_new_values(meeting, Attendance, "member")
    return dict(zip(members, held_new_values(meeting, Attendance, "status"), strict=True))


@transaction.atomic
def attendance_record(
    *, meeting: PanelMeeting, user, statuses: dict[int, str], versions: dict[int, int]
) -> list[Attendance]:
    """Records, for each member in office on the meeting's day (member pk to status), whether
    they attended, sent apologies or were absent, all at once. `versions` are the versions of
    the records the user opened (member pk to version); if any changed since, StaleRecord is
    raised and nothing is saved. While the meeting is published, the changes wait for an
    approver (each record's `held_for_approval` says so). Returns the records."""
    _require(user, CHANGE_ATTENDANCE, "Only office staff can record attendance.")
    members = {m.pk: m for m in PanelMember.objects.in_office_on(meeting.date)}
    unknown = set(statuses) - set(members)
    if unknown:
        raise ValidationError("Only members in office on the day of the meeting can attend it")
    allowed = set(Attendance.Status.values)
    if any(status not in allowed for status in statuses.values()):
        raise ValidationError("Select whether each member attended, sent apologies or was absent")
    existing = {
        # As staff last saved them: a change waiting for an approver included.
        a.member_id: pending_apply(a)
        for a in Attendance.objects.select_for_update().filter(meeting=meeting)
    }
    for member_id, record in existing.items():
        if member_id in statuses and versions.get(member_id) != record.version:
            raise StaleRecord(record)
    held_new = attendance_held_new(meeting)
    for member_id, status in statuses.items():
        if member_id not in existing and held_new.get(member_id, status) != status:
            raise ValidationError(
                f"The attendance of {members[member_id]} is waiting for an approver to add it. "
                "Discard that change on the meeting's publication page before changing it."
            )
    saved = []
    for member_id, status in statuses.items():
        if member_id not in existing and member_id in held_new:
            record = Attendance(meeting=meeting, member_id=member_id, status=status)
            record.held_for_approval = True  # already waiting, as it is
            saved.append(record)
            continue
        record = existing.get(member_id) or Attendance(meeting=meeting, member_id=member_id)
        if record.pk and record.status == status:
            saved.append(record)
            continue
        record.status = status
        saved.append(
            record_save(
                instance=record,
                user=user,
                expected_version=record.version if record.pk else None,
            )
        )
    return saved


@transaction.atomic
def declaration_add(*, declaration: Declaration, user) -> Declaration:
    """Records a member's declaration of interest in an item of the meeting's agenda; the
    member must be in office on the day of the meeting. While the meeting is published, it
    waits for an approver."""
    _require(user, ADD_DECLARATION, "Only office staff can record declarations of interest.")
    meeting = declaration.meeting
    if declaration.member_id and not declaration.member.in_office_on(meeting.date):
        raise ValidationError({"member": "Select a member in office on the day of the meeting"})
    return record_save(instance=declaration, user=user)


@transaction.atomic
def declaration_remove(*, declaration: Declaration, user) -> bool:
    """Removes a declaration. While the meeting is published, the removal waits for an
    approver. True if removed now."""
    _require(user, DELETE_DECLARATION, "Only office staff can remove declarations of interest.")
    return record_delete(instance=declaration, user=user)


@transaction.atomic
def minutes_save(*, minutes: Minutes, user, **options) -> Minutes:
    """Attaches or changes a meeting's minutes (text or a PDF), as a draft. Once approved they
    cannot change. While the meeting is published, the change waits for an approver.
    `options` go on to record_save (the version the user opened)."""
    _require(user, CHANGE_MINUTES, "Only office staff can attach minutes.")
    if minutes.pk and not Minutes.objects.get(pk=minutes.pk).is_draft:
        raise ValidationError("These minutes have been approved and cannot be changed.")
    if minutes.meeting.starts_at > timezone.now():
        raise ValidationError("Minutes can be attached once the meeting has taken place.")
    if not minutes.pk and held_new_values(minutes.meeting, Minutes, "meeting"):
        raise ValidationError(
            "These minutes are waiting for an approver to add them. Discard that change on the "
            "meeting's publication page before changing them."
        )
    return record_save(instance=minutes, user=user, **options)


def minutes_approving_meeting(meeting: PanelMeeting) -> PanelMeeting | None:
    """The meeting whose "Minutes of the last meeting" item approves `meeting`'s minutes: the
    next panel meeting that is not cancelled."""
    return (
        PanelMeeting.objects.filter(starts_at__gt=meeting.starts_at)
        .exclude(status=PanelMeeting.Status.CANCELLED)
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def minutes_approve(*, minutes: Minutes, user, expected_version: int | None = None) -> Minutes:
    """Approves draft minutes at the next meeting, once that meeting has taken place, and
    records which meeting approved them."""
    _require(user, APPROVE_MINUTES, "Only approvers can approve the minutes.")
    if not minutes.is_draft:
        raise ValidationError("These minutes have been approved already.")
    published = Minutes.objects.get(pk=minutes.pk)
    held = pending_apply(Minutes.objects.get(pk=minutes.pk))
    if (held.text, held.file.name) != (published.text, published.file.name):
        raise ValidationError(
            "A change to these minutes is waiting for an approver. Publish or discard it on "
            "the meeting's publication page before approving them."
        )
    at = minutes_approving_meeting(minutes.meeting)
    if at is None or at.starts_at > timezone.now():
        raise ValidationError(
            "Minutes are approved at the next meeting: it has not taken place yet."
        )
    minutes.approved_at, minutes.approved_by = at, user
    return record_save(
        instance=minutes,
        user=user,
        reason=f"Approved at the {at}",
        expected_version=expected_version,
        gate=False,
    )
