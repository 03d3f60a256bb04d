"""Slots: apps add parts to the pages of the apps below them, which know nothing of them."""

import pytest

from pcc_portal import slots
from pcc_portal.slots import HOME_NEWS, PANEL_MEETING_PAGE, PRIORITY_PAGE, Part, fill, register


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


def test_grouped_parts_go_under_their_headings_by_position():
    parts = [
        Part("cost.html", group="cost"),
        Part("late.html", group="done", position=30),
        Part("early.html", group="done", position=10),
        Part("nowhere.html", group="elsewhere"),
    ]
    groups = slots.grouped(parts, {"done": "What was done", "cost": "What it cost"})
    assert [(key, heading, [p.template for p in ps]) for key, heading, ps in groups] == [
        ("done", "What was done", ["nowhere.html", "early.html", "late.html"]),
        ("cost", "What it cost", ["cost.html"]),
    ]
