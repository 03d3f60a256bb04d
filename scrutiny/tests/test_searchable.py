"""What of scrutiny the search may find, and by whom: exactly what `visible_to` shows."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcc_portal.searchable import EXEMPT, PUBLIC, audiences_of, search_kind
from plan.tests.factories import make_plan, make_priority
from scrutiny.models import (
    Action,
    ActionNote,
    AgendaItem,
    Minutes,
    PanelMeeting,
    Recommendation,
    ScrutinyMeeting,
    ScrutinyPaper,
    TaskGroup,
)
from scrutiny.searchable import SEARCH_KINDS
from scrutiny.tests.factories import (
    make_action,
    make_meeting,
    make_panel_meeting,
    make_task_group,
    make_topic,
)

_days = itertools.count(1)


def make_paper(meeting, words="Burglary fell across the county.", **fields) -> ScrutinyPaper:
    paper = ScrutinyPaper.objects.create(
        meeting=meeting, title=fields.pop("title", "Performance report"), file="scrutiny/p.pdf"
    )
    ScrutinyPaper.objects.filter(pk=paper.pk).update(text=words)  # as read on upload
    paper.refresh_from_db()
    return paper


def make_panel(published=True) -> PanelMeeting:
    day = datetime.date(2021, 1, 1) + datetime.timedelta(days=next(_days))
    meeting = make_panel_meeting(day.isoformat(), published=published)
    AgendaItem.objects.create(meeting=meeting, title="Police and Crime Plan update")
    AgendaItem.objects.create(
        meeting=meeting,
        title="Chief Constable's contract",
        description="Terms of the extension.",
        is_exempt=True,
        exempt_paragraph=1,
    )
    Minutes.objects.create(meeting=meeting, text="The panel noted the update on knife crime.")
    return meeting


def scrutiny_world():
    """Published and unpublished things of every kind, and actions of every kind of origin."""
    published, hidden = make_meeting(note="Knife crime in Burnley."), make_meeting(published=False)
    group, hidden_group = make_task_group(), make_task_group(published=False)
    for meeting in (published, hidden):
        make_topic(meeting, summary="Response times")
        make_paper(meeting)
        make_action(meeting=meeting)
    make_action(meeting=hidden, task_group=group)
    make_action(task_group=hidden_group)
    for g in (group, hidden_group):
        Recommendation.objects.create(task_group=g, number=1, text="Publish response times.")
    make_panel(published=True)
    make_panel(published=False)


def users(make_user):
    return {"anonymous": AnonymousUser(), "panel member": make_user("panel member")}


def found_by(kind, user) -> set[int]:
    """The objects of the kind with an entry the user may find (every object, not only those
    the kind lists, so an unpublished one giving entries would show)."""
    audiences = audiences_of(user)
    return {
        obj.pk
        for obj in kind.model._default_manager.all()
        if any(entry.audience in audiences for entry in kind.entries(obj))
    }


VISIBLE = {
    "scrutiny_meeting": lambda user: ScrutinyMeeting.objects.visible_to(user),
    "scrutiny_paper": lambda user: ScrutinyPaper.objects.filter(
        meeting__in=ScrutinyMeeting.objects.visible_to(user)
    ).exclude(file=""),
    "action": lambda user: Action.objects.visible_to(user),
    "task_group": lambda user: TaskGroup.objects.visible_to(user),
    "panel_meeting": lambda user: PanelMeeting.objects.visible_to(user),
}


def test_every_kind_is_registered():
    assert [search_kind(name) for name in VISIBLE] == list(SEARCH_KINDS)


@pytest.mark.parametrize("name", VISIBLE)
@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_what_the_search_finds_is_exactly_what_the_reader_may_see(db, make_user, name, role):
    scrutiny_world()
    user = users(make_user)[role]
    kind = search_kind(name)
    visible = set(VISIBLE[name](user).values_list("pk", flat=True))
    assert visible  # something to find, and (from the world) something hidden
    assert visible != set(kind.model._default_manager.values_list("pk", flat=True))
    assert found_by(kind, user) == visible
    # A rebuild lists exactly the objects that give entries.
    assert {obj.pk for obj in kind.objects()} == visible


def entries_of(kind_name, obj):
    return {entry.key: entry for entry in search_kind(kind_name).entries(obj)}


def test_a_part_ii_items_title_is_found_only_by_those_who_may_see_exempt_items(db, make_user):
    meeting = make_panel()
    entries = search_kind("panel_meeting").entries(meeting)
    public = [e for e in entries if e.audience == PUBLIC]
    exempt = [e for e in entries if e.audience == EXEMPT]
    assert not any("contract" in e.title + e.body for e in public)
    assert [e.title for e in exempt] == [f"Chief Constable's contract: {meeting}"]
    item = AgendaItem.objects.get(is_exempt=True)
    assert exempt[0].url == f"/scrutiny/panel/{meeting.date.isoformat()}/#agenda-item-{item.pk}"
    # Exactly the items visible_to shows by their own title, per reader.
    for role, user in users(make_user).items():
        shown = {
            f"item-{i.pk}"
            for i in AgendaItem.objects.visible_to(user).filter(meeting=meeting)
            if i.shown_title == i.title
        }
        found = {e.key for e in entries if e.key.startswith("item-")}
        found = {
            key
            for key in found
            if entries_of("panel_meeting", meeting)[key].audience in audiences_of(user)
        }
        assert found == shown, role


def test_panel_meeting_minutes_are_found_with_the_meeting(db):
    meeting = make_panel()
    minutes = entries_of("panel_meeting", meeting)["minutes"]
    assert minutes.title == f"Draft minutes of the {meeting}"
    assert "knife crime" in minutes.body
    assert minutes.url.endswith("#minutes")


def test_a_topic_opens_at_its_anchor_and_carries_its_priorities(db):
    priority = make_priority(make_plan())
    meeting = make_meeting(title="Strategic Scrutiny, September")
    topic = make_topic(meeting, priorities=[priority], title="Rural crime", summary="Tractors.")
    entries = entries_of("scrutiny_meeting", meeting)
    entry = entries[f"topic-{topic.pk}"]
    assert entry.url == f"/scrutiny/meetings/{meeting.pk}/#topic-{topic.pk}"
    assert entry.body == "Tractors."
    assert entry.priority_ids == (priority.pk,)
    assert entries["meeting"].priority_ids == (priority.pk,)
    assert entry.date == datetime.date(2021, 9, 21)


def test_a_papers_words_are_found_and_open_the_pdf(db):
    paper = make_paper(make_meeting(), words="Domestic abuse referrals rose.")
    (entry,) = search_kind("scrutiny_paper").entries(paper)
    assert "Domestic abuse referrals rose." in entry.body
    assert entry.url == f"/scrutiny/papers/{paper.pk}/"
    assert entry.audience == PUBLIC


def test_an_actions_progress_notes_and_priority_are_found(db):
    priority = make_priority(make_plan())
    action = make_action(meeting=make_meeting(), priority=priority, description="Review CCTV")
    ActionNote.objects.create(action=action, text="Cameras installed in Accrington.")
    (entry,) = search_kind("action").entries(action)
    assert "Cameras installed in Accrington." in entry.body
    assert entry.priority_ids == (priority.pk,)
    assert entry.url == f"/scrutiny/actions/{action.pk}/"


def test_saving_a_part_re_indexes_what_it_belongs_to(db):
    """The followers name the object whose entries a saved part changes."""
    meeting, group, panel = make_meeting(), make_task_group(), make_panel()
    topic, paper = make_topic(meeting), make_paper(meeting)
    action = make_action(meeting=meeting, task_group=group)
    note = ActionNote.objects.create(action=action, text="Progress")
    recommendation = Recommendation.objects.create(task_group=group, number=1, text="Do it")
    item, minutes = panel.agenda_items.first(), panel.minutes

    def followed(kind_name, part):
        kind = search_kind(kind_name)
        return [
            o for model, objects in kind.followers if model is type(part) for o in objects(part)
        ]

    assert followed("scrutiny_meeting", topic) == [meeting]
    assert followed("scrutiny_paper", meeting) == [paper]
    assert followed("action", note) == [action]
    assert followed("action", meeting) == [action]
    assert followed("action", group) == [action]
    assert followed("task_group", recommendation) == [group]
    assert followed("panel_meeting", item) == [panel]
    assert followed("panel_meeting", minutes) == [panel]


def build(times: int) -> None:
    for _ in range(times):
        priority = make_priority(make_plan())
        meeting, group = make_meeting(), make_task_group()
        make_topic(meeting, priorities=[priority])
        make_topic(meeting, priorities=[priority])
        make_paper(meeting)
        action = make_action(meeting=meeting, priority=priority)
        ActionNote.objects.create(action=action, text="Progress")
        make_action(task_group=group)
        Recommendation.objects.create(task_group=group, number=1, text="Do it")
        make_panel()
    make_panel().minutes.delete()  # a meeting without minutes costs nothing more either


def rebuild_queries(kind) -> int:
    with CaptureQueriesContext(connection) as queries:
        entries = [list(kind.entries(obj)) for obj in kind.objects()]
    assert any(entries)
    return len(queries)


@pytest.mark.parametrize("name", VISIBLE)
def test_a_rebuild_runs_the_same_queries_for_three_times_the_objects(db, name):
    kind = search_kind(name)
    build(1)
    once = rebuild_queries(kind)
    build(2)
    assert rebuild_queries(kind) == once


def test_a_meeting_saved_alone_costs_the_same_queries_however_many_topics_it_has(db):
    priority = make_priority(make_plan())
    meeting = make_meeting()
    kind = search_kind("scrutiny_meeting")

    def queries() -> int:
        fresh = ScrutinyMeeting.objects.get(pk=meeting.pk)
        with CaptureQueriesContext(connection) as captured:
            list(kind.entries(fresh))
        return len(captured)

    make_topic(meeting, priorities=[priority])
    once = queries()
    make_topic(meeting, priorities=[priority])
    make_topic(meeting, priorities=[priority])
    assert queries() == once
