"""What of scrutiny the portal's search may find, and by whom (see pcc_portal.searchable).

Only what the public pages show: published scrutiny meetings (their topics and note, and the
words of their PDF papers), the actions of published meetings and task groups, published task
groups and their recommendations, and published panel meetings (their agenda and minutes). A
Part II agenda item's title and description are found only by those who may see exempt items,
as only they see them on the meeting's page.
"""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from pcc_portal.searchable import EXEMPT, PUBLIC, Entry, SearchKind
from scrutiny.models import (
    Action,
    ActionNote,
    AgendaItem,
    Minutes,
    PanelMeeting,
    Recommendation,
    ScrutinyMeeting,
    ScrutinyPaper,
    ScrutinyTopic,
    TaskGroup,
)


def _lines(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


# Scrutiny meetings: the meeting (its note), and each topic at its anchor on the page.


def scrutiny_meeting_entries(meeting: ScrutinyMeeting) -> list[Entry]:
    if not meeting.published:
        return []
    # Two queries for a meeting saved alone; none more in a rebuild, which prefetched them.
    prefetch_related_objects([meeting], "topics__priorities")
    url, day = meeting.get_absolute_url(), timezone.localtime(meeting.starts_at).date()
    topics = list(meeting.topics.all())
    entries = [
        Entry(
            key="meeting",
            title=meeting.title,
            body=_lines(meeting.get_kind_display(), meeting.chair, meeting.note),
            url=url,
            date=day,
            priority_ids=tuple(sorted({p.pk for t in topics for p in t.priorities.all()})),
        )
    ]
    entries += [
        Entry(
            key=f"topic-{topic.pk}",
            title=f"{topic.title}: {meeting.title}",
            body=topic.summary,
            url=f"{url}#topic-{topic.pk}",
            date=day,
            priority_ids=tuple(sorted(p.pk for p in topic.priorities.all())),
        )
        for topic in topics
    ]
    return entries


def scrutiny_meeting_objects():
    return ScrutinyMeeting.objects.published().prefetch_related("topics__priorities")


# The words of a published meeting's PDF papers: one entry per paper, opening the PDF.


def scrutiny_paper_entries(paper: ScrutinyPaper) -> list[Entry]:
    meeting = paper.meeting
    if not meeting.published or not paper.file:
        return []
    return [
        Entry(
            key="paper",
            title=paper.title,
            body=_lines(paper.received_from and f"From {paper.received_from}", paper.text),
            url=reverse("scrutiny:paper", kwargs={"pk": paper.pk}),
            date=timezone.localtime(meeting.starts_at).date(),
        )
    ]


def scrutiny_paper_objects():
    return (
        ScrutinyPaper.objects.filter(meeting__published=True)
        .exclude(file="")
        .select_related("meeting")
    )


# Actions, as Action.objects.visible_to shows them to the public: with their progress notes.


def action_entries(action: Action) -> list[Entry]:
    raised_by = [r for r in (action.meeting, action.task_group) if r is not None and r.published]
    if not raised_by:
        return []
    notes = [note.text for note in action.notes.all()]
    return [
        Entry(
            key="action",
            title=f"Action: {action.description[:120]}",
            body=_lines(
                action.description,
                f"Owner: {action.owner}. {action.get_status_display()}.",
                action.dropped_reason,
                *notes,
            ),
            url=action.get_absolute_url(),
            date=action.due_date,
            priority_ids=(action.priority_id,) if action.priority_id else (),
        )
    ]


def action_objects():
    return (
        Action.objects.filter(Q(meeting__published=True) | Q(task_group__published=True))
        .select_related("meeting", "task_group")
        .prefetch_related(Prefetch("notes", queryset=ActionNote.objects.only("action", "text")))
    )


# Task groups: the group's reason and findings, and each recommendation with its response.


def task_group_entries(group: TaskGroup) -> list[Entry]:
    if not group.published:
        return []
    url = group.get_absolute_url()
    day = group.follow_up_date or timezone.localdate(group.created_at)
    entries = [
        Entry(
            key="group",
            title=group.title,
            body=_lines(group.reason, group.findings),
            url=url,
            date=day,
        )
    ]
    entries += [
        Entry(
            key=f"recommendation-{r.pk}",
            title=f"Recommendation {r.number}: {group.title}",
            body=_lines(r.text, r.response, r.get_status_display()),
            url=f"{url}#recommendations",
            date=day,
        )
        for r in group.recommendations.all()
    ]
    return entries


def task_group_objects():
    return TaskGroup.objects.published().prefetch_related("recommendations")


# Panel meetings: the meeting, each agenda item at its anchor, and the minutes.


def panel_meeting_entries(meeting: PanelMeeting) -> list[Entry]:
    if not meeting.published:
        return []
    url, day = meeting.get_absolute_url(), meeting.date
    entries = [
        Entry(
            key="meeting",
            title=str(meeting),
            body=_lines(meeting.venue, meeting.get_status_display()),
            url=url,
            date=day,
        )
    ]
    for item in meeting.agenda_items.all():
        # The public learn only that a Part II item is there, never its title or description.
        entries.append(
            Entry(
                key=f"item-{item.pk}",
                title=f"{item.title}: {meeting}",
                body=item.description,
                url=f"{url}#agenda-item-{item.pk}",
                audience=EXEMPT if item.is_exempt else PUBLIC,
                date=day,
            )
        )
    minutes = _minutes_of(meeting)
    if minutes is not None and (minutes.text.strip() or minutes.file_text):
        draft = "Draft minutes" if minutes.is_draft else "Minutes"
        entries.append(
            Entry(
                key="minutes",
                title=f"{draft} of the {meeting}",
                body=minutes.text or minutes.file_text,
                url=f"{url}#minutes",
                date=day,
            )
        )
    return entries


def _minutes_of(meeting: PanelMeeting) -> Minutes | None:
    try:
        return meeting.minutes
    except Minutes.DoesNotExist:
        return None


def panel_meeting_objects():
    return (
        PanelMeeting.objects.published().select_related("minutes").prefetch_related("agenda_items")
    )


SCRUTINY_MEETINGS = SearchKind(
    name="scrutiny_meeting",
    label="Scrutiny meetings",
    model=ScrutinyMeeting,
    entries=scrutiny_meeting_entries,
    objects=scrutiny_meeting_objects,
    followers=((ScrutinyTopic, lambda topic: [topic.meeting]),),
)

SCRUTINY_PAPERS = SearchKind(
    name="scrutiny_paper",
    label="Scrutiny meeting papers",
    model=ScrutinyPaper,
    entries=scrutiny_paper_entries,
    objects=scrutiny_paper_objects,
    # Publishing or withdrawing the meeting opens or hides its papers.
    followers=((ScrutinyMeeting, lambda meeting: meeting.papers.all()),),
)

ACTIONS = SearchKind(
    name="action",
    label="Actions",
    model=Action,
    entries=action_entries,
    objects=action_objects,
    followers=(
        (ActionNote, lambda note: [note.action]),
        (ScrutinyMeeting, lambda meeting: meeting.actions.all()),
        (TaskGroup, lambda group: group.actions.all()),
    ),
)

TASK_GROUPS = SearchKind(
    name="task_group",
    label="Task groups and recommendations",
    model=TaskGroup,
    entries=task_group_entries,
    objects=task_group_objects,
    followers=((Recommendation, lambda recommendation: [recommendation.task_group]),),
)

PANEL_MEETINGS = SearchKind(
    name="panel_meeting",
    label="Panel meetings",
    model=PanelMeeting,
    entries=panel_meeting_entries,
    objects=panel_meeting_objects,
    followers=(
        (AgendaItem, lambda item: [item.meeting]),
        (Minutes, lambda minutes: [minutes.meeting]),
    ),
)

SEARCH_KINDS = (SCRUTINY_MEETINGS, SCRUTINY_PAPERS, ACTIONS, TASK_GROUPS, PANEL_MEETINGS)
