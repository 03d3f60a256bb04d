"""An update's history as people read it: who did what, when, and which fields changed."""

from dataclasses import dataclass, field
from decimal import Decimal

from pcc_portal.numbers import format_number
from pcc_portal.people import display_name
from plan.models import MeasureUpdate

# The fields a person changes, in the order the page shows them.
SHOWN_FIELDS = [
    "rag",
    "direction",
    "value",
    "comparator_value",
    "comparator_label",
    "commentary",
    "status",
]


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    what: str
    changes: list[Change] = field(default_factory=list)


def display_value(record, name: str) -> str:
    """A field of an update (or of a history record) as a person reads it."""
    value = getattr(record, name)
    model_field = MeasureUpdate._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.choices).get(value, value or "")
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def update_history(update: MeasureUpdate, limit: int = 50) -> list[HistoryEntry]:
    """The update's changes, newest first (at most `limit`, in one query)."""
    records = list(
        update.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        who = display_name(record.history_user) if record.history_user else "The system"
        changes = []
        if previous is not None:
            for name in SHOWN_FIELDS:
                if getattr(record, name) != getattr(previous, name):
                    label = MeasureUpdate._meta.get_field(name).verbose_name
                    changes.append(
                        Change(
                            label.capitalize(),
                            display_value(previous, name),
                            display_value(record, name),
                        )
                    )
        what = record.history_change_reason or (
            "Created" if record.history_type == "+" else "Changed"
        )
        entries.append(HistoryEntry(record.history_date, who, what, changes))
    return entries
