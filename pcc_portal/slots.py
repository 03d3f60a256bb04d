"""Named places on a page where apps built on the page's own app add parts of their own.

A page's app knows nothing of the apps above it, yet they have things to show on its pages:
the priority page (plan) shows the priority's scrutiny and funding, the panel meeting page
(scrutiny) the meeting's papers. Each such place is a slot named here. An app registers a
provider for a slot from its AppConfig.ready(); the page's view fills the slot and its template
includes each part (see templates/components/_slot.html). Parts come in the order the
providers registered, which follows INSTALLED_APPS, unless the page groups them: a part may
name its `group` (one of the page's headings) and its `position` in it, and the page's view
sorts them with `grouped()`. The priority page does (PRIORITY_GROUPS), so that it reads as one
story: what was promised, how it is going, what was done about it and what it cost.

A provider returns a Part, or None to show nothing, and runs a fixed number of queries
whatever the data, so a page's query budget does not depend on what fills it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# The slots, with the arguments their providers take.
PRIORITY_PAGE = "priority page"  # provider(priority, user=user): sections under a priority
PANEL_MEETING_PAGE = "panel meeting page"  # provider(meeting, user=user): the meeting's agenda
HOME_TASKS = "home tasks"  # provider(user=user): what waits for the visitor, as Tasks
HOME_NEWS = "home news"  # provider(user=user): the next panel meeting, the latest papers
ACTION_PAGE = "action page"  # provider(action, user=user): what the action was raised for
SEARCH_PAGE = "search page"  # provider(q, kind, user=user): ways to follow the search

SLOTS = (PRIORITY_PAGE, PANEL_MEETING_PAGE, HOME_TASKS, HOME_NEWS, ACTION_PAGE, SEARCH_PAGE)

# The headings of the priority page that parts go under (the plan's own parts, what was
# promised and how it is going, come first): a PRIORITY_PAGE part names one as its `group`.
DONE = "done"
COST = "cost"
PRIORITY_GROUPS = {DONE: "What was done about it", COST: "What it cost"}


@dataclass
class Part:
    """A template and its context; the page includes the template with `section` = context."""

    template: str
    context: dict = field(default_factory=dict)
    group: str = ""  # the page's heading the part goes under, on pages that group them
    position: int = 0  # its place under that heading, lowest first
    feeds: tuple = ()  # FeedLinks (pcc_portal.feeds) the page offers in its head for this part


@dataclass
class Task:
    """Something waiting for the visitor: what it is, a detail (a reason, a date) and where the
    work is done. HOME_TASKS providers return `tasks_part([...])`."""

    text: str
    url: str
    detail: str = ""


def tasks_part(tasks: list[Task]) -> Part | None:
    """The home page's part for these tasks; None when there are none, so nothing shows."""
    return Part("components/_tasks.html", {"tasks": tasks}) if tasks else None


_providers: dict[str, list[Callable]] = {slot: [] for slot in SLOTS}


def register(slot: str, provider: Callable) -> Callable:
    """Adds a provider to the slot; a provider already there is not added twice (ready() may
    run more than once, in tests)."""
    providers = _providers_of(slot)
    if provider not in providers:
        providers.append(provider)
    return provider


def fill(slot: str, *args, user) -> list[Part]:
    """The parts the slot's providers give for these arguments and this visitor."""
    parts = (provider(*args, user=user) for provider in _providers_of(slot))
    return [part for part in parts if part is not None]


def part_feeds(parts: list[Part]) -> list:
    """The feeds the parts offer, for the page's `feeds` (its `<link rel="alternate">`)."""
    return [feed for part in parts for feed in part.feeds]


def grouped(parts: list[Part], groups: dict[str, str]) -> list[tuple[str, str, list[Part]]]:
    """The parts under the page's headings, as (group, heading, parts) in the order of
    `groups`, each group's parts by position (then registration). A part naming no group, or
    one the page does not have, goes under the first heading, so nothing is lost."""
    first = next(iter(groups))
    by_group: dict[str, list[Part]] = {group: [] for group in groups}
    for part in parts:
        by_group[part.group if part.group in groups else first].append(part)
    return [
        (group, heading, sorted(by_group[group], key=lambda part: part.position))
        for group, heading in groups.items()
    ]


def _providers_of(slot: str) -> list[Callable]:
    try:
        return _providers[slot]
    except KeyError:
        # A misspelt slot would otherwise leave a page silently without its parts.
        raise LookupError(f"There is no slot named {slot!r}; the slots are {SLOTS}.") from None
