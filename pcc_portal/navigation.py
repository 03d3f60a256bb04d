"""The primary navigation: the portal's sections, in the order the header shows them.

A section appears once its app provides the page named here, so the header never links to a
page that does not exist.
"""

from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    description: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "Plan",
        "plan:plans",
        "The Police and Crime Plan, its priorities and how each "
        "outcome measure is going, quarter by quarter.",
    ),
    Section(
        "Scrutiny",
        "scrutiny:index",
        "Strategic scrutiny meetings with the Chief "
        "Constable, the actions arising, panel meetings and task groups.",
    ),
    Section(
        "Funding",
        "funding:summary",
        "Funding secured by the Commissioner and grants given from the Commissioner's own funds.",
    ),
    Section(
        "Papers",
        "reports:papers",
        "Papers for Police and Crime Panel meetings, to read online or download as PDF.",
    ),
    Section(
        "Decisions",
        "decisions:decisions",
        "The Commissioner's decisions, with their reasons and costs, and the forward plan.",
    ),
    Section(
        "Search",
        "search:search",
        "Search everything published: papers, decisions, meetings, updates and funding.",
    ),
)


@cache
def available_sections() -> tuple[tuple[Section, str], ...]:
    """The sections whose pages exist, each with its URL (URLconfs are fixed once loaded)."""
    found = []
    for section in SECTIONS:
        try:
            found.append((section, reverse(section.url_name)))
        except NoReverseMatch:
            continue
    return tuple(found)
