"""What every kind of paper section has: the base each kind's module subclasses."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from plan.fields import PrioritiesChoiceField
from plan.models import Priority
from plan.selectors import priorities_missing


class SectionKind:
    """One kind of section of a paper.

    A kind is one module in this package: it names itself (`value`, stored in
    `ReportSection.kind`, and `label`), says where it sits in the list editors choose from
    (`position`), and gives
    - `form_fields(user)`: the parameters an editor sets, as form fields, with `layout_for(name)`;
    - `params_from(cleaned)`: those parameters as stored in `ReportSection.params` (JSON);
    - `errors(section)`: what is wrong with the stored parameters, in words an editor can act on;
    - `publish_problems(section)`: what else stops the paper being published;
    - `data(section, report)`: what its `template` shows after the section's text, read
      through the owning app's selectors, in a fixed number of queries, as at the paper's
      `figures_as_at` date, so that rendering it later says the same;
    - `shows_nothing(data)`: why that would show nothing, for the preview to warn.
    """

    value: str = ""
    label: str = ""
    position: int = 0
    template: str | None = None
    after_signature = False  # appendices follow the signature, lettered A, B, C ...
    needs_period = False  # shows the paper's quarter

    def form_fields(self, user) -> dict[str, forms.Field]:
        """The parameters' fields; `user` is who edits, for choices that depend on it."""
        return {}

    def layout_for(self, name: str):
        return name

    def params_from(self, cleaned: dict) -> dict:
        return {}

    def errors(self, section) -> list[str]:
        if self.needs_period and section.report_id and not section.report.period_id:
            return ["This section shows a quarter: choose the paper's quarter first."]
        return []

    def publish_problems(self, section) -> list[str]:
        return []

    def data(self, section, report) -> dict:
        return {}

    def shows_nothing(self, data: dict) -> str | None:
        """Why the section, given its `data`, would show nothing a reader can use (a warning
        before publishing); None when it shows something."""
        return None


class ChoosesPriorities(SectionKind):
    """A kind that shows some priorities' rows, or every priority's."""

    def form_fields(self, user) -> dict[str, forms.Field]:
        return {
            "priorities": PrioritiesChoiceField(
                queryset=Priority.objects.for_choices(user), required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="Leave all unticked for every priority.",
            )
        }  # fmt: skip

    def layout_for(self, name: str):
        return Field.checkboxes(name, legend_size=Size.SMALL)

    def params_from(self, cleaned: dict) -> dict:
        ids = [priority.pk for priority in cleaned.get("priorities") or []]
        return {"priorities": ids} if ids else {}

    def errors(self, section) -> list[str]:
        errors = super().errors(section)
        if priorities_missing(section.params.get("priorities") or []):
            errors.append("A priority this section names no longer exists: choose again.")
        return errors
