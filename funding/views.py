from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from funding import exports, selectors
from funding.filters import AwardFilter
from funding.forms import AwardForm, FundForm, OrganisationForm
from funding.models import Award, Fund, Organisation
from funding.permissions import (
    ADD_AWARD,
    ADD_FUND,
    ADD_ORGANISATION,
    CHANGE_AWARD,
    CHANGE_FUND,
    CHANGE_ORGANISATION,
)
from pcc_portal.filters import TEXT_MAX_LENGTH
from pcc_portal.mixins import FilteredListMixin, FormUserMixin, PageMixin, RecordFormMixin

FUNDING = ("Funding", reverse_lazy("funding:summary"))
AWARDS = ("Awards", reverse_lazy("funding:awards"))


def award_rows():
    return Award.objects.select_related("fund", "organisation")


class SummaryView(PageMixin, TemplateView):
    template_name = "funding/summary.html"
    page_title = "Funding"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = selectors.funding_figures()
        context.update(
            summaries=figures.summaries,
            chart=figures.chart,
            bars=selectors.chart_bars(figures.chart),
            can_add=self.request.user.has_perm(ADD_AWARD),
        )
        return context


class AwardListView(FilteredListMixin, PageMixin, FilterView):
    filterset_class = AwardFilter
    template_name = "funding/award_list.html"
    context_object_name = "awards"
    paginate_by = 25
    page_title = "Awards"

    def get_queryset(self):
        return award_rows().order_by("-award_date", "-pk")

    def get_breadcrumbs(self):
        return [FUNDING]

    def get_context_data(self, **kwargs):
        self.filtered_totals = selectors.award_list_totals(self.filterset, self.object_list)
        context = super().get_context_data(**kwargs)
        context["filtered_totals"] = self.filtered_totals
        context["can_add"] = self.request.user.has_perm(ADD_AWARD)
        return context

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # Every award is in one direction: the totals have counted them, so the pages are
        # not counted again over every award.
        paginator.count = sum(row.count for row in self.filtered_totals)
        return paginator


def awards_csv(request):
    """The award list as CSV, with the same filters applied (wrong ones ignored)."""
    filterset = AwardFilter(request.GET, queryset=award_rows().order_by("-award_date", "-pk"))
    filterset.is_valid()
    return exports.awards_csv(filterset.qs)


NAME_LISTS = {"funds": Fund, "organisations": Organisation}


def names_json(request):
    """The names of organisations (?list=organisations, the default) or funds (?list=funds)
    containing ?q=, at most twenty: the suggestions of the award list's name boxes."""
    # Longer text matches nothing more; a NUL character is never in a name.
    text = request.GET.get("q", "")[:TEXT_MAX_LENGTH].replace("\x00", "")
    model = NAME_LISTS.get(request.GET.get("list") or "organisations")
    if model is None:
        return JsonResponse({"error": "Ask for list=funds or list=organisations"}, status=400)
    return JsonResponse({"names": model.objects.names_like(text)})


def three_sixty_giving(request):
    return exports.three_sixty_giving_response(request)


class AwardDetailView(PageMixin, DetailView):
    template_name = "funding/award_detail.html"
    context_object_name = "award"

    def get_queryset(self):
        return award_rows().prefetch_related("areas", "priorities__plan")

    def get_page_title(self):
        return self.object.title

    def get_breadcrumbs(self):
        return [FUNDING, AWARDS]


class FundDetailView(PageMixin, DetailView):
    template_name = "funding/fund_detail.html"
    context_object_name = "fund"

    def get_queryset(self):
        return Fund.objects.select_related("funder").prefetch_related("priorities__plan")

    def get_page_title(self):
        return self.object.name

    def get_breadcrumbs(self):
        return [FUNDING]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        awards = self.object.awards.select_related("organisation").order_by("-award_date", "-pk")
        context["awarded_total"] = awards.awarded().total()
        context["awards"] = awards[:200]
        context["award_count"] = awards.count()
        return context


class OrganisationListView(PageMixin, ListView):
    template_name = "funding/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50
    page_title = "Organisations"

    def get_queryset(self):
        return Organisation.objects.select_related("area").order_by("name")

    def get_breadcrumbs(self):
        return [FUNDING]


class FundingFormMixin(RecordFormMixin):
    def get_breadcrumbs(self):
        return [FUNDING]


class OrganisationCreateView(FundingFormMixin, CreateView):
    permission = ADD_ORGANISATION
    form_class = OrganisationForm
    page_title = "Add an organisation"
    success_message = "Organisation added."
    cancel_url = reverse_lazy("funding:organisations")

    def get_success_url(self):
        return reverse("funding:organisations")


class OrganisationUpdateView(FundingFormMixin, UpdateView):
    permission = CHANGE_ORGANISATION
    form_class = OrganisationForm
    model = Organisation
    page_title = "Change the organisation"
    success_message = "Organisation saved."
    cancel_url = reverse_lazy("funding:organisations")

    def get_success_url(self):
        return reverse("funding:organisations")


class FundCreateView(FormUserMixin, FundingFormMixin, CreateView):
    permission = ADD_FUND
    form_class = FundForm
    page_title = "Add a fund"
    success_message = "Fund added."
    cancel_url = reverse_lazy("funding:summary")


class FundUpdateView(FormUserMixin, FundingFormMixin, UpdateView):
    permission = CHANGE_FUND
    form_class = FundForm
    model = Fund
    page_title = "Change the fund"
    success_message = "Fund saved."

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class AwardCreateView(FormUserMixin, FundingFormMixin, CreateView):
    permission = ADD_AWARD
    form_class = AwardForm
    page_title = "Record an award or bid"
    success_message = "Award recorded. The totals include it if it is awarded."
    cancel_url = reverse_lazy("funding:awards")

    def get_initial(self):
        fund = self.request.GET.get("fund")
        found = Fund.objects.filter(slug=fund).first() if fund else None
        return {"fund": found} if found else {}


class AwardUpdateView(FormUserMixin, FundingFormMixin, UpdateView):
    permission = CHANGE_AWARD
    form_class = AwardForm
    page_title = "Change the award"
    success_message = "Award saved."

    def get_object(self, queryset=None):
        return get_object_or_404(award_rows(), pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return self.object.get_absolute_url()
