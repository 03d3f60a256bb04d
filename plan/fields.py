"""Form fields for the plan's quarters and priorities, for any app's forms to use."""

from django import forms

from plan.models import Priority, quarter_choices
from plan.periods import quarter_from_slug, quarter_slug


def priority_label(priority: Priority) -> str:
    """A priority as a choice: "Safer streets (2021-2025)", since plans reuse titles."""
    return f"{priority.title} ({priority.plan.period_label})"


class PriorityChoiceField(forms.ModelChoiceField):
    """One priority. Set its queryset to `Priority.objects.for_choices(user)`."""

    def label_from_instance(self, priority):
        return priority_label(priority)


class PrioritiesChoiceField(forms.ModelMultipleChoiceField):
    """Several priorities. Set its queryset to `Priority.objects.for_choices(user)`."""

    def label_from_instance(self, priority):
        return priority_label(priority)


class QuarterField(forms.TypedChoiceField):
    """A quarter of the plans, up to the next one; cleans to (financial year, quarter), or
    None when none is chosen. A record's own quarter is offered too (`offer`), even one from
    before the plans, so that editing the record keeps it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            choices=quarter_choices, coerce=quarter_from_slug, empty_value=None, **kwargs
        )

    def offer(self, period) -> None:
        """Offer this quarter (a ReportingPeriod) as well, in its place, if not already."""
        choices = list(self.choices)
        if period is None or period.slug in dict(choices):
            return
        key = (period.financial_year, period.quarter)
        at = next(
            (i for i, (slug, _) in enumerate(choices) if slug and quarter_from_slug(slug) < key),
            len(choices),
        )
        self.choices = [*choices[:at], (period.slug, period.label), *choices[at:]]

    def prepare_value(self, value):
        # Initial values may be given as (year, quarter) as well as 2021-q2.
        if isinstance(value, tuple):
            return quarter_slug(*value)
        return super().prepare_value(value)

    def label_for_value(self, value) -> str:
        """The quarter in words, for pages that compare two versions of a record."""
        slug = quarter_slug(*value) if isinstance(value, tuple) else value
        return dict(self.choices).get(slug, str(slug))
