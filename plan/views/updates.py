"""Entering and editing a measure's quarterly update."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from pcc_portal.mixins import PermissionMixin
from pcc_portal.people import display_name
from pcc_portal.services import StaleRecord
from plan import services
from plan.forms import MeasureUpdateForm, ReturnForm
from plan.history import display_value, update_history
from plan.models import MeasureUpdate, OutcomeMeasure
from plan.permissions import ADD_MEASUREUPDATE, VIEW_DRAFTS
from plan.views.quarters import QuarterMixin


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
        data = {name: form.cleaned_data[name] for name in form.update_fields}
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
        except StaleRecord as stale:
            return self.stale(form, stale.current, measure=measure, period=period)
        except (ValidationError, PermissionDenied) as error:
            # e.g. the quarter was locked since the form was opened: keep what was typed.
            if isinstance(error, ValidationError) and set(getattr(error, "error_dict", ())) <= set(
                form.fields
            ):
                form.add_error(None, error)  # beside its field, linked from the summary
            else:
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
        form = MeasureUpdateForm(data, measure=measure)
        form.is_valid()
        yours = form.instance
        if "rating_explanation" in form.fields:
            yours.rating_explanation = form.cleaned_data.get("rating_explanation", "")
        compared = [
            (form.fields[name].label, display_value(current, name), display_value(yours, name))
            for name in form.update_fields
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
        return_form = context.get("return_form")
        if return_form is not None and (context["actions"].get("edit") or form.errors):
            return_form.send_with(form, action=reverse("plan:update_return", args=[update.pk]))
            # Approving sends the page's form too: its changes are saved with the approval.
            context["sign_off_form_id"] = form.helper.form_id
        return self.response_class(
            request=self.request, template=[self.template_name], context=context, status=status
        )


class UpdateCreateView(PermissionMixin, UpdateFormMixin, QuarterMixin, TemplateView):
    """Entering the first update of a measure for a quarter."""

    permission = ADD_MEASUREUPDATE

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
        measure = self.get_measure()
        form = MeasureUpdateForm(initial={"version": None}, measure=measure)
        return self.render_form(form, update=None, measure=measure, period=self.get_period())

    def post(self, request, *args, **kwargs):
        measure, period = self.get_measure(), self.get_period()
        form = MeasureUpdateForm(request.POST, measure=measure)
        if not form.is_valid():
            return self.render_form(form, update=None, measure=measure, period=period)
        return self.save(form, measure=measure, period=period, update=None)


class UpdateEditView(PermissionMixin, UpdateFormMixin, TemplateView):
    """An update's page for staff: the form while it may be edited, its history, its actions."""

    permission = VIEW_DRAFTS

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
        form = MeasureUpdateForm(
            data, instance=update, initial={"version": update.version}, measure=update.measure,
            submit_label=None if submitted else "Submit for approval",
            save_label="Save changes" if submitted else "Save draft",
        )  # fmt: skip
        # Posts to the update's page even when drawn by another route (a refused return).
        form.helper.form_action = update.get_absolute_url()
        return form

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
        decision = next((d for d in services.SIGN_OFF_DECISIONS if d in request.POST), None)
        if decision is None and (
            refusal := services.edit_refusal(update=update, period=update.period, user=request.user)
        ):
            # Say why, and keep what was typed so nothing is lost.
            form.is_valid()
            form.add_error(None, refusal)
            return self.render_update(form, update, status=403)
        return_form = ReturnForm(request.POST) if decision == "return" else None
        form_valid = form.is_valid()
        if return_form is not None and not return_form.is_valid():
            # The page's own form and buttons, with what was typed in it; nothing is saved.
            summary = {} if form.errors else {"error_form": return_form}
            return self.render_update(form, update, return_form=return_form, status=400, **summary)
        if not form_valid:
            return self.render_update(
                form, update, **({"return_form": return_form} if return_form else {})
            )
        if decision:
            return self.sign_off(form, update, decision, return_form)
        return self.save(form, measure=update.measure, period=update.period, update=update)

    def sign_off(self, form, update, decision, return_form):
        """Approving or returning with the changes made on the page, saved together."""
        request = self.request
        try:
            services.measure_update_sign_off(
                update=update,
                user=request.user,
                decision=decision,
                data={name: form.cleaned_data[name] for name in form.update_fields},
                expected_version=form.cleaned_data.get("version"),
                reason=return_form.cleaned_data["reason"] if return_form else "",
            )
        except StaleRecord as stale:
            return self.stale(form, stale.current, measure=update.measure, period=update.period)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else str(error)
            )
            status = 403 if isinstance(error, PermissionDenied) else 200
            extra = {"return_form": return_form} if return_form else {}
            return self.render_update(form, update, status=status, **extra)
        messages.success(
            request,
            "Update approved. Panel members and the public can see it."
            if decision == "approve"
            else "Update returned to staff with your reason.",
        )
        return redirect(update.get_absolute_url())
