import django_filters
from django.db.models import Q

from pcc_portal.filters import FilterForm, calendar_year_choices
from plan.selectors import reader_priorities
from reports.models import Report
from reports.selectors import papers_on_priority
from scrutiny.models import PanelMeeting


def meetings_offered(request):
    """The latest visible meetings, and the one chosen (an older one from a link is still
    accepted)."""
    meetings = PanelMeeting.objects.visible_to(request.user)
    return meetings.recent_or(request.GET.get("meeting", "")).order_by("-starts_at")


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    meeting = django_filters.ModelChoiceFilter(
        field_name="panel_meeting",
        queryset=lambda request: meetings_offered(request),
        label="Panel meeting",
        empty_label="Any meeting",
    )
    kind = django_filters.ChoiceFilter(choices=Report.Kind.choices, label="Type", empty_label="Any")
    year = django_filters.ChoiceFilter(
        field_name="panel_meeting__starts_at__year",
        choices=calendar_year_choices,
        label="Year",
        empty_label="Any year",
    )
    priority = django_filters.ModelChoiceFilter(
        queryset=reader_priorities,
        method="reporting_on",
        label="Reports on the measures of priority",
        empty_label="Any priority",
    )

    class Meta:
        model = Report
        fields = ["q", "meeting", "kind", "year", "priority"]
        form = FilterForm

    def reporting_on(self, queryset, name, value):
        """Papers with an outcome measures section covering the priority (as its page says)."""
        return queryset.filter(pk__in=[paper.pk for paper in papers_on_priority(value)])

    def search(self, queryset, name, value):
        words = Q()
        for word in value.split()[:8]:
            words &= Q(title__icontains=word) | Q(executive_summary__icontains=word)
        return queryset.filter(words)
