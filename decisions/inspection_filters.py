import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from decisions.inspections import (
    Inspection,
    InspectionKind,
    published_on_or_before_for_due,
)
from pcc_portal.filters import FilterForm, calendar_year_choices

CLOCK_CHOICES = [
    ("due", "Comments due"),
    ("overdue", "Comments overdue"),
    ("published", "Comments published"),
    ("not_recorded", "Not recorded"),
]


class InspectionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="kind", choices=InspectionKind.choices, label="Type", empty_label="Any type"
    )
    year = django_filters.ChoiceFilter(
        field_name="published_on__year",
        choices=calendar_year_choices,
        label="Year published",
        empty_label="Any year",
    )
    clock = django_filters.ChoiceFilter(
        choices=CLOCK_CHOICES, method="by_clock", label="Comments", empty_label="Any"
    )

    class Meta:
        model = Inspection
        fields = ["kind", "year", "clock"]
        form = FilterForm

    def by_clock(self, queryset, name, value):
        today = timezone.localdate()
        if value == "published":
            return queryset.filter(comments_published_on__isnull=False)
        if value == "not_recorded":
            return queryset.filter(
                Q(published_on__isnull=True) | Q(comments_unknown=True),
                comments_published_on__isnull=True,
            )
        # Overdue: due before today, so published more than 56 days ago.
        overdue = Q(
            published_on__lte=published_on_or_before_for_due(today - datetime.timedelta(days=1))
        )
        awaited = queryset.comments_awaited()
        return awaited.filter(overdue) if value == "overdue" else awaited.exclude(overdue)
