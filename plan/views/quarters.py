"""A plan's quarter: its grid of updates, and locking it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from pcc_portal.mixins import PermissionMixin
from plan import selectors, services
from plan.models import ReportingPeriod
from plan.permissions import LOCK_REPORTINGPERIOD, VIEW_DRAFTS
from plan.views.plans import PlanMixin


class QuarterMixin(PlanMixin):
    """The plan's quarter in the URL: the saved period, or an unsaved one if none exists yet."""

    def get_period(self) -> ReportingPeriod:
        if not hasattr(self, "_period"):
            year, quarter = self.kwargs["quarter"]
            if not selectors.period_in_plan(self.get_plan(), year, quarter):
                raise Http404("That quarter is not in this plan.")
            self._period = ReportingPeriod.objects.select_related("locked_by").filter(
                financial_year=year, quarter=quarter
            ).first() or ReportingPeriod(financial_year=year, quarter=quarter)
        return self._period

    def quarter_url(self) -> str:
        return reverse(
            "plan:quarter", kwargs={"plan": self.get_plan().slug, "quarter": self.kwargs["quarter"]}
        )


class QuarterView(QuarterMixin, TemplateView):
    template_name = "plan/quarter_detail.html"

    def get_page_title(self):
        return f"{self.get_period().label}"

    def get_context_data(self, **kwargs):
        user = self.request.user
        period = self.get_period()
        grid = selectors.quarter_grid(self.get_plan(), period, user)
        for group in grid.groups:
            for row in group.rows:
                row.editable = (
                    services.edit_refusal(update=row.update, period=period, user=user) is None
                )
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.get_plan(),
            period=period,
            grid=grid,
            can_edit=services.edit_refusal(update=None, period=period, user=user) is None,
            can_lock=user.has_perm(LOCK_REPORTINGPERIOD),
            sees_drafts=user.has_perm(VIEW_DRAFTS),
            neighbours=self.neighbours(period),
        )
        return context

    def neighbours(self, period) -> list[tuple[str, ReportingPeriod]]:
        """The previous and next quarters of the plan, for moving between quarters."""
        found = []
        for rel, (year, quarter) in (("prev", period.previous()), ("next", period.following())):
            if selectors.period_in_plan(self.get_plan(), year, quarter):
                found.append((rel, ReportingPeriod(financial_year=year, quarter=quarter)))
        return found


class QuarterLockView(PermissionMixin, QuarterMixin, View):
    permission = LOCK_REPORTINGPERIOD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        locked = request.POST.get("locked") == "1"
        period = services.reporting_period_set_lock(
            period=self.get_period(), user=request.user, locked=locked
        )
        messages.success(request, f"{period.label} is {'locked' if locked else 'unlocked'}.")
        return redirect(self.quarter_url())
