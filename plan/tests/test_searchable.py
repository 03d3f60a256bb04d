"""What of the plan the search may find: what the plan's pages show the reader, no more."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcc_portal.searchable import PUBLIC, audiences_of, search_kind
from plan.models import Commitment, MeasureUpdate, Plan, Priority
from plan.searchable import SEARCH_KINDS
from plan.tests.factories import make_measure, make_period, make_plan, make_priority, make_update


def plan_world():
    """Updates in every state, an inactive measure, and a draft plan with an approved update."""
    period, earlier = make_period(2021, 2), make_period(2021, 1)
    for status in (Plan.Status.PUBLISHED, Plan.Status.DRAFT):
        priority = make_priority(make_plan(status=status), summary="Why it matters.")
        Commitment.objects.create(priority=priority, order=1, text="I will fund youth work.")
        measure, retired = make_measure(priority), make_measure(priority, active=False)
        for state, quarter in (("approved", period), ("submitted", earlier)):
            make_update(measure, quarter, status=state, commentary="Knife crime fell in Burnley.")
        make_update(retired, period, status="approved", commentary="No longer measured.")
    make_priority(make_plan(status=Plan.Status.DRAFT))


def users(make_user):
    return {"anonymous": AnonymousUser(), "panel member": make_user("panel member")}


def found_by(kind, user) -> set[int]:
    audiences = audiences_of(user)
    return {
        obj.pk
        for obj in kind.model._default_manager.all()
        if any(entry.audience in audiences for entry in kind.entries(obj))
    }


def published_plans(user):
    return Plan.objects.visible_to(user)


VISIBLE = {
    "priority": lambda user: Priority.objects.visible_to(user),
    # An approved update (visible_to) that a page of a plan the reader may open shows: those
    # of active measures, as the priority's page lists only those.
    "measure_update": lambda user: MeasureUpdate.objects.visible_to(user).filter(
        measure__priority__plan__in=published_plans(user), measure__active=True
    ),
}


def test_both_kinds_are_registered():
    assert [search_kind(name) for name in VISIBLE] == list(SEARCH_KINDS)


@pytest.mark.parametrize("name", VISIBLE)
@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_what_the_search_finds_is_exactly_what_the_reader_may_see(db, make_user, name, role):
    plan_world()
    user = users(make_user)[role]
    kind = search_kind(name)
    visible = set(VISIBLE[name](user).values_list("pk", flat=True))
    assert visible
    assert visible != set(kind.model._default_manager.values_list("pk", flat=True))
    assert found_by(kind, user) == visible
    assert {obj.pk for obj in kind.objects()} == visible


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_an_updates_commentary_is_found_on_the_page_its_link_opens(client_for, role):
    plan_world()
    update = MeasureUpdate.objects.on_public_pages().get()
    (entry,) = search_kind("measure_update").entries(update)
    assert entry.audience == PUBLIC
    path, anchor = entry.url.split("#")
    page = BeautifulSoup(client_for(role).get(path).content, "html.parser")
    section = page.find(id=anchor).find_parent("section")
    assert "Knife crime fell in Burnley." in section.get_text()
    assert entry.date == datetime.date(2021, 9, 30)  # the quarter's end
    assert entry.priority_ids == (update.measure.priority_id,)
    assert entry.area_ids == ()


def test_a_priority_is_found_by_its_commitments_and_its_measures_at_their_anchor(db):
    plan_world()
    priority = Priority.objects.get(plan__status=Plan.Status.PUBLISHED)
    entries = {e.key: e for e in search_kind("priority").entries(priority)}
    measure = priority.measures.get(active=True)
    assert "I will fund youth work." in entries["priority"].body
    assert entries[f"measure-{measure.pk}"].url == (
        f"{priority.get_absolute_url()}#measure-{measure.pk}"
    )
    assert set(entries) == {"priority", f"measure-{measure.pk}"}  # not the inactive measure


def test_saving_a_plan_measure_or_commitment_re_indexes_what_shows_it(db):
    plan_world()
    priority = Priority.objects.get(plan__status=Plan.Status.PUBLISHED)
    measure = priority.measures.get(active=True)
    commitment = priority.commitments.get()

    def followed(kind_name, part):
        kind = search_kind(kind_name)
        return {
            o for model, objects in kind.followers if model is type(part) for o in objects(part)
        }

    assert followed("priority", priority.plan) == {priority}
    assert followed("priority", commitment) == {priority}
    assert followed("priority", measure) == {priority}
    updates = set(MeasureUpdate.objects.filter(measure__priority=priority))
    assert followed("measure_update", priority.plan) == updates
    assert followed("measure_update", priority) == updates
    assert followed("measure_update", measure) == set(measure.updates.all())


def build(times: int) -> None:
    for _ in range(times):
        plan_world()


@pytest.mark.parametrize("name", VISIBLE)
def test_a_rebuild_runs_the_same_queries_for_three_times_the_objects(db, name):
    kind = search_kind(name)

    def rebuild_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            entries = [list(kind.entries(obj)) for obj in kind.objects()]
        assert any(entries)
        return len(queries)

    build(1)
    once = rebuild_queries()
    build(2)
    assert rebuild_queries() == once
