import django_filters
from django.db.models import Q

from decisions.models import Decision, DecisionMaker
from pcc_portal.filters import FilterForm
from plan.fields import PriorityChoiceField
from plan.models import Priority
from plan.periods import financial_year_choices


class PriorityFilter(django_filters.ModelChoiceFilter):
    field_class = PriorityChoiceField


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    year = django_filters.ChoiceFilter(
        choices=financial_year_choices,
        method="in_year",
        label="Financial year",
        empty_label="Any year",
    )
    maker = django_filters.ChoiceFilter(
        field_name="decision_maker",
        choices=DecisionMaker.choices,
        label="Decision maker",
        empty_label="Anyone",
    )
    priority = PriorityFilter(
        field_name="priorities",
        queryset=lambda request: Priority.objects.for_choices(request.user),
        label="Priority",
        empty_label="Any priority",
    )
    money = django_filters.ChoiceFilter(
        choices=[("yes", "Spent money"), ("no", "Spent no money")],
        method="spending",
        label="Money",
        empty_label="Either",
    )

    class Meta:
        model = Decision
        fields = ["q", "year", "maker", "priority", "money"]
        form = FilterForm

    def search(self, queryset, name, value):
        words = Q()
        for word in value.split()[:8]:
            words &= (
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(reference__icontains=word)
            )
        return queryset.filter(words)

    def in_year(self, queryset, name, value):
        return queryset.in_financial_year(int(value))

    def spending(self, queryset, name, value):
        return queryset.spending(value == "yes")
