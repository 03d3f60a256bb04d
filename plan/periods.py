"""Quarters and financial years (April to March), as the plan counts them."""

from django.utils import timezone

FIRST_YEAR = 2010


def financial_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_choices(*, blank: str | None = None) -> list[tuple[str, str]]:
    years = range(timezone.localdate().year, FIRST_YEAR - 1, -1)
    choices = [(str(year), financial_year_label(year)) for year in years]
    return ([("", blank)] if blank is not None else []) + choices
