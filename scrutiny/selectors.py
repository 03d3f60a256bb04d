"""Reads that gather scrutiny pages, and scrutiny's parts of other pages (fixed queries)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from pcc_portal.models import PendingChange
from pcc_portal.permissions import VIEW_EXEMPT
from pcc_portal.slots import DONE, Part, Task, tasks_part
from plan.models import Priority
from scrutiny.feeds import panel_meetings_feed_link
from scrutiny.models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Minutes,
    PanelMeeting,
    PanelMember,
    ScrutinyMeeting,
    ScrutinyTopic,
    TaskGroup,
)
from scrutiny.permissions import CHANGE_ACTION, PUBLISH_PANELMEMBER, VIEW_UNPUBLISHED


def panel_meeting_on(day: datetime.date, user) -> PanelMeeting:
    """The panel meeting on that day, if the user may see it: 404 otherwise. The day is in
    the portal's time zone, with no arithmetic that 9999-12-31 would overflow."""
    return get_object_or_404(PanelMeeting.objects.visible_to(user), starts_at__date=day)


@dataclass
class AgendaRow:
    """An item as the visitor may see it, with its number on the agenda."""

    number: int
    item: AgendaItem
    title: str
    description: str
    first: bool  # first (or last) of its part: it cannot move up (or down)
    last: bool
    hidden: bool  # a Part II item whose title and papers the visitor may not learn


def meeting_agenda(meeting: PanelMeeting, user) -> list[AgendaRow]:
    """The meeting's agenda as the visitor may see it, numbered 1..n, the open items first and
    then the Part II ones (one query)."""
    items = list(AgendaItem.objects.visible_to(user).filter(meeting=meeting).in_agenda_order())
    sees_exempt = user.has_perm(VIEW_EXEMPT)
    rows = []
    for number, item in enumerate(items, start=1):
        hidden = item.is_exempt and not sees_exempt
        if hidden:  # nothing on the page can show what the visitor may not learn
            item.title, item.description = item.shown_title, item.shown_description
        before = items[number - 2] if number > 1 else None
        after = items[number] if number < len(items) else None
        rows.append(
            AgendaRow(
                number=number,
                item=item,
                title=item.shown_title,
                description=item.shown_description,
                first=before is None or before.is_exempt != item.is_exempt,
                last=after is None or after.is_exempt != item.is_exempt,
                hidden=hidden,
            )
        )
    return rows


def meeting_detail(meeting: ScrutinyMeeting, user) -> dict:
    """A meeting's topics (with their priorities), papers, actions and where it moved from/to."""
    # Listed under each topic in the plan's own order, not the newest plan first.
    priorities = Priority.objects.for_choices(user).order_by("kind", "order")
    topics = meeting.topics.prefetch_related(Prefetch("priorities", queryset=priorities))
    actions = meeting.actions.select_related("priority").order_by("due_date", "pk")
    return {
        "topics": list(topics),
        "papers": list(meeting.papers.defer("text")),  # the PDF's words are for searching
        "actions": list(actions),
        "today": timezone.localdate(),
        "rescheduled_from": list(meeting.rescheduled_from.visible_to(user)),
        "rescheduled_to": meeting_moved_to(meeting, user),
    }


def meeting_moved_to(meeting: ScrutinyMeeting, user) -> ScrutinyMeeting | None:
    """The meeting this one was rescheduled to, if the user may see it.

    Until the new meeting is published, the public are told only that the meeting moved and
    why: its date and address stay with the office.
    """
    if meeting.rescheduled_to_id is None:
        return None
    return ScrutinyMeeting.objects.visible_to(user).filter(pk=meeting.rescheduled_to_id).first()


def priority_scrutiny(priority: Priority, user) -> Part:
    """Scrutiny of a priority: topics of meetings the user may see, and its open actions."""
    meetings = ScrutinyMeeting.objects.visible_to(user)
    topics = (
        ScrutinyTopic.objects.filter(priorities=priority, meeting__in=meetings)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "order")[:20]
    )
    actions = (
        Action.objects.visible_to(user)
        .still_open()
        .filter(priority=priority)
        .select_related("meeting", "task_group")
        .order_by("due_date")[:50]
    )
    return Part(
        "scrutiny/includes/_priority_scrutiny.html",
        {"topics": list(topics), "actions": list(actions), "today": timezone.localdate()},
        group=DONE,
        position=10,
    )


def published_meetings_of_quarter(period) -> list[ScrutinyMeeting]:
    """Published scrutiny meetings held in the quarter or reviewing it, with their topics."""
    held_in = Q(starts_at__date__gte=period.start, starts_at__date__lte=period.end)
    return list(
        ScrutinyMeeting.objects.published()
        .filter(Q(period=period) | held_in)
        .prefetch_related(Prefetch("topics", queryset=ScrutinyTopic.objects.order_by("order")))
        .order_by("starts_at")
    )


def public_open_actions(priority_ids=()) -> list[Action]:
    """Open actions the public may know of (of published meetings and task groups), of some
    priorities (or all), due first: what a paper, which anyone may read, can show."""
    actions = Action.objects.visible_to(AnonymousUser()).still_open()
    if priority_ids:
        actions = actions.filter(priority__in=priority_ids)
    return list(actions.select_related("meeting", "task_group").order_by("due_date", "pk"))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day`, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) + (
        datetime.timedelta(days=1)
    )


def public_actions_open_on(day: datetime.date, priority_ids=()) -> list[tuple[Action, bool]]:
    """The actions the public may know of that were open at the end of `day`, each as it stood
    then (from its history) with whether it was overdue on that day, due first: what a paper
    written as at `day` shows, however the actions change later. An action with no history
    (loaded from fixtures) counts as it is now if it existed then. Four queries at most."""
    end = end_of_day(day)
    public = Action.objects.visible_to(AnonymousUser()).filter(created_at__lt=end)
    if priority_ids:
        public = public.filter(priority__in=priority_ids)
    public_ids = set(public.values_list("pk", flat=True))
    then = {action.pk: action for action in Action.history.as_of(end).filter(id__in=public_ids)}
    unrecorded = public_ids - set(
        Action.history.filter(id__in=public_ids).values_list("id", flat=True).distinct()
    )
    if unrecorded:
        then.update({action.pk: action for action in public.filter(pk__in=unrecorded)})
    open_then = sorted(
        (action for action in then.values() if action.is_open), key=lambda a: (a.due_date, a.pk)
    )
    return [(action, action.is_overdue_on(day)) for action in open_then]


def task_group_named(slug: str) -> TaskGroup | None:
    """The task group with this slug, published or not (to check what a paper names)."""
    return TaskGroup.objects.filter(slug=slug).first() if slug else None


def published_recommendations(slug: str) -> tuple[TaskGroup | None, list]:
    """A published task group and its recommendations; (None, []) if it is not published,
    so a paper never publishes an unpublished group's recommendations."""
    group = TaskGroup.objects.published().filter(slug=slug).first() if slug else None
    return group, list(group.recommendations.all()) if group else []


def home_next_panel_meeting(*, user) -> Part | None:
    """The next panel meeting the visitor may see, for the home page."""
    meeting = PanelMeeting.objects.visible_to(user).upcoming().first()
    if meeting is None:
        return None
    return Part(
        "scrutiny/includes/_home_next_meeting.html",
        {"meeting": meeting},
        feeds=(panel_meetings_feed_link(),),
    )


def home_scrutiny_tasks(*, user) -> Part | None:
    """For staff: the actions past their due date, with a link to them; for approvers: the
    members of the panel waiting to be published, or whose changes wait. A query for each."""
    tasks = []
    if user.has_perm(CHANGE_ACTION):
        overdue = Action.objects.visible_to(user).overdue().count()
        if overdue:
            url = reverse("scrutiny:actions") + "?overdue=on"
            actions = "action is" if overdue == 1 else "actions are"
            tasks.append(Task(f"{overdue} {actions} past the due date", url))
    if user.has_perm(PUBLISH_PANELMEMBER):
        for member in _members_waiting().order_by("name", "pk"):
            if member.published:
                text = f"Changes to the panel member “{member.name}” wait for you to publish them"
            else:
                text = f"The new panel member “{member.name}” waits for you to publish it"
            tasks.append(Task(text, member.get_publication_url()))
    return tasks_part(tasks)


def _members_waiting():
    """Members not published yet, or with changes waiting for an approver."""
    meta = PanelMember._meta
    held = PendingChange.objects.filter(
        content_type__app_label=meta.app_label, content_type__model=meta.model_name
    ).values("object_id")
    return PanelMember.objects.filter(Q(published=False) | Q(pk__in=held))


def members_waiting(user) -> dict[int, str]:
    """For the office's membership list: member pk to what waits ("Not published", "Changes
    waiting for approval"); nothing for anyone else. One query (none for the public)."""
    if not user.has_perm(VIEW_UNPUBLISHED):
        return {}
    return {
        pk: "Changes waiting for approval" if published else "Not published"
        for pk, published in _members_waiting().values_list("pk", "published")
    }


def actions_overdue_since(day: datetime.date, user, today: datetime.date | None = None):
    """Open actions the user may see that became overdue after `day`: due on or after it and
    now past their due date, soonest due first. One query."""
    today = today or timezone.localdate()
    return list(
        Action.objects.visible_to(user)
        .overdue(today)
        .filter(due_date__gte=day)
        .order_by("due_date", "pk")
    )


LANDING_LATEST = 3


def scrutiny_overview(user, *, today: datetime.date | None = None) -> dict:
    """The scrutiny landing page: a few of the newest meetings, open actions (soonest due
    first), panel meetings and task groups the user may see, with how many there are of each,
    and when the next panel meeting is. Eight queries, whatever there is."""
    today = today or timezone.localdate()
    meetings = ScrutinyMeeting.objects.visible_to(user).newest_first()
    actions = Action.objects.visible_to(user)
    open_actions = (
        actions.still_open().select_related("meeting", "task_group").order_by("due_date", "pk")
    )
    panel_meetings = PanelMeeting.objects.visible_to(user).order_by("-starts_at")
    task_groups = TaskGroup.objects.visible_to(user).order_by("-created_at", "-pk")
    still_open = Q(status__in=Action.OPEN_STATUSES)
    action_counts = actions.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=still_open),
        overdue=Count("pk", filter=still_open & Q(due_date__lt=today)),
    )
    upcoming = Q(starts_at__gte=timezone.now())
    panel = panel_meetings.aggregate(
        count=Count("pk"),
        next=Min("starts_at", filter=upcoming),
        # starts_at is unique: the next meeting's time is known when it is the next timed one
        next_timed=Min("starts_at", filter=upcoming & Q(time_recorded=True)),
    )
    next_panel_meeting = None
    if panel["next"]:
        day = timezone.localtime(panel["next"]).date()
        next_panel_meeting = {
            "starts_at": panel["next"],
            "time_recorded": panel["next"] == panel["next_timed"],
            "url": reverse("scrutiny:panel_meeting", kwargs={"date": day.isoformat()}),
        }
    return {
        "meetings": list(meetings[:LANDING_LATEST]),
        "meeting_count": meetings.count(),
        "open_actions": list(open_actions[:LANDING_LATEST]),
        "action_counts": action_counts,
        "next_panel_meeting": next_panel_meeting,
        "panel_meetings": list(panel_meetings[:LANDING_LATEST]),
        "panel_meeting_count": panel["count"],
        "task_groups": list(task_groups[:LANDING_LATEST]),
        "task_group_count": task_groups.count(),
    }


@dataclass
class MemberRecord:
    """A member's attendance at the panel meetings the visitor may see, held while in office."""

    rows: list  # (meeting, status label) newest first
    counts: dict  # status label -> how many


def member_attendance(member: PanelMember, user) -> MemberRecord:
    """Two queries: the meetings held in the member's term, and the member's records."""
    meetings = PanelMeeting.objects.visible_to(user).filter(
        starts_at__date__gte=member.term_start, starts_at__lte=timezone.now()
    )
    if member.term_end:
        meetings = meetings.filter(starts_at__date__lte=member.term_end)
    meetings = list(meetings.exclude(status=PanelMeeting.Status.CANCELLED).order_by("-starts_at"))
    records = {
        a.meeting_id: a.get_status_display()
        for a in Attendance.objects.filter(member=member, meeting__in=[m.pk for m in meetings])
    }
    rows = [(m, records.get(m.pk, "Not recorded")) for m in meetings]
    counts = dict.fromkeys(Attendance.Status.labels, 0)
    for _meeting, label in rows:
        if label in counts:
            counts[label] += 1
    return MemberRecord(rows=rows, counts=counts)


@dataclass
class MeetingRecord:
    """The attendance, declarations and minutes of one panel meeting, for its page."""

    attendance: list  # (member, status label), in membership order
    declarations: list  # (item number, item title shown, [declarations])
    minutes: Minutes | None
    approving_on: datetime.datetime | None  # when the next meeting, which approves them, is
    approving_url: str
    minutes_to_approve: Minutes | None  # the last meeting's minutes, for this meeting's item


def meeting_record(meeting: PanelMeeting, user) -> MeetingRecord:
    """Three queries, whatever the numbers of members, items and declarations."""
    # 1. The members in office that day, and any other member recorded at the meeting.
    status = Attendance.objects.filter(meeting=meeting, member=OuterRef("pk")).values("status")
    members = (
        PanelMember.objects.visible_to(user)
        .filter(
            Q(pk__in=PanelMember.objects.in_office_on(meeting.date).values("pk"))
            | Q(attendance__meeting=meeting)
        )
        .distinct()
        .annotate(status=Subquery(status[:1]))
        .in_membership_order()
    )
    labels = dict(Attendance.Status.choices)
    attendance = [(m, labels.get(m.status, "Not recorded")) for m in members]

    # 2. The declarations, with their item's number on the agenda.
    item = OuterRef("item")
    before = (
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .filter(
            Q(is_exempt__lt=OuterRef("item__is_exempt"))
            | Q(is_exempt=OuterRef("item__is_exempt"), position__lt=OuterRef("item__position"))
            | Q(is_exempt=OuterRef("item__is_exempt"), position=OuterRef("item__position"),
                pk__lt=item)
        )
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values("n")
    )  # fmt: skip
    declarations = (
        Declaration.objects.filter(meeting=meeting)
        .filter(member__in=PanelMember.objects.visible_to(user).values("pk"))
        .select_related("member", "item")
        .annotate(number=Coalesce(Subquery(before[:1]), Value(0)) + 1)
        .order_by("number", "member__name", "pk")
    )
    sees_exempt = user.has_perm(VIEW_EXEMPT)
    grouped: dict[int, tuple] = {}
    for declaration in declarations:
        shown = declaration.item
        title = shown.title if sees_exempt or not shown.is_exempt else AgendaItem.EXEMPT_TITLE
        grouped.setdefault(declaration.number, (declaration.number, title, []))[2].append(
            declaration
        )

    # 3. This meeting's minutes and the last meeting's, with the next meeting's time.
    visible = PanelMeeting.objects.visible_to(user).exclude(status=PanelMeeting.Status.CANCELLED)
    previous = visible.filter(starts_at__lt=meeting.starts_at).order_by("-starts_at")
    following = visible.filter(starts_at__gt=OuterRef("meeting__starts_at")).order_by("starts_at")
    both = (
        Minutes.objects.filter(
            Q(meeting=meeting) | Q(meeting__in=Subquery(previous.values("pk")[:1]))
        )
        .select_related("meeting", "approved_at")
        .defer("file_text")  # the PDF's words are for searching, not for the page
        .annotate(next_start=Subquery(following.values("starts_at")[:1]))
    )
    minutes = last = None
    for record in both:
        if record.meeting_id == meeting.pk:
            minutes = record
        else:
            last = record
    approving_on, approving_url = None, ""
    if minutes is not None and minutes.is_draft and minutes.next_start:
        approving_on = minutes.next_start
        approving_url = reverse(
            "scrutiny:panel_meeting",
            kwargs={"date": timezone.localtime(approving_on).date().isoformat()},
        )
    return MeetingRecord(
        attendance, list(grouped.values()), minutes, approving_on, approving_url, last
    )
