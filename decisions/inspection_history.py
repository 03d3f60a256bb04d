"""An inspection's history as people read it: who changed the report, its comments and its
recommendations, when, and which fields. Read from the records' history (simple_history), so
a deleted recommendation's changes stay listed; changes waiting for an approver are not in it
until published."""

import datetime
from dataclasses import dataclass, field

from decisions.inspections import Inspection, InspectionRecommendation
from pcc_portal.people import display_name

# The fields a person changes, in the order the page shows them.
INSPECTION_FIELDS = [
    "title",
    "kind",
    "published_on",
    "url",
    "comments",
    "comments_published_on",
    "comments_url",
    "comments_unknown",
    "published",
]
RECOMMENDATION_FIELDS = [
    "kind",
    "reference",
    "text",
    "force_response",
    "office_response",
    "owner",
    "status",
]
VERBS = {"+": "added", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    changes: list[Change] = field(default_factory=list)


def display_value(model, record, name: str) -> str:
    """A field of a history record as a person reads it."""
    value = getattr(record, name)
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value or "(blank)"))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "(blank)"
    return str(value)


def _entries(model, records, fields, subject) -> list[HistoryEntry]:
    """Entries for one record's history `records`, newest first, each against the one before."""
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        changes = []
        if previous is not None and record.history_type == "~":
            for name in fields:
                if getattr(record, name) != getattr(previous, name):
                    label = str(model._meta.get_field(name).verbose_name).capitalize()
                    changes.append(
                        Change(
                            label,
                            display_value(model, previous, name),
                            display_value(model, record, name),
                        )
                    )
        who = display_name(record.history_user) if record.history_user else "The system"
        what = f"{subject(record)}: {VERBS.get(record.history_type, 'changed')}"
        if record.history_change_reason:
            what = f"{what}: {record.history_change_reason}"
        entries.append(HistoryEntry(record.history_date, who, what, changes))
    return entries


def inspection_history(inspection: Inspection, limit: int = 200) -> list[HistoryEntry]:
    """The changes to an inspection and its recommendations (deleted ones too), newest first,
    at most `limit` of each. Two queries."""
    own = list(
        inspection.history.select_related("history_user").order_by("-history_date", "-pk")[:limit]
    )
    theirs = list(
        InspectionRecommendation.history.filter(inspection_id=inspection.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    entries = _entries(Inspection, own, INSPECTION_FIELDS, lambda record: "The inspection report")
    by_recommendation: dict[int, list] = {}
    for record in theirs:
        by_recommendation.setdefault(record.id, []).append(record)
    for records in by_recommendation.values():
        entries += _entries(
            InspectionRecommendation,
            records,
            RECOMMENDATION_FIELDS,
            lambda record: str(
                InspectionRecommendation(kind=record.kind, reference=record.reference)
            ),
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
