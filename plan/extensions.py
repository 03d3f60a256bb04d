"""Sections that other apps add to a priority's page.

The plan refers to nothing else, but apps built on it (scrutiny, funding) have things to show
under a priority. They register a provider here from their AppConfig.ready(); the priority page
asks each provider for its section. Each provider runs a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PrioritySection:
    template: str
    context: dict = field(default_factory=dict)


_providers: list[Callable] = []


def register_priority_section(provider: Callable) -> Callable:
    """`provider(priority, user)` returns a PrioritySection, or None to show nothing."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def priority_sections(priority, user) -> list[PrioritySection]:
    sections = (provider(priority, user) for provider in _providers)
    return [section for section in sections if section is not None]
