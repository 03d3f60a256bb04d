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
    """A quarter chosen from 2016/17 to a year ahead; cleans to (financial year, quarter),
    or None when none is chosen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            choices=quarter_choices, coerce=quarter_from_slug, empty_value=None, **kwargs
        )

    def prepare_value(self, value):
        # Initial values may be given as (year, quarter) as well as 2021-q2.
        if isinstance(value, tuple):
            return quarter_slug(*value)
        return super().prepare_value(value)

    def label_for_value(self, value) -> str:
        """The quarter in words, for pages that compare two versions of a record."""
        slug = quarter_slug(*value) if isinstance(value, tuple) else value
        return dict(self.choices).get(slug, str(slug))
