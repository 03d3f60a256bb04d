"""The kinds of section a paper is made of, one module each, registered by kind.

The section form, the checks before publishing, the rendering and the paper template loop
over this registry, so adding a kind is adding one module here that subclasses `SectionKind`
and is decorated with `@register`. The modules are found the first time the registry is
read, not when the package is imported: the paper model names `kind_choices` while models are
still loading, before the kinds' forms may be imported.
"""

import importlib
import pkgutil

from reports.sections.kind import SectionKind

_kinds: dict[str, SectionKind] = {}
_found = False


def register(kind_class: type[SectionKind]) -> type[SectionKind]:
    kind = kind_class()
    if not kind.value or (kind.value in _kinds and type(_kinds[kind.value]) is not kind_class):
        raise ValueError(f"A section kind needs a value of its own: {kind_class.__name__}")
    _kinds[kind.value] = kind
    return kind_class


def section_kinds() -> list[SectionKind]:
    """Every kind, in the order editors choose from."""
    return sorted(_registry().values(), key=lambda kind: kind.position)


def section_kind(value: str) -> SectionKind:
    """The kind stored as `value`; a kind no longer known reads as plain text."""
    kinds = _registry()
    return kinds.get(value) or kinds["text"]


def kind_choices() -> list[tuple[str, str]]:
    """The choices of `ReportSection.kind` (a callable, so a new kind needs no migration)."""
    return [(kind.value, kind.label) for kind in section_kinds()]


def section_errors(section) -> list[str]:
    """What is wrong with a section's parameters, in words an editor can act on."""
    return section_kind(section.kind).errors(section)


def section_publish_problems(section) -> list[str]:
    """Why the section stops its paper being published (its parameter errors included)."""
    kind = section_kind(section.kind)
    return kind.errors(section) + kind.publish_problems(section)


def _registry() -> dict[str, SectionKind]:
    global _found
    if not _found:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _found = True
    return _kinds
