"""The quarter in one screen: every outcome measure's update entered in one form, with last
quarter's approved update beside it; copying last quarter forward; submitting all at once."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from pcc_portal.conflicts import last_changed_by
from pcc_portal.display import value_display
from pcc_portal.mixins import PermissionMixin
from plan import selectors, services
from plan.forms import QuarterUpdateRowForm, row_fields, row_fingerprint
from plan.models import MeasureUpdate, OutcomeMeasure
from plan.periods import days_left
from plan.permissions import CHANGE_MEASUREUPDATE
from plan.views.quarters import QuarterMixin

Status = MeasureUpdate.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
NOT_SUBMITTED_KEY = "plan_quarter_not_submitted"


@dataclass
class GridRowView:
    """What the page shows of one measure."""

    measure: OutcomeMeasure
    update: MeasureUpdate | None
    previous: MeasureUpdate | None  # last quarter's approved update
    form: QuarterUpdateRowForm | None = None
    editable: bool = False  # the user may change it here now (else it is shown read-only)
    read_only_reason: str = ""
    not_ready: str = ""  # why the draft cannot be submitted yet
    conflict_message: str = ""
    conflict_rows: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"id_m{self.measure.pk}-rag"

    @property
    def suggested(self) -> str:
        """The rating the measure's target suggests for the saved value, in words."""
        return self.update.suggested_rag_label if self.update is not None else ""


def prefix(measure) -> str:
    return f"m{measure.pk}"


class QuarterUpdatesView(PermissionMixin, QuarterMixin, TemplateView):
    """Staff enter the quarter's updates for every outcome measure of the plan in one form."""

    permission = CHANGE_MEASUREUPDATE
    template_name = "plan/quarter_updates.html"

    def get_page_title(self):
        return f"Enter the updates for {self.get_period().short_label}"

    def get_breadcrumbs(self):
        return [*super().get_breadcrumbs(), (self.get_period().short_label, self.quarter_url())]

    def grid_url(self) -> str:
        return reverse(
            "plan:quarter_updates",
            kwargs={"plan": self.get_plan().slug, "quarter": self.kwargs["quarter"]},
        )

    # --- Building the rows ---------------------------------------------------------------

    def previous_approved(self) -> dict[int, MeasureUpdate]:
        year, quarter = self.get_period().previous()
        updates = MeasureUpdate.objects.approved().filter(
            period__financial_year=year,
            period__quarter=quarter,
            measure__priority__plan=self.get_plan(),
        )
        return {u.measure_id: u for u in updates}

    def build_groups(self, data=None):
        """The priorities, each with its rows; with `data`, the rows' forms are bound to it
        (every row editable now, and any row the page posted)."""
        user, period = self.request.user, self.get_period()
        grid = selectors.quarter_grid(self.get_plan(), period, user)
        previous = self.previous_approved()
        unchanged = services.returned_unchanged(
            [row.update for group in grid.groups for row in group.rows if row.update is not None]
        )
        groups = []
        for group in grid.groups:
            rows = []
            for measure_row in group.rows:
                measure, update = measure_row.measure, measure_row.update
                if update is not None:
                    update.measure = measure  # for its target, without another query
                row = GridRowView(measure, update, previous.get(measure.pk))
                refusal = services.edit_refusal(update=update, period=period, user=user)
                if update is not None and update.status not in EDITABLE and not period.locked:
                    refusal = f"{update.get_status_display()}, so it cannot be changed here."
                row.editable = refusal is None
                # The page says once that a locked quarter cannot be changed.
                row.read_only_reason = "" if period.locked else (refusal or "")
                # A row posted that is read-only now (submitted since) is still read, so
                # that a change to it is shown as a conflict rather than lost.
                posted = data is not None and f"{prefix(measure)}-opened" in data
                if row.editable or posted:
                    row.form = QuarterUpdateRowForm.for_update(
                        measure, update, prefix=prefix(measure), data=data
                    )
                if update is None:
                    row.not_ready = "it has not been started"
                elif update.pk in unchanged:
                    row.not_ready = services.returned_unchanged_reason(update)
                elif update.status in EDITABLE:
                    row.not_ready = services.update_incomplete_reason(update) or ""
                rows.append(row)
            groups.append((group.priority, rows))
        return groups

    @staticmethod
    def deadline(period) -> str:
        """The days left to the quarter's deadline, in words ("" without one, or locked)."""
        if period.updates_due is None or period.locked:
            return ""
        return days_left(period.updates_due, timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = kwargs.get("groups") or self.build_groups()
        rows = [row for _, rows in groups for row in rows]
        period = self.get_period()
        previous_year, previous_quarter = period.previous()
        context.update(
            plan=self.get_plan(),
            period=period,
            previous_label=type(period)(
                financial_year=previous_year, quarter=previous_quarter
            ).short_label,
            groups=groups,
            editable_count=sum(1 for row in rows if row.editable),
            can_copy=any(row.update is None and row.previous for row in rows),
            ready_count=sum(
                1
                for row in rows
                if row.update and row.update.status in EDITABLE and not row.not_ready
            ),
            errors=kwargs.get("errors", []),
            error_intro=kwargs.get("error_intro", ""),
            locked_refusal=services.locked_refusal(period),
            not_submitted=[] if kwargs.get("errors") else self.not_submitted(),
            deadline=self.deadline(period),
        )
        return context

    # --- Saving --------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "save")
        groups = self.build_groups(request.POST)
        errors = self.form_errors(groups)
        if errors:
            return self.render_page(
                groups, errors,
                "Nothing has been saved. Correct the rows below and save again: everything "
                "you typed is kept.",
            )  # fmt: skip
        forms = [row.form for _, rows in groups for row in rows if row.form is not None]
        changed = [
            services.GridRow(form.measure, form.row_data(), form.cleaned_data["version"])
            for form in forms
            if form.is_valid() and form.row_changed()
        ]
        try:
            result = services.quarter_updates_save(
                plan=self.get_plan(), period=self.get_period(), user=request.user, rows=changed
            )
        except PermissionDenied as refusal:
            for _, rows in groups:  # keep what was typed in view, even in rows now read-only
                for row in rows:
                    row.editable = row.editable or (row.form is not None and row.form.is_valid())
            return self.render_page(groups, [("", str(refusal))], "Nothing has been saved.", 403)
        except ValidationError as error:
            return self.render_page(
                groups, [("", message) for message in error.messages], "Nothing has been saved."
            )
        if result.saved:
            count = len(result.saved)
            messages.success(request, f"{count} draft{'s' if count != 1 else ''} saved.")
        if result.stale:
            return self.conflicts(result, action)
        if action == "copy":
            self.copy_forward()
        elif action == "submit":
            self.submit_all()
        elif result.saved:
            messages.info(
                request,
                "Next: when the rows are ready, choose “Submit all for approval” at the end "
                "of the page.",
            )
        else:
            messages.info(request, "You had not changed anything, so nothing was saved.")
        return redirect(self.grid_url())

    def form_errors(self, groups) -> list[tuple[str, str]]:
        """Every row's errors, as (link to the field, message naming the measure)."""
        errors = []
        for _, rows in groups:
            for row in rows:
                if not row.editable or row.form.is_valid():
                    continue
                for name, field_errors in row.form.errors.items():
                    target = name if name in services.GRID_FIELDS else "rag"
                    href = f"#{row.form[target].auto_id}"
                    errors += [(href, f"{row.measure.short_label}: {e}") for e in field_errors]
        return errors

    def conflicts(self, result, action):
        """Rows someone else changed: theirs beside this user's, what was typed kept (at the
        saved version, so saving again replaces theirs knowingly). The other rows are saved."""
        self.__dict__.pop("_period", None)  # the quarter as saved now
        groups = self.build_groups()
        stale = {row.measure.pk: (row, current) for row, current in result.stale}
        errors = []
        for _, rows in groups:
            for row in rows:
                if row.measure.pk not in stale:
                    continue
                grid_row, current = stale[row.measure.pk]
                row.update = current
                current.measure = row.measure
                names = row_fields(row.measure)
                typed = {name: self.request.POST.get(f"{prefix(row.measure)}-{name}", "")
                         for name in names}  # fmt: skip
                saved_values = {name: getattr(current, name) for name in names}
                who, when = last_changed_by(current)
                when = timezone.localtime(when)
                row.conflict_message = (
                    f"Changed by {who} at {when:%H:%M} on {when.day} {when:%B %Y} since you "
                    "opened the page. Your changes to this row have not been saved."
                )
                fields = QuarterUpdateRowForm.base_fields
                row.conflict_rows = [
                    (str(fields[name].label),
                     value_display(current._meta.get_field(name), saved_values[name]),
                     value_display(fields[name], grid_row.data.get(name)))
                    for name in names
                    if saved_values[name] != grid_row.data.get(name)
                ]  # fmt: skip
                if row.editable:
                    data = {f"{prefix(row.measure)}-{name}": value for name, value in typed.items()}
                    data[f"{prefix(row.measure)}-version"] = current.version
                    data[f"{prefix(row.measure)}-opened"] = row_fingerprint(saved_values)
                    row.form = QuarterUpdateRowForm.for_update(
                        row.measure, current, prefix=prefix(row.measure), data=data
                    )
                    row.form.is_valid()
                    advice = "compare the two versions, then save again to replace theirs."
                else:
                    advice = f"it is {current.get_status_display().lower()} now."
                    row.conflict_message += f" It cannot be changed here: {advice}"
                errors.append(
                    (f"#{row.anchor}", f"{row.measure.short_label}: {row.conflict_message}")
                )
                if row.editable:
                    row.conflict_message += f" Your version is in the form: {advice}"
        done = {"copy": "Nothing was copied", "submit": "Nothing was submitted"}.get(action)
        intro = "Someone else changed these rows since you opened the page."
        if done:
            intro += f" {done}: deal with these rows first."
        return self.render_page(groups, errors, intro, 409)

    def copy_forward(self):
        copied = services.quarter_updates_copy_forward(
            plan=self.get_plan(), period=self.get_period(), user=self.request.user
        )
        if copied:
            count = len(copied)
            messages.success(
                self.request,
                f"{count} update{'s' if count != 1 else ''} copied from last quarter as "
                f"draft{'s' if count != 1 else ''}. Next: change what is different this "
                "quarter and choose “Save drafts”.",
            )
        else:
            messages.info(
                self.request,
                "Nothing was copied: every measure with an approved update last quarter "
                "already has an update this quarter.",
            )

    def submit_all(self):
        result = services.quarter_updates_submit(
            plan=self.get_plan(), period=self.get_period(), user=self.request.user
        )
        count = len(result.submitted)
        if count:
            messages.success(
                self.request,
                f"{count} update{'s' if count != 1 else ''} submitted for approval. "
                "An approver can now review them.",
            )
        # Shown once, as a list linking to each row, by the page the user is sent back to.
        self.request.session[NOT_SUBMITTED_KEY] = [
            (measure.pk, measure.short_label, why) for measure, why in result.not_submitted
        ]
        if not count and not result.not_submitted:
            messages.info(self.request, "There was nothing to submit.")

    def not_submitted(self) -> list[tuple[str, str, str]]:
        """What the last "Submit all for approval" left out, once: (link to the row, the
        measure, why), for the rows still on the page."""
        rows = self.request.session.pop(NOT_SUBMITTED_KEY, None) or []
        return [(f"#row-{pk}", label, why) for pk, label, why in rows]

    def render_page(self, groups, errors, intro, status=200):
        context = self.get_context_data(groups=groups, errors=errors, error_intro=intro)
        return self.render_to_response(context, status=status)
