"""An outcome measure's lead, target and Amber tolerance, set by approvers."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404
from django.views.generic import UpdateView

from pcc_portal.mixins import RecordFormMixin
from plan import services
from plan.forms import OutcomeMeasureTargetForm
from plan.models import OutcomeMeasure
from plan.permissions import CHANGE_OUTCOMEMEASURE
from plan.views.plans import PlanMixin


class MeasureEditView(RecordFormMixin, PlanMixin, UpdateView):
    """The target is shown to the public on the priority's page, so only approvers set it."""

    permission = CHANGE_OUTCOMEMEASURE
    form_class = OutcomeMeasureTargetForm
    success_message = "Target and lead saved."

    def get_object(self, queryset=None):
        return get_object_or_404(
            OutcomeMeasure.objects.select_related("priority", "lead"),
            priority__plan=self.get_plan(),
            pk=self.kwargs["measure"],
        )

    def get_page_title(self):
        return f"Target and lead: {self.object.short_label}"

    def get_caption(self):
        return self.object.priority.title

    def get_breadcrumbs(self):
        priority = self.object.priority
        return [*super().get_breadcrumbs(), (priority.title, priority.get_absolute_url())]

    def get_cancel_url(self):
        return self.get_success_url()

    def get_success_url(self):
        return f"{self.object.priority.get_absolute_url()}#measure-{self.object.pk}"

    def save(self, form):
        data = form.cleaned_data
        try:
            return services.outcome_measure_save(
                measure=self.object,
                user=self.request.user,
                lead=data["lead"],
                target_value=data["target_value"],
                amber_tolerance=data["amber_tolerance"],
                expected_version=data.get("version"),
            )
        except ValidationError as error:
            # A rule about a field this form does not show (the direction, changed since the
            # form checked it) goes to the top of the error summary.
            errors: dict[str, list[str]] = {}
            for name, messages in error.message_dict.items():
                errors.setdefault(name if name in form.fields else NON_FIELD_ERRORS, []).extend(
                    messages
                )
            raise ValidationError(errors) from error
