import django_filters
from django import forms

from pcc_portal.filters import FilterForm, calendar_year_choices
from plan.selectors import reader_priorities
from scrutiny.models import Action, ScrutinyMeeting


class ScrutinyMeetingFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        field_name="starts_at__year",
        label="Year",
        choices=calendar_year_choices,
        empty_label="Any year",
    )
    kind = django_filters.ChoiceFilter(choices=ScrutinyMeeting.Kind.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=ScrutinyMeeting.Status.choices, empty_label="Any")
    priority = django_filters.ModelChoiceFilter(
        field_name="topics__priorities",
        queryset=reader_priorities,
        label="Priority",
        empty_label="Any priority",
        distinct=True,
    )

    class Meta:
        model = ScrutinyMeeting
        fields = ["year", "kind", "status", "priority"]
        form = FilterForm


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label="Status",
        empty_label="Any status",
        choices=[("still_open", "Open or in progress"), *Action.Status.choices],
    )
    owner = django_filters.CharFilter(lookup_expr="icontains", label="Owner")
    priority = django_filters.ModelChoiceFilter(
        queryset=reader_priorities, label="Priority", empty_label="Any priority"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput
    )

    class Meta:
        model = Action
        fields = ["status", "owner", "priority", "overdue"]
        form = FilterForm

    def filter_status(self, queryset, name, value):
        if value == "still_open":
            return queryset.still_open()
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset
