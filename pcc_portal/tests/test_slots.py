"""Slots: apps add parts to the pages of the apps below them, which know nothing of them."""

import pytest
from django.utils import timezone

from pcc_portal import slots
from pcc_portal.slots import HOME_NEWS, PANEL_MEETING_PAGE, PRIORITY_PAGE, Part, fill, register
from reports.tests.factories import make_report
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text


@pytest.fixture
def empty_slots(monkeypatch):
    """Slots with no providers for the test; the apps' own registrations are left alone."""
    monkeypatch.setattr(slots, "_providers", {slot: [] for slot in slots.SLOTS})


def part_for(name):
    def provider(*args, user):
        return Part(f"{name}.html", {"args": args, "user": user})

    return provider


def test_parts_come_in_the_order_their_providers_registered(empty_slots):
    register(PRIORITY_PAGE, part_for("first"))
    register(PRIORITY_PAGE, part_for("second"))
    parts = fill(PRIORITY_PAGE, "the priority", user="the visitor")
    assert [part.template for part in parts] == ["first.html", "second.html"]
    assert parts[0].context == {"args": ("the priority",), "user": "the visitor"}


def test_a_provider_registered_twice_gives_one_part(empty_slots):
    provider = part_for("once")
    register(PANEL_MEETING_PAGE, provider)
    register(PANEL_MEETING_PAGE, provider)
    assert len(fill(PANEL_MEETING_PAGE, "the meeting", user=None)) == 1


def test_a_provider_with_nothing_to_show_adds_no_part(empty_slots):
    register(HOME_NEWS, lambda *, user: None)
    register(HOME_NEWS, part_for("news"))
    assert [part.template for part in fill(HOME_NEWS, user=None)] == ["news.html"]


def test_a_slot_nobody_filled_has_no_parts(empty_slots):
    assert fill(HOME_NEWS, user=None) == []


@pytest.mark.parametrize("use", [
    lambda: register("priority", part_for("misspelt")),
    lambda: fill("priority", "the priority", user=None),
])  # fmt: skip
def test_an_unknown_slot_is_an_error(empty_slots, use):
    with pytest.raises(LookupError, match="no slot named 'priority'"):
        use()


def test_the_home_page_shows_the_next_panel_meeting_and_the_latest_papers(client, db):
    next_year = timezone.localdate().year + 1
    make_panel_meeting(f"{next_year}-06-01")
    later = make_panel_meeting(f"{next_year}-09-01")
    type(later).objects.filter(pk=later.pk).update(venue="Not the next one")
    past = make_panel_meeting("2021-03-08")
    make_report(past, title="Published paper", status="published")
    make_report(past, title="Draft paper")
    page = text(soup(client.get("/")).main)
    assert "The next meeting of the" in page and "County Hall, Preston" in page
    assert "Not the next one" not in page
    assert "Latest papers" in page and "Published paper" in page
    assert "Draft paper" not in page


def test_the_home_page_without_meetings_or_papers_shows_neither(client, db):
    page = text(soup(client.get("/")).main)
    assert "The next meeting of the" not in page and "Latest papers" not in page
