"""A plan's quarter: its grid of updates and progress, its deadline, and locking it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from pcc_portal.display import value_display
from pcc_portal.mixins import PermissionMixin
from pcc_portal.services import StaleRecord
from plan import selectors, services
from plan.forms import QuarterDeadlineForm
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

    def deadline_url(self) -> str:
        return reverse(
            "plan:quarter_deadline",
            kwargs={"plan": self.get_plan().slug, "quarter": self.kwargs["quarter"]},
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
            progress=selectors.quarter_progress(grid, period, timezone.localdate()),
            deadline_form=(
                deadline_form(period, self.deadline_url()) if user.has_perm(DEADLINE) else None
            ),
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


# Quarters are the approvers' to govern: whoever may lock a quarter sets its deadline.
DEADLINE = LOCK_REPORTINGPERIOD


def deadline_form(period: ReportingPeriod, action: str, data=None, **kwargs):
    form = QuarterDeadlineForm(
        data, initial={"updates_due": period.updates_due, "version": period.version}, **kwargs
    )
    form.helper.form_action = action
    return form


class QuarterDeadlineView(PermissionMixin, QuarterMixin, TemplateView):
    """Setting or clearing the day the quarter's updates are due. The quarter page holds the
    form; this page shows it again with its errors, or beside the saved deadline when someone
    changed it since the form was opened."""

    permission = DEADLINE
    template_name = "components/form_page.html"

    def get_page_title(self):
        return f"Deadline for updates: {self.get_period().short_label}"

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (self.get_period().short_label, self.quarter_url())]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", deadline_form(self.get_period(), self.deadline_url()))
        context["caption"] = self.get_plan().title
        context["cancel_url"] = self.quarter_url()
        return context

    def post(self, request, *args, **kwargs):
        period = self.get_period()
        clear = "clear_deadline" in request.POST
        form = deadline_form(period, self.deadline_url(), request.POST, clear=clear)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            saved = services.quarter_deadline_set(
                period=period,
                user=request.user,
                updates_due=form.cleaned_data["updates_due"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleRecord as stale:
            return self.conflict(form, stale.current)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        if saved.updates_due:
            messages.success(request, f"Updates for {saved.short_label} are due by "
                             f"{value_display(None, saved.updates_due)}.")  # fmt: skip
        else:
            messages.success(request, f"The deadline for {saved.short_label} is cleared.")
        return redirect(self.quarter_url())

    def conflict(self, form, current: ReportingPeriod):
        """Someone saved the quarter first: keep what was typed, show both, save nothing."""
        saved = value_display(None, current.updates_due)
        yours = value_display(None, form.cleaned_data["updates_due"])
        data = form.data.copy()
        data["version"] = current.version  # saving again now replaces the saved deadline
        again = deadline_form(current, self.deadline_url(), data, clear=form.clear)
        again.is_valid()
        again.add_error(
            None,
            f"The deadline for {current.short_label} was changed since you opened the page. "
            "Yours has not been saved: compare the two below, then save again to replace the "
            "saved deadline with yours.",
        )
        rows = [("Deadline for updates", saved, yours)] if saved != yours else []
        context = self.get_context_data(form=again, conflict_rows=rows)
        return self.render_to_response(context, status=409)
