import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from funding.models import Award, Fund, Organisation
from pcc_portal.filters import FilterForm
from plan.models import Area
from plan.periods import financial_year_choices
from plan.selectors import plans_in_force, reader_priorities

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


class NameField(forms.CharField):
    """Part of a name, typed: cleans to the records it finds, or says that none has it."""

    def __init__(self, *args, model=None, noun="", **kwargs):
        self.model, self.noun = model, noun
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return text
        found = self.model.objects.named(text)
        if not found.exists():
            raise ValidationError(
                f"No {self.noun} has “{text}” in its name: check the spelling, or type less of it",
                code="no_match",
            )
        return found


class NameFilter(django_filters.CharFilter):
    field_class = NameField


def name_box(names: str) -> forms.TextInput:
    """A text box for part of a name; with scripts on, a list of the names that match (filled
    from the funding names endpoint) comes up as the reader types."""
    return forms.TextInput(
        attrs={
            "list": f"{names}-names",
            "autocomplete": "off",
            "spellcheck": "false",
            "data-names": names,
        }
    )


class AwardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    fund = NameFilter(
        method="fund_named",
        model=Fund,
        noun="fund",
        label="Fund",
        help_text="Type part of its name",
        widget=name_box("funds"),
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
    organisation = NameFilter(
        method="organisation_named",
        model=Organisation,
        noun="organisation",
        label="Organisation",
        help_text="Type part of its name",
        widget=name_box("organisations"),
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

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if self.data:
            self.data = names_shown(self.data)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            priorities_offered(form.fields["priority"], self.data.get("priority"), self.request)
            for name in ("fund", "organisation"):
                widget = form.fields[name].widget
                widget.attrs["data-names-url"] = (
                    f"{reverse('funding:names')}?list={widget.attrs['data-names']}"
                )
        return self._form

    def fund_named(self, queryset, name, value):
        return queryset.filter(fund__in=value)  # the funds the typed name found

    def organisation_named(self, queryset, name, value):
        return queryset.filter(organisation__in=value)

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


def names_shown(data):
    """A link names a fund by its web address name and an organisation by its number: the
    boxes show their names instead, which find the same one."""
    shown = data.copy()
    fund = (data.get("fund") or "").strip()
    if fund:
        found = Fund.objects.filter(slug=fund).values_list("name", flat=True).first()
        shown["fund"] = found or fund
    organisation = (data.get("organisation") or "").strip()
    if organisation.isdigit() and len(organisation) < 10:
        found = Organisation.objects.filter(pk=int(organisation)).values_list("name", flat=True)
        shown["organisation"] = found.first() or organisation
    return shown


def priorities_offered(field, chosen, request) -> None:
    """The priority list offers the priorities of the plan in force (any plan's is still
    accepted, as the funding totals link to them), and the one chosen, if another."""
    user = getattr(request, "user", None) or AnonymousUser()
    chosen = str(chosen or "")
    chosen_pk = int(chosen) if chosen.isdigit() and len(chosen) < 10 else None
    offered = field.queryset.filter(Q(plan__in=plans_in_force(user)) | Q(pk=chosen_pk))
    field.widget.choices = [("", field.empty_label), *((p.pk, str(p)) for p in offered)]
