"""The list of plans, a plan's page and a priority's page."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from pcc_portal.mixins import PageMixin
from pcc_portal.slots import PRIORITY_PAGE, fill
from plan import selectors
from plan.models import Plan


class PlanListView(PageMixin, ListView):
    template_name = "plan/plan_list.html"
    context_object_name = "plans"
    page_title = "Police and Crime Plans"
    paginate_by = 20

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).current_first()


class PlanMixin(PageMixin):
    """Finds the plan in the URL among those the user may see: 404 otherwise."""

    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(
                Plan.objects.visible_to(self.request.user), slug=self.kwargs["plan"]
            )
        return self._plan

    def get_breadcrumbs(self):
        plan = self.get_plan()
        return [("Plans", reverse("plan:plans")), (plan.title, plan.get_absolute_url())]


class PlanDetailView(PlanMixin, TemplateView):
    template_name = "plan/plan_detail.html"

    def get_page_title(self):
        return self.get_plan().title

    def get_breadcrumbs(self):
        return [("Plans", reverse("plan:plans"))]

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        groups = selectors.plan_overview(plan)
        context = super().get_context_data(**kwargs)
        context.update(
            plan=plan,
            local_groups=[g for g in groups if not g.priority.is_national],
            national_groups=[g for g in groups if g.priority.is_national],
            quarters=selectors.plan_quarters(plan, timezone.localdate()),
        )
        return context


class PriorityDetailView(PlanMixin, DetailView):
    template_name = "plan/priority_detail.html"
    context_object_name = "priority"

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_plan().priorities, slug=self.kwargs["priority"])

    def get_page_title(self):
        return self.object.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.get_plan(),
            commitments=self.object.commitments.all(),
            rows=selectors.priority_history_with_charts(self.object),
            sections=fill(PRIORITY_PAGE, self.object, user=self.request.user),
        )
        return context
