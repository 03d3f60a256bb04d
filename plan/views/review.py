"""Sign-off of an update: submitting, approving, returning with a reason, reopening."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from pcc_portal.mixins import PermissionMixin
from pcc_portal.people import display_name
from pcc_portal.services import StaleRecord
from plan import services
from plan.forms import ReturnForm
from plan.models import MeasureUpdate
from plan.permissions import APPROVE_MEASUREUPDATE, VIEW_DRAFTS
from plan.views.updates import UpdateEditView


class UpdateTransitionView(PermissionMixin, View):
    """POST-only sign-off steps: submit, approve, return (with a reason), reopen."""

    http_method_names = ["post"]
    permission = VIEW_DRAFTS
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
        except StaleRecord as stale:
            messages.error(
                request,
                f"This update was changed by {display_name(stale.current.updated_by)} since you "
                "opened it, so nothing was done. Check it and try again.",
            )
            return HttpResponseRedirect(update.get_absolute_url())
        except ValidationError as error:  # e.g. a rating differing from its target, unexplained
            messages.error(request, " ".join(error.messages) + ".")
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
    """Returning needs a reason. With the update's form (the Return button belongs to it), the
    changes made on the page are saved with the return, and a missing reason shows the page
    again with everything typed; a reason sent alone just returns the update."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        update = self.get_update()
        typed = set(request.POST) & set(self.update_form(update).fields) - {"version"}
        if typed:
            request.POST = request.POST.copy()
            request.POST["return"] = "Return to staff"
            return super().post(request, *args, **kwargs)
        return_form = ReturnForm(request.POST)
        if return_form.is_valid():
            try:
                services.measure_update_return(
                    update=update,
                    user=request.user,
                    reason=return_form.cleaned_data["reason"],
                    expected_version=return_form.cleaned_data["version"],
                )
            except StaleRecord:
                messages.error(
                    request, "This update changed since you opened it, so it was not returned."
                )
                return redirect(update.get_absolute_url())
            messages.success(request, "Update returned to staff with your reason.")
            return redirect(update.get_absolute_url())
        if not request.user.has_perm(APPROVE_MEASUREUPDATE):
            raise PermissionDenied("Only an approver can return an update.")
        return self.render_update(
            self.update_form(update), update, return_form=return_form, error_form=return_form,
            status=400,
        )  # fmt: skip
