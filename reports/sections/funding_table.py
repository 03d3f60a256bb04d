"""A table of funding awarded, secured or granted, with its total."""

import datetime

from crispy_forms_gds.layout import Field, Size
from django import forms

from funding.models import Fund
from funding.selectors import awarded_funding_table, funds_missing
from pcc_portal.forms import DateField
from plan.periods import financial_year_choices
from reports.sections import register
from reports.sections.kind import SectionKind


class FundChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, fund):
        return fund.name


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@register
class FundingTable(SectionKind):
    value = "funding_table"
    label = "Funding table"
    position = 20
    template = "reports/sections/funding_table.html"

    def form_fields(self, user) -> dict[str, forms.Field]:
        return {
            "direction": forms.ChoiceField(
                label="Money", widget=forms.RadioSelect, choices=Fund.Direction.choices,
                error_messages={
                    "required": "Choose whether the table shows money secured or money granted"
                },
            ),
            "funds": FundChoice(
                queryset=Fund.objects.order_by("direction", "name"), to_field_name="slug",
                required=False, widget=forms.CheckboxSelectMultiple,
                help_text="Leave all unticked for every fund in that direction.",
            ),
            "financial_year": forms.TypedChoiceField(
                label="Financial year", required=False, coerce=int, empty_value=None,
                choices=financial_year_choices(blank="Any year"),
                help_text="Or give a date range below.",
            ),
            "date_from": DateField(label="Awarded on or after", required=False),
            "date_to": DateField(label="Awarded on or before", required=False),
        }  # fmt: skip

    def layout_for(self, name: str):
        if name == "direction":
            return Field.radios(name, legend_size=Size.SMALL)
        if name == "funds":
            return Field.checkboxes(name, legend_size=Size.SMALL)
        if name == "financial_year":
            return Field.select(name)
        return name

    def params_from(self, cleaned: dict) -> dict:
        params = {
            "direction": cleaned.get("direction"),
            "funds": [fund.slug for fund in cleaned.get("funds") or []],
            "financial_year": cleaned.get("financial_year"),
            "date_from": cleaned["date_from"].isoformat() if cleaned.get("date_from") else "",
            "date_to": cleaned["date_to"].isoformat() if cleaned.get("date_to") else "",
        }
        return {name: value for name, value in params.items() if value}

    def errors(self, section) -> list[str]:
        params, errors = section.params, []
        if params.get("direction") not in Fund.Direction.values:
            errors.append("Choose whether the table shows money secured or money granted.")
        errors += [
            f"The fund '{slug}' no longer exists: remove it."
            for slug in funds_missing(params.get("funds") or [])
        ]
        try:
            start, end = _date(params.get("date_from")), _date(params.get("date_to"))
        except ValueError:
            errors.append("The dates of the funding table must be real dates.")
        else:
            if start and end and end < start:
                errors.append("The funding table's end date must be after its start date.")
        return errors

    def data(self, section, report) -> dict:
        params = section.params
        as_at = report.figures_as_at  # awards made after it are not counted
        date_to = _date(params.get("date_to"))
        table = awarded_funding_table(
            direction=params.get("direction"),
            funds=params.get("funds") or (),
            financial_year=params.get("financial_year"),
            date_from=_date(params.get("date_from")),
            date_to=min(date_to, as_at) if date_to else as_at,
        )
        # The section's heading stands above the table: its caption says what else the table
        # is (the awards made by the "as at" date), never the heading again.
        direction = dict(Fund.Direction.choices)[params.get("direction")]
        made_by = f"awards made by {as_at:%-d %B %Y}, and their total"
        caption = f"The {made_by}" if section.heading.strip() else f"{direction}: {made_by}"
        return {"funding": table, "caption": caption}

    def shows_nothing(self, data: dict) -> str | None:
        table = data.get("funding")
        if table is not None and not table.total:
            return "the funding table totals £0 as at the “as at” date"
        return None
