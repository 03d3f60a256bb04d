"""Prints the register of duties as a plain-text table: each duty, when it was last published,
when the next is due and where it stands, today or on --date."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from decisions.duty_services import duty_statuses


def _day(value: datetime.date | None, none: str) -> str:
    return value.isoformat() if value else none


def register_table(today: datetime.date) -> str:
    """The register on `today` as aligned plain-text columns, with a count of each state."""
    statuses = duty_statuses(today)
    rows = [("Duty", "Last published", "Next due", "State")]
    rows += [
        (s.duty.title, _day(s.last_published, "not recorded"), _day(s.next_due, "-"), s.state)
        for s in statuses
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[3]])
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in [*widths, len("State")]))
    counts = {}
    for status in statuses:
        counts[status.state] = counts.get(status.state, 0) + 1
    summary = ", ".join(f"{state}: {count}" for state, count in counts.items())
    return "\n".join([f"The register of duties on {today.isoformat()}", "", *lines, "", summary])


class Command(BaseCommand):
    help = "Print the register of duties (last published, next due, state) for today or a date."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to compute the register for, YYYY-MM-DD.")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD, like 2026-11-24.") from None
        self.stdout.write(register_table(today))
