"""The approver's review of a quarter: every submitted update on one page, approved or
returned many at a time."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.utils.text import get_text_list
from django.views.generic import TemplateView

from pcc_portal.mixins import PermissionMixin
from pcc_portal.people import display_name
from plan import selectors, services
from plan.forms import QuarterReviewForm
from plan.permissions import APPROVE_MEASUREUPDATE
from plan.views.quarters import QuarterMixin


def done_message(outcome: services.QuarterReview) -> str:
    parts = []
    if outcome.approved:
        parts.append(f"approved {len(outcome.approved)} update{'s' * (len(outcome.approved) != 1)}")
    if outcome.returned:
        parts.append(
            f"returned {len(outcome.returned)} update{'s' * (len(outcome.returned) != 1)} to staff"
        )
    return f"You {' and '.join(parts)}." if parts else ""


class QuarterReviewView(PermissionMixin, QuarterMixin, TemplateView):
    permission = APPROVE_MEASUREUPDATE
    template_name = "plan/quarter_review.html"

    def get_page_title(self):
        return f"Review {self.get_period().short_label}'s submitted updates"

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (self.get_period().short_label, self.quarter_url())]

    def groups(self):
        return selectors.quarter_review(self.get_plan(), self.get_period(), self.request.user)

    def render_review(self, groups, form, *, status=200):
        rows = {row.update.pk: row for group in groups for row in group.rows}
        fields = {update.pk: (decision, reason, version)
                  for update, decision, reason, version in form.rows()}  # fmt: skip
        context = self.get_context_data(
            plan=self.get_plan(),
            period=self.get_period(),
            groups=groups,
            count=len(rows),
            error_form=form,
        )
        for row in rows.values():
            row.decision, row.reason, row.version = fields[row.update.pk]
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        groups = self.groups()
        updates = [row.update for group in groups for row in group.rows]
        form = QuarterReviewForm(
            updates=updates, initial={f"version_{u.pk}": u.version for u in updates}
        )
        return self.render_review(groups, form)

    def post(self, request, *args, **kwargs):
        groups = self.groups()
        form = QuarterReviewForm(
            request.POST, updates=[row.update for group in groups for row in group.rows]
        )
        if not form.is_valid():
            if form.out_of_date:
                return self.reopen(groups, form)
            return self.render_review(groups, form, status=400)
        try:
            outcome = services.quarter_updates_review(
                plan=self.get_plan(),
                period=self.get_period(),
                user=request.user,
                decisions=form.decisions(),
            )
        except ValidationError as error:  # nothing was done
            for key, problems in getattr(error, "error_dict", {None: error}).items():
                form.add_error(key if key in form.fields else None, problems)
            return self.render_review(groups, form, status=400)
        if message := done_message(outcome):
            messages.success(request, message)
        if outcome.stale:
            return self.stale(outcome.stale)
        if selectors.quarter_awaits_review(self.get_plan(), self.get_period()):
            return redirect(self.request.path)  # the undecided updates, to decide next
        return redirect(self.quarter_url())

    def reopen(self, groups, form):
        """Nothing was done: the rows whose version came back altered or missing are shown
        again at the version saved now, their decision cleared (their reason kept) and the
        error on each; the other rows keep what was chosen."""
        data = self.request.POST.copy()
        data.pop(QuarterReviewForm.APPROVE_ALL, None)
        for update in form.out_of_date:
            data[f"version_{update.pk}"] = str(update.version)
            data[f"decision_{update.pk}"] = QuarterReviewForm.LEAVE
        again = QuarterReviewForm(data, updates=form.updates)
        again.is_valid()
        again.errors.pop(NON_FIELD_ERRORS, None)  # "choose at least one": not the problem here
        for update in form.out_of_date:
            again.add_error(
                f"decision_{update.pk}",
                QuarterReviewForm.OUT_OF_DATE.format(name=update.measure.short_label),
            )
        return self.render_review(groups, again, status=400)

    def stale(self, stale):
        """Show the quarter's waiting updates again; the rows that changed since the page was
        opened say so, at their new version with the decision cleared, their reason kept."""
        groups = self.groups()
        updates = [row.update for group in groups for row in group.rows]
        waiting = {u.pk for u in updates}
        data = self.request.POST.copy()
        data.pop(QuarterReviewForm.APPROVE_ALL, None)
        for update in updates:
            data[f"version_{update.pk}"] = str(update.version)
            if update.pk in {s.pk for s in stale}:
                data[f"decision_{update.pk}"] = QuarterReviewForm.LEAVE
        form = QuarterReviewForm(data, updates=updates)
        form.is_valid()
        gone = []
        for current in stale:
            who = display_name(current.updated_by)
            name = current.measure.short_label
            if current.pk in waiting:
                form.add_error(
                    f"decision_{current.pk}",
                    f"{name} was changed by {who} since you opened this page, so nothing was "
                    "done to it. Check it again and choose",
                )
            else:
                gone.append(f"{name} ({current.get_status_display().lower()} by {who})")
        if gone:
            messages.error(
                self.request,
                f"Changed since you opened this page, so your decision was not used: "
                f"{get_text_list(gone, 'and')}.",
            )
        return self.render_review(groups, form, status=409)
