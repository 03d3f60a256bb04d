"""Financial years and quarters as the panel writes them: the one place each rule lives.

A financial year runs from April to March and is named by the year it starts in: 2021 is
2021/22. A quarter is written 2021-q2 in web addresses and forms (July to September 2021).
"""

import datetime
import re

from django.utils import timezone

FIRST_FINANCIAL_YEAR_OFFERED = 2010
FIRST_QUARTER_YEAR_OFFERED = 2016
QUARTER_SLUG = r"[0-9]{4}-q[1-4]"  # 2021-q2; also the quarter URL converter's pattern
_QUARTER_SLUG = re.compile(QUARTER_SLUG)


def financial_year_label(year: int) -> str:
    """2021 gives 2021/22; 2099 gives 2099/00."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_of(day: datetime.date) -> int:
    """The year the financial year (April to March) containing `day` starts in."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: datetime.date) -> tuple[int, int]:
    """The (financial year, quarter) a date falls in: 1 April 2021 is (2021, 1)."""
    return financial_year_of(day), (day.month - 4) % 12 // 3 + 1


def financial_year_choices(*, blank: str | None = None) -> list[tuple[str, str]]:
    """This calendar year's financial year back to 2010/11, newest first, as "2021" -> "2021/22".

    With `blank`, a first ("", blank) choice for "any year".
    """
    this_year = timezone.localdate().year
    choices = [
        (str(year), financial_year_label(year))
        for year in range(this_year, FIRST_FINANCIAL_YEAR_OFFERED - 1, -1)
    ]
    return [("", blank), *choices] if blank is not None else choices


def quarter_slug(year: int, quarter: int) -> str:
    """(2021, 2) gives 2021-q2, as in /plan/<plan>/quarters/2021-q2/."""
    return f"{year}-q{quarter}"


def quarter_from_slug(slug: str) -> tuple[int, int]:
    """2021-q2 gives (2021, 2); anything else raises ValueError."""
    if not isinstance(slug, str) or not _QUARTER_SLUG.fullmatch(slug):
        raise ValueError(f"Not a quarter: {slug!r}")
    year, quarter = slug.split("-q")
    return int(year), int(quarter)


def days_left(due: datetime.date, today: datetime.date) -> str:
    """A deadline from `today`, in words: "12 days left", "1 day left", "due today",
    "1 day overdue", "3 days overdue"."""
    days = (due - today).days
    if days == 0:
        return "due today"
    count = abs(days)
    unit = "day" if count == 1 else "days"
    return f"{count} {unit} left" if days > 0 else f"{count} {unit} overdue"
