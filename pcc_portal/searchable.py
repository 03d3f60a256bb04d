"""What the portal's search can find, declared by the apps that own it.

The search (the `search` app, above every other) knows no app's models. Each app says what of
its own may be found: from its AppConfig.ready() it registers a SearchKind, which names the
model, gives the entries of one object (a published paper gives one entry per paragraph, so a
hit opens at its anchor), and lists every object for a rebuild. The search stores the entries
in its index and keeps them current when an object (or one of its `followers`) is saved or
deleted, after the transaction commits.

Who may find an entry is its `audience`, decided by the app with the same rules as its
`visible_to(user)`: PUBLIC for what everyone may see, EXEMPT for what only those who may see
exempt ("Part II") items may see. An object nobody outside the office may see yet (a draft, an
unapproved update, a paper not published) gives no entries at all, so it is never found.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

from pcc_portal.permissions import VIEW_EXEMPT

PUBLIC = "public"
EXEMPT = "exempt"
AUDIENCES = (PUBLIC, EXEMPT)


@dataclass(frozen=True)
class Entry:
    """One findable piece of an object: its own title, words, link and who may find it."""

    key: str  # unique among the object's entries, e.g. "p12" for a paper's twelfth paragraph
    title: str
    body: str
    url: str
    audience: str = PUBLIC
    # What the entry is part of, shown with it but not searched: a paragraph's paper. A word of
    # the paper's title then finds the paper once, not each of its paragraphs.
    within: str = ""
    date: datetime.date | None = None
    priority_ids: tuple[int, ...] = ()
    area_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SearchKind:
    """One kind of thing that can be found: papers, decisions, awards…"""

    name: str  # stable and short, used in URLs: "paper"
    label: str  # plural, as the results' filter shows it: "Papers"
    model: type  # saving or deleting one of these re-indexes it
    entries: Callable[[Any], Iterable[Entry]]  # of one object; none when it is not published
    objects: Callable[[], Iterable[Any]]  # every object to index when the index is rebuilt
    # Other models whose saving or deleting changes an object's entries, each with a function
    # giving the objects of `model` to re-index: (ScrutinyTopic, lambda topic: [topic.meeting]).
    followers: tuple[tuple[type, Callable[[Any], Iterable[Any]]], ...] = ()


_kinds: dict[str, SearchKind] = {}

# Sent by an app, `search_changed.send(sender=Model, instance=obj)`, where an object's entries
# change without a save of it or of a follower (a queryset update, a many-to-many change); the
# search re-indexes the object after the transaction commits.
search_changed = Signal()

# Sent by the search each time it has written an object's entries, with `kind` (its name),
# `object_id` and `audiences` (those who may find it now: empty when it is no longer
# findable), inside the transaction that wrote them.
entries_indexed = Signal()
# Sent once the whole index is rebuilt, inside its transaction, with `found`: every
# (kind, object_id, audience) findable now.
index_rebuilt = Signal()


def register_search_kind(kind: SearchKind) -> SearchKind:
    """Adds a kind; registering the same name again replaces it (ready() may run twice)."""
    _kinds[kind.name] = kind
    return kind


def search_kinds() -> list[SearchKind]:
    """The kinds in the order they registered (which follows INSTALLED_APPS)."""
    return list(_kinds.values())


def search_kind(name: str) -> SearchKind | None:
    return _kinds.get(name)


def audiences_of(user) -> tuple[str, ...]:
    """The audiences whose entries this visitor may find."""
    return AUDIENCES if user.has_perm(VIEW_EXEMPT) else (PUBLIC,)
