import django_filters
from django import forms
from django.db.models import Q

from funding.models import Award, Fund, Organisation
from pcc_portal.filters import FilterForm
from plan.models import Area
from plan.periods import financial_year_choices
from plan.selectors import reader_priorities

SORTS = {
    "-date": ("-award_date", "-pk"),
    "date": ("award_date", "pk"),
    "-amount": ("-amount", "-pk"),
    "amount": ("amount", "pk"),
    "title": ("title", "pk"),
}


class AmountFilter(django_filters.NumberFilter):
    field_class = forms.DecimalField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["error_messages"] = {"invalid": "Enter an amount in pounds, like 5000"}
        self.extra["widget"] = forms.TextInput(attrs={"inputmode": "decimal"})


class AwardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    fund = django_filters.ModelChoiceFilter(
        queryset=Fund.objects.order_by("name"), to_field_name="slug", empty_label="Any fund"
    )
    direction = django_filters.ChoiceFilter(
        choices=Fund.Direction.choices,
        field_name="fund__direction",
        label="Money",
        empty_label="In and out",
    )
    status = django_filters.ChoiceFilter(choices=Award.Status.choices, empty_label="Any status")
    year = django_filters.ChoiceFilter(
        choices=financial_year_choices,
        method="in_year",
        label="Financial year",
        empty_label="Any year",
    )
    priority = django_filters.ModelChoiceFilter(
        queryset=reader_priorities, field_name="priorities", label="Priority", empty_label="Any"
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.order_by("kind", "name"),
        field_name="areas",
        label="Area",
        empty_label="Any area",
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.order_by("name"),
        label="Organisation",
        empty_label="Any organisation",
    )
    amount_min = AmountFilter(field_name="amount", lookup_expr="gte", label="Amount from (£)")
    amount_max = AmountFilter(field_name="amount", lookup_expr="lte", label="Amount up to (£)")
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label="Sort by",
        empty_label="Newest first",
        choices=[
            ("date", "Oldest first"),
            ("-amount", "Largest first"),
            ("amount", "Smallest first"),
            ("title", "Title"),
        ],
    )

    class Meta:
        model = Award
        fields = [
            "q",
            "fund",
            "direction",
            "status",
            "year",
            "priority",
            "area",
            "organisation",
            "amount_min",
            "amount_max",
            "sort",
        ]
        form = FilterForm

    def search(self, queryset, name, value):
        words = Q()
        for word in value.split()[:8]:
            words &= (
                Q(title__icontains=word)
                | Q(purpose__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(fund__name__icontains=word)
            )
        return queryset.filter(words)

    def in_year(self, queryset, name, value):
        return queryset.in_financial_year(int(value))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-date"]))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # M2M filters (priority, area) can repeat a row: keep each award once.
        if self.form.cleaned_data.get("priority") or self.form.cleaned_data.get("area"):
            queryset = queryset.distinct()
        return queryset
