"""The list of plans, a plan's page, a priority's page and the history of its measures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from pcc_portal.mixins import PageMixin, PermissionMixin
from pcc_portal.slots import PRIORITY_GROUPS, PRIORITY_PAGE, fill, grouped
from plan import selectors, services
from plan.models import OutcomeMeasure, Plan
from plan.permissions import PUBLISH_PLAN, VIEW_DRAFTS


class PlanListView(PageMixin, ListView):
    template_name = "plan/plan_list.html"
    context_object_name = "plans"
    page_title = "Police and Crime Plans"
    paginate_by = 20

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user).current_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_publish"] = self.request.user.has_perm(PUBLISH_PLAN)
        return context


class PlanMixin(PageMixin):
    """Finds the plan in the URL among those the user may see: 404 otherwise."""

    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(
                Plan.objects.visible_to(self.request.user).select_related("published_by"),
                slug=self.kwargs["plan"],
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
            can_publish=self.request.user.has_perm(PUBLISH_PLAN),
            sees_drafts=self.request.user.has_perm(VIEW_DRAFTS),
        )
        return context


class PlanPublishView(PermissionMixin, PlanMixin, TemplateView):
    """Asks first, saying what the public will see; publishes (or withdraws) on POST."""

    permission = PUBLISH_PLAN
    template_name = "plan/plan_publish.html"
    action = "publish"

    def get_page_title(self):
        verb = "Publish" if self.action == "publish" else "Withdraw"
        return f"{verb} the {self.get_plan().period_label} plan?"

    def refusal(self, plan, contents) -> str | None:
        if self.action == "publish":
            return services.plan_publish_refusal(plan, contents)
        return services.plan_unpublish_refusal(plan, contents)

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        contents = selectors.plan_contents(plan)
        context = super().get_context_data(**kwargs)
        context.update(plan=plan, action=self.action, contents=contents)
        context.setdefault("problem", self.refusal(plan, contents))
        return context

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        try:
            if self.action == "publish":
                services.plan_publish(plan=plan, user=request.user)
                messages.success(request, f"The {plan.period_label} plan is published: "
                                 "everyone, including the public, can see it.")  # fmt: skip
            else:
                services.plan_unpublish(plan=plan, user=request.user)
                messages.success(request, f"The {plan.period_label} plan is withdrawn: "
                                 "only office staff can see it now.")  # fmt: skip
        except ValidationError as error:
            context = self.get_context_data(problem=" ".join(error.messages))
            return self.render_to_response(context, status=400)
        return redirect(plan.get_absolute_url())


class PlanWithdrawView(PlanPublishView):
    action = "withdraw"


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
            # The other apps' parts, under the page's last headings: what was done about the
            # priority (scrutiny, decisions, recommendations, papers) and what it cost.
            groups=grouped(
                fill(PRIORITY_PAGE, self.object, user=self.request.user), PRIORITY_GROUPS
            ),
        )
        return context


class MeasureHistoryView(PlanMixin, ListView):
    """Every approved quarter of one of a priority's measures, newest first, a page at a time:
    the priority's page shows only the latest. 404 for a measure its page does not list."""

    template_name = "plan/measure_history.html"
    context_object_name = "updates"
    paginate_by = selectors.HISTORY_PAGE_SIZE

    def get_measure(self) -> OutcomeMeasure:
        if not hasattr(self, "_measure"):
            priority = get_object_or_404(self.get_plan().priorities, slug=self.kwargs["priority"])
            self._measure = get_object_or_404(
                priority.measures.active().select_related("priority"), pk=self.kwargs["measure"]
            )
        return self._measure

    def get_queryset(self):
        return selectors.measure_history(self.get_measure(), self.request.user)

    def get_page_title(self):
        return f"All quarters of {self.get_measure().short_label}"

    def get_breadcrumbs(self):
        priority = self.get_measure().priority
        return [*super().get_breadcrumbs(), (priority.title, priority.get_absolute_url())]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.get_measure()
        page = context["page_obj"]
        caption = "Approved updates, newest first"
        if context["is_paginated"]:
            caption += f": {page.start_index()} to {page.end_index()} of {page.paginator.count}"
        context.update(
            plan=self.get_plan(), priority=measure.priority, measure=measure, caption=caption
        )
        return context
