from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from pcc_portal.mixins import PageMixin, PermissionMixin
from pcc_portal.people import display_name
from pcc_portal.slots import PRIORITY_PAGE, fill
from plan import selectors, services
from plan.forms import MeasureUpdateForm, ReturnForm
from plan.history import display_value, update_history
from plan.models import MeasureUpdate, OutcomeMeasure, Plan, ReportingPeriod

UPDATE_FIELDS = MeasureUpdateForm.Meta.fields


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
            rows=selectors.priority_history(self.object),
            sections=fill(PRIORITY_PAGE, self.object, user=self.request.user),
        )
        return context


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
            can_lock=user.has_perm(services.LOCK),
            sees_drafts=user.has_perm("plan.view_drafts"),
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
    permission = services.LOCK
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        period = self.get_period()
        if not period.pk:
            period = ReportingPeriod.get_or_create_for(period.financial_year, period.quarter)
        locked = request.POST.get("locked") == "1"
        services.reporting_period_set_lock(period=period, user=request.user, locked=locked)
        messages.success(request, f"{period.label} is {'locked' if locked else 'unlocked'}.")
        return redirect(self.quarter_url())


class UpdateFormMixin:
    """Shared by creating and editing: saving through the service, stale saves, errors."""

    template_name = "plan/measureupdate_form.html"

    def form_context(self, form, *, update, measure, period, **extra):
        user = self.request.user
        return {
            "form": form,
            "update": update,
            "measure": measure,
            "period": period,
            "plan": measure.priority.plan,
            "page_title": f"{measure.short_label}: {period.short_label}",
            "breadcrumbs": self.update_breadcrumbs(measure, period),
            "actions": services.allowed_actions(update=update, user=user) if update else {},
            "history": update_history(update) if update else [],
            **extra,
        }

    def update_breadcrumbs(self, measure, period):
        plan = measure.priority.plan
        quarter_url = reverse("plan:quarter", kwargs={"plan": plan.slug, "quarter": period.slug})
        return [
            ("Plans", reverse("plan:plans")),
            (plan.title, plan.get_absolute_url()),
            (period.short_label, quarter_url),
        ]

    def save(self, form, *, measure, period, update):
        request = self.request
        submit = "submit_update" in request.POST
        data = {name: form.cleaned_data[name] for name in UPDATE_FIELDS}
        try:
            saved = services.measure_update_save(
                measure=measure,
                period=period,
                user=request.user,
                data=data,
                update=update,
                expected_version=form.cleaned_data.get("version"),
                submit=submit,
            )
        except services.StaleUpdate as stale:
            return self.stale(form, stale.current, measure=measure, period=period)
        except (ValidationError, PermissionDenied) as error:
            # e.g. the quarter was locked since the form was opened: keep what was typed.
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else str(error)
            )
            status = 403 if isinstance(error, PermissionDenied) else 200
            return self.render_form(form, update=update, measure=measure, period=period,
                                    status=status)  # fmt: skip
        messages.success(
            request,
            "Update submitted for approval." if submit else "Draft saved.",
        )
        return redirect(saved.get_absolute_url())

    def stale(self, form, current, *, measure, period):
        """Someone saved first: keep this user's entries, show both versions, save nothing."""
        who = display_name(current.updated_by)
        when = timezone.localtime(current.updated_at)
        data = self.request.POST.copy()
        data["version"] = current.version  # saving again now replaces the saved version
        form = MeasureUpdateForm(data)
        form.is_valid()
        yours = form.instance
        compared = [
            (form.fields[name].label, display_value(current, name), display_value(yours, name))
            for name in UPDATE_FIELDS
        ]
        conflict_rows = [(label, saved, mine) for label, saved, mine in compared if saved != mine]
        form.add_error(
            None,
            f"This update was changed by {who} at {when:%H:%M} on {when.day} {when:%B %Y} "
            "since you opened it. Your changes have not been saved: compare the two versions "
            "below, then save again to replace the saved version with yours.",
        )
        return self.render_form(
            form,
            update=current,
            measure=measure,
            period=period,
            conflict_rows=conflict_rows,
            status=409,
        )

    def render_form(self, form, *, update, measure, period, status=200, **extra):
        context = self.form_context(form, update=update, measure=measure, period=period, **extra)
        return self.response_class(
            request=self.request, template=[self.template_name], context=context, status=status
        )


class UpdateCreateView(PermissionMixin, UpdateFormMixin, QuarterMixin, TemplateView):
    """Entering the first update of a measure for a quarter."""

    permission = "plan.add_measureupdate"

    def get_measure(self) -> OutcomeMeasure:
        return get_object_or_404(
            OutcomeMeasure.objects.select_related("priority__plan"),
            pk=self.kwargs["measure"],
            priority__plan=self.get_plan(),
        )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            return super().dispatch(request, *args, **kwargs)
        period = self.get_period()
        refusal = services.edit_refusal(update=None, period=period, user=request.user)
        if refusal and request.method == "GET":
            raise PermissionDenied(refusal)  # a POST is refused by saving, keeping its text
        existing = (
            period.pk
            and MeasureUpdate.objects.filter(measure=self.get_measure(), period=period).first()
        )
        if existing and request.method == "GET":
            return redirect(existing.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = MeasureUpdateForm(initial={"version": None})
        return self.render_form(
            form, update=None, measure=self.get_measure(), period=self.get_period()
        )

    def post(self, request, *args, **kwargs):
        measure, period = self.get_measure(), self.get_period()
        form = MeasureUpdateForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, update=None, measure=measure, period=period)
        if not period.pk:
            period = ReportingPeriod.get_or_create_for(period.financial_year, period.quarter)
        return self.save(form, measure=measure, period=period, update=None)


class UpdateEditView(PermissionMixin, UpdateFormMixin, TemplateView):
    """An update's page for staff: the form while it may be edited, its history, its actions."""

    permission = "plan.view_drafts"

    def get_update(self) -> MeasureUpdate:
        return get_object_or_404(
            MeasureUpdate.objects.select_related(
                "measure__priority__plan",
                "period__locked_by",
                "updated_by",
                "submitted_by",
                "approved_by",
                "returned_by",
            ),
            pk=self.kwargs["pk"],
        )

    def update_form(self, update, data=None):
        """The form, with the buttons that make sense for the update's state."""
        submitted = update.status == MeasureUpdate.Status.SUBMITTED
        return MeasureUpdateForm(
            data, instance=update, initial={"version": update.version},
            submit_label=None if submitted else "Submit for approval",
            save_label="Save changes" if submitted else "Save draft",
        )  # fmt: skip

    def get(self, request, *args, **kwargs):
        update = self.get_update()
        return self.render_update(self.update_form(update), update)

    def render_update(self, form, update, **extra):
        return self.render_form(
            form, update=update, measure=update.measure, period=update.period, **extra
        )

    def render_form(self, form, *, update, **extra):
        # Every rendering of the page (the conflict page too) offers approvers the return form.
        if update is not None:
            extra.setdefault("return_form", ReturnForm(initial={"version": update.version}))
        return super().render_form(form, update=update, **extra)

    def post(self, request, *args, **kwargs):
        update = self.get_update()
        form = self.update_form(update, request.POST)
        if refusal := services.edit_refusal(update=update, period=update.period, user=request.user):
            # Say why, and keep what was typed so nothing is lost.
            form.is_valid()
            form.add_error(None, refusal)
            return self.render_update(form, update, status=403)
        if not form.is_valid():
            return self.render_update(form, update)
        return self.save(form, measure=update.measure, period=update.period, update=update)


class UpdateTransitionView(PermissionMixin, View):
    """POST-only sign-off steps: submit, approve, return (with a reason), reopen."""

    http_method_names = ["post"]
    permission = "plan.view_drafts"
    action = ""
    done_message = ""

    def post(self, request, pk):
        update = get_object_or_404(MeasureUpdate, pk=pk)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            self.perform(update, version)
        except services.StaleUpdate as stale:
            messages.error(
                request,
                f"This update was changed by {display_name(stale.current.updated_by)} since you "
                "opened it, so nothing was done. Check it and try again.",
            )
            return HttpResponseRedirect(update.get_absolute_url())
        messages.success(request, self.done_message)
        return HttpResponseRedirect(update.get_absolute_url())

    def perform(self, update, version):
        getattr(services, f"measure_update_{self.action}")(
            update=update, user=self.request.user, expected_version=version
        )


class UpdateSubmitView(UpdateTransitionView):
    action, done_message = "submit", "Update submitted for approval."


class UpdateApproveView(UpdateTransitionView):
    action, done_message = "approve", "Update approved. Panel members and the public can see it."


class UpdateReopenView(UpdateTransitionView):
    action, done_message = "reopen", "Update reopened as a draft. It is no longer shown publicly."


class UpdateReturnView(UpdateEditView):
    """Returning needs a reason: a bad one shows the update page again with the error."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        update = self.get_update()
        return_form = ReturnForm(request.POST)
        if return_form.is_valid():
            try:
                services.measure_update_return(
                    update=update,
                    user=request.user,
                    reason=return_form.cleaned_data["reason"],
                    expected_version=return_form.cleaned_data["version"],
                )
            except services.StaleUpdate:
                messages.error(
                    request, "This update changed since you opened it, so it was not returned."
                )
                return redirect(update.get_absolute_url())
            messages.success(request, "Update returned to staff with your reason.")
            return redirect(update.get_absolute_url())
        if not request.user.has_perm(services.APPROVE):
            raise PermissionDenied("Only an approver can return an update.")
        form = MeasureUpdateForm(instance=update, initial={"version": update.version})
        return self.render_update(
            form, update, return_form=return_form, error_form=return_form, status=400
        )
