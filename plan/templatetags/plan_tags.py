"""The plan's template filters: financial years written the panel's way."""

from django import template

from plan.periods import financial_year_label

register = template.Library()


@register.filter
def financial_year(year: int | None) -> str:
    """The financial year starting in April of `year`: 2020 gives 2020/21."""
    if year is None or year == "":
        return ""
    return financial_year_label(int(year))
