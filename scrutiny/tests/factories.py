import datetime
import io
import itertools

from django.utils import timezone
from pypdf import PdfWriter

from scrutiny.models import Action, PanelMeeting, ScrutinyMeeting, ScrutinyTopic, TaskGroup

_seq = itertools.count(1)


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T{time}"))


def make_meeting(**fields) -> ScrutinyMeeting:
    n = next(_seq)
    defaults = {
        "title": f"Strategic Scrutiny meeting {n}",
        "starts_at": at("2021-09-21"),
        "status": "held",
        "published": True,
    }
    return ScrutinyMeeting.objects.create(**{**defaults, **fields})


def make_topic(meeting, priorities=(), **fields) -> ScrutinyTopic:
    fields.setdefault("title", f"Topic {next(_seq)}")
    topic = ScrutinyTopic.objects.create(meeting=meeting, **fields)
    topic.priorities.set(priorities)
    return topic


def make_action(meeting=None, task_group=None, **fields) -> Action:
    defaults = {
        "description": f"Action {next(_seq)}",
        "owner": "Chief Constable",
        "due_date": datetime.date(2021, 12, 1),
    }
    return Action.objects.create(meeting=meeting, task_group=task_group, **{**defaults, **fields})


def make_panel_meeting(day="2021-10-12", **fields) -> PanelMeeting:
    fields.setdefault("published", True)
    return PanelMeeting.objects.create(starts_at=at(day), venue="County Hall, Preston", **fields)


def make_task_group(**fields) -> TaskGroup:
    n = next(_seq)
    defaults = {"title": f"Task group {n}", "slug": f"task-group-{n}", "published": True}
    return TaskGroup.objects.create(**{**defaults, **fields})


def make_pdf(change=None) -> bytes:
    """A real one-page A4 PDF written by pypdf; `change(writer)` may add to it first."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
