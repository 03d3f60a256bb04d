import hashlib
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from pcc_portal.forms import DateField, NumberField, VersionField
from pcc_portal.markdown import MARKDOWN_HINT
from pcc_portal.people import display_name
from plan.models import COMMENTARY_MAX_LENGTH, MeasureUpdate, OutcomeMeasure
from plan.services import GRID_FIELDS

NUMBER_ERROR = "Enter a number, like 1250 or 12.5"


class MeasureUpdateForm(forms.ModelForm):
    """A quarterly update as staff enter it. `version` is the version the user opened."""

    rag = forms.ChoiceField(
        label="RAG rating",
        choices=MeasureUpdate.Rag.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a RAG rating",
            "invalid_choice": "Select a RAG rating from the list",
        },
        help_text="Red, amber or green: how the measure is going against the plan.",
    )
    direction = forms.ChoiceField(
        label="Direction of travel",
        choices=MeasureUpdate.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a direction of travel",
            "invalid_choice": "Select a direction of travel from the list",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MeasureUpdate
        fields = ["rag", "direction", "value", "comparator_value", "comparator_label", "commentary"]
        labels = {
            "value": "Value this quarter (optional)",
            "comparator_value": "Value to compare with (optional)",
            "comparator_label": "What the comparison is with (optional)",
        }
        help_texts = {
            "comparator_label": "For example: same quarter last year.",
            "commentary": f"What happened, why, and what is being done. {MARKDOWN_HINT}",
        }
        # Text inputs for figures (GOV.UK's advice), reading 1,250 as 1250.
        field_classes = {"value": NumberField, "comparator_value": NumberField}
        widgets = {"commentary": forms.Textarea(attrs={"rows": 8})}

    def __init__(
        self,
        *args,
        submit_label="Submit for approval",
        save_label="Save draft",
        measure=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.measure = measure
        explained = measure is not None and measure.has_target
        if explained:
            self.fields["rating_explanation"] = rating_explanation_field(rows=3)
            self.initial.setdefault("rating_explanation", self.instance.rating_explanation)
            self.fields["rag"].help_text += f" {measure.thresholds_text}."
            if suggested := measure.suggested_rag(self.instance.value):
                self.fields["rag"].help_text += (
                    f" Suggested from the target for the saved value: "
                    f"{MeasureUpdate.Rag(suggested).label}."
                )
        for name in ("value", "comparator_value"):
            self.fields[name].error_messages.update(
                invalid=NUMBER_ERROR,
                max_digits="Enter a number with no more than 12 digits before the point",
                max_decimal_places="Enter a number with no more than 2 decimal places",
                max_whole_digits="Enter a number with no more than 12 digits before the point",
            )
        self.fields["commentary"].max_length = COMMENTARY_MAX_LENGTH
        self.fields["commentary"].error_messages["max_length"] = (
            f"Commentary must be {COMMENTARY_MAX_LENGTH:,} characters or fewer"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("rag", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("rating_explanation") if explained else HTML(""),
            Field.radios("direction", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.text("value", field_width=Fixed.TEN),
            Field.text("comparator_value", field_width=Fixed.TEN),
            Field.text("comparator_label", field_width=Fluid.TWO_THIRDS),
            Field.textarea(
                "commentary",
                label_size=Size.MEDIUM,
                label_tag="h2",
                max_characters=COMMENTARY_MAX_LENGTH,
            ),
            "version",
            HTML('<div class="govuk-button-group">'),
            Submit("save", save_label),
            Submit("submit_update", submit_label, css_class="govuk-button--secondary")
            if submit_label
            else HTML(""),
            HTML("</div>"),
        )

    def clean_commentary(self):
        return self.cleaned_data["commentary"].strip()

    def clean_rating_explanation(self):
        return self.cleaned_data["rating_explanation"].strip()

    @property
    def update_fields(self) -> list[str]:
        """The update's fields this form sets (the explanation only for a measure with a
        target: otherwise it keeps what it holds)."""
        extra = ["rating_explanation"] if "rating_explanation" in self.fields else []
        return [*self.Meta.fields, *extra]


def rating_explanation_field(*, rows: int) -> forms.CharField:
    return forms.CharField(
        label="Why the rating differs from the one the target suggests",
        help_text="Needed to submit only when you choose a rating other than the suggested one.",
        required=False,
        max_length=COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": f"The explanation must be {COMMENTARY_MAX_LENGTH:,} characters or fewer"
        },
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being returned?",
        help_text="Staff see this reason when they open the update.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the update is being returned"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        # Its own ids: the update's form on the same page has a "version" field too.
        kwargs.setdefault("auto_id", "return_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.SMALL),
            "version",
            Submit("return", "Return to staff", css_class="govuk-button--warning"),
        )

    def send_with(self, page_form, *, action: str) -> None:
        """Send the reason with the update's form shown above (HTML's `form` attribute), so
        that what was typed there comes back on an error page rather than being lost."""
        form_id = page_form.helper.form_id = page_form.helper.form_id or "update-form"
        self.fields["reason"].widget.attrs["form"] = form_id
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.SMALL),
            Submit(
                "return", "Return to staff", css_class="govuk-button--warning",
                form=form_id, formaction=action, formnovalidate="formnovalidate",
            ),
        )  # fmt: skip


class QuarterReviewForm(forms.Form):
    """The approver's decisions on a quarter's submitted updates, one row per update: approve,
    return (with a reason) or leave, and the version each row was opened at.

    Pressing "Approve all shown" approves every row the page showed (those it carried a version
    for) except any the approver chose to return.
    """

    LEAVE = "leave"
    DECISIONS = [
        ("approve", "Approve"),
        ("return", "Return to staff"),
        (LEAVE, "Leave for now"),
    ]
    APPROVE_ALL = "approve_all"

    def __init__(self, *args, updates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.updates = list(updates)
        self.out_of_date = []
        for update in self.updates:
            name = update.measure.short_label
            self.fields[f"decision_{update.pk}"] = forms.ChoiceField(
                label=f"Your decision on {name}",
                choices=self.DECISIONS,
                initial=self.LEAVE,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Choose approve, return or leave for {name}"},
            )
            self.fields[f"reason_{update.pk}"] = forms.CharField(
                label="Why is it being returned?",
                help_text="Needed only to return it. Staff see this reason on the update.",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": "The reason must be 2,000 characters or fewer",
                },
            )
            self.fields[f"version_{update.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def rows(self):
        """Each update with its bound fields, for the page."""
        for update in self.updates:
            yield (
                update,
                self[f"decision_{update.pk}"],
                self[f"reason_{update.pk}"],
                self[f"version_{update.pk}"],
            )

    def _decision(self, pk) -> str:
        decision = self.cleaned_data.get(f"decision_{pk}") or self.LEAVE
        shown = self.cleaned_data.get(f"version_{pk}") is not None
        if self.APPROVE_ALL in self.data and shown and decision != "return":
            return "approve"
        return decision

    OUT_OF_DATE = (
        "This page is out of date for {name}, so nothing was saved: it is shown again as it "
        "is saved now. Check it and choose again"
    )

    def _out_of_date(self) -> list:
        """Rows whose version the page did not send back readable (altered, or missing from a
        row given a decision): their decision cannot be checked against what was shown."""
        rows = []
        for update in self.updates:
            key = f"version_{update.pk}"
            chosen = self.data.get(f"decision_{update.pk}", self.LEAVE) != self.LEAVE
            if key in self._errors or (chosen and self.data.get(key) in (None, "")):
                rows.append(update)
        return rows

    def clean(self):
        cleaned = super().clean()
        self.out_of_date = self._out_of_date()
        for update in self.out_of_date:
            self._errors.pop(f"version_{update.pk}", None)  # hidden: said on the decision
            self.add_error(
                f"decision_{update.pk}", self.OUT_OF_DATE.format(name=update.measure.short_label)
            )
        if self.out_of_date:
            return cleaned
        for update in self.updates:
            reason = (cleaned.get(f"reason_{update.pk}") or "").strip()
            if self._decision(update.pk) == "return" and not reason:
                self.add_error(
                    f"reason_{update.pk}",
                    f"Enter why {update.measure.short_label} is being returned",
                )
        if self.updates and not self.errors and not self.decisions():
            self.add_error(
                None,
                "Choose to approve or return at least one update, or select Approve all shown",
            )
        return cleaned

    def decisions(self) -> dict[int, tuple[str, str, int]]:
        """pk -> (action, reason, version opened) for every row to approve or return; rows the
        page showed that are no longer waiting (`others`) are passed on too, so that the
        review can say they changed."""
        chosen = {}
        for update in self.updates:
            decision = self._decision(update.pk)
            version = self.cleaned_data.get(f"version_{update.pk}")
            if decision != self.LEAVE and version is not None:
                reason = self.cleaned_data.get(f"reason_{update.pk}") or ""
                chosen[update.pk] = (decision, reason, version)
        return chosen | self._others()

    def _others(self) -> dict[int, tuple[str, str, int]]:
        """Rows the page showed (a version was posted) that are no longer among `updates`:
        someone approved or returned them since. Whatever was chosen for them is refused as
        stale by the review; their version is taken as sent (-1 if unreadable)."""
        mine = {str(u.pk) for u in self.updates}
        others = {}
        for key in self.data:
            pk = key.removeprefix("version_")
            if key.startswith("version_") and pk.isdigit() and len(pk) < 19 and pk not in mine:
                decision = self.data.get(f"decision_{pk}", self.LEAVE)
                if self.APPROVE_ALL in self.data and decision != "return":
                    decision = "approve"
                if decision in ("approve", "return"):
                    try:
                        version = int(self.data[key])
                    except ValueError:
                        version = -1
                    others[int(pk)] = (decision, self.data.get(f"reason_{pk}", ""), version)
        return others


def row_fingerprint(values: dict) -> str:
    """A short digest of a grid row's values, so a saved page can tell which rows were changed
    since it was opened (values as the form cleans them, or as an update holds them)."""
    parts = []
    for name in GRID_FIELDS:
        value = values.get(name)
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        parts.append("" if value is None else str(value).replace("\r\n", "\n").strip())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


BLANK_ROW = {"rag": MeasureUpdate.Rag.NOT_RATED, "direction": ""}


def row_fields(measure) -> tuple[str, ...]:
    """The fields of a measure's row in the grid: the explanation only with a target."""
    if measure.has_target:
        return GRID_FIELDS
    return tuple(name for name in GRID_FIELDS if name != "rating_explanation")


class GridWidgetRenderer(BaseRenderer):
    """Draws the grid's inputs, selects and text areas in Python, as Django's own widget
    templates would: a quarter of 35 measures is about 300 of them, and a template render
    each made the page several times slower."""

    def render(self, template_name, context, request=None):
        widget = context["widget"]
        name, value, attrs = widget["name"], widget["value"], flatatt(widget["attrs"])
        if template_name.endswith("/select.html"):
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], " selected" if option["selected"] else "", option["label"])
                    for _, group, _ in widget["optgroups"]
                    for option in group
                ),
            )
            return format_html('<select name="{}"{}>{}</select>', name, attrs, options)
        if template_name.endswith("/textarea.html"):
            return format_html('<textarea name="{}"{}>\n{}</textarea>', name, attrs, value or "")
        shown = format_html(' value="{}"', value) if value is not None else ""
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], name, shown, attrs)


class QuarterUpdateRowForm(forms.Form):
    """One outcome measure's row in the quarter's grid, prefixed by the measure ("m12-rag").

    `version` is the version of the update the user opened (blank: none yet); `opened` is the
    digest of the row's values then, so only rows the user changed are saved.
    """

    rag = forms.ChoiceField(
        label="Rating",
        choices=MeasureUpdate.Rag.choices,
        error_messages={
            "required": "Select a RAG rating",
            "invalid_choice": "Select a RAG rating from the list",
        },
    )
    direction = forms.ChoiceField(
        label="Direction",
        required=False,
        choices=[("", "Not chosen yet"), *MeasureUpdate.Direction.choices],
        error_messages={"invalid_choice": "Select a direction of travel from the list"},
    )
    value = NumberField(label="Value", required=False, max_digits=14, decimal_places=2)
    comparator_value = NumberField(
        label="Value to compare with", required=False, max_digits=14, decimal_places=2
    )
    comparator_label = forms.CharField(
        label="What the comparison is with",
        required=False,
        max_length=100,
        error_messages={"max_length": "What the comparison is with must be 100 characters or less"},
    )
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        max_length=COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Commentary must be {COMMENTARY_MAX_LENGTH:,} characters or fewer"
        },
    )
    rating_explanation = rating_explanation_field(rows=2)
    # Hidden, and never an error the user could not correct: a tampered version matches no
    # saved version (the row is refused as stale), a tampered digest marks the row changed.
    version = forms.Field(widget=forms.HiddenInput, required=False)
    opened = forms.Field(widget=forms.HiddenInput, required=False)

    default_renderer = GridWidgetRenderer()

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if not measure.has_target:
            del self.fields["rating_explanation"]
        else:
            self.fields["rating_explanation"].widget.attrs["class"] = "govuk-textarea"
        for name in ("value", "comparator_value"):
            self.fields[name].error_messages.update(
                invalid=NUMBER_ERROR,
                max_digits="Enter a number with no more than 12 digits before the point",
                max_decimal_places="Enter a number with no more than 2 decimal places",
                max_whole_digits="Enter a number with no more than 12 digits before the point",
            )
        for name in ("value", "comparator_value", "comparator_label"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.fields["comparator_label"].widget.attrs["class"] = "govuk-input"
        self.fields["commentary"].widget.attrs["class"] = "govuk-textarea"
        for name in ("rag", "direction"):
            self.fields[name].widget.attrs["class"] = "govuk-select"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:  # GOV.UK's red border on each field in error
            if name in GRID_FIELDS:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "").split(" ")[0]
                widget.attrs["class"] += f" {base}--error"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    @classmethod
    def for_update(cls, measure, update, *, prefix, data=None):
        """The row as the user opens it: the update's values, or a blank row."""
        names = row_fields(measure)
        values = {name: getattr(update, name) for name in names} if update else BLANK_ROW
        initial = {
            **values,
            "version": update.version if update else None,
            "opened": row_fingerprint(values),
        }
        return cls(data, initial=initial, prefix=prefix, measure=measure)

    def clean_version(self) -> int | None:
        value = str(self.cleaned_data["version"] or "").strip()
        if not value:
            return None
        try:
            version = int(value)
        except ValueError:
            return -1
        return version if 0 <= version < 2**31 else -1

    def clean_opened(self) -> str:
        return str(self.cleaned_data["opened"] or "")[:64]

    def clean_commentary(self):
        return self.cleaned_data["commentary"].replace("\r\n", "\n").strip()

    def clean_comparator_label(self):
        return self.cleaned_data["comparator_label"].strip()

    def clean_rating_explanation(self):
        return self.cleaned_data["rating_explanation"].replace("\r\n", "\n").strip()

    def row_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in GRID_FIELDS if name in self.fields}

    def row_changed(self) -> bool:
        """Whether the user changed the row since opening the page."""
        return row_fingerprint(self.row_data()) != self.cleaned_data.get("opened")


class QuarterDeadlineForm(forms.Form):
    """The day a quarter's updates are due, set or cleared by an approver. `version` is the
    version of the quarter the approver opened."""

    updates_due = DateField(label="Deadline for updates")
    version = VersionField()

    def __init__(self, data=None, *args, clear: bool = False, **kwargs):
        if clear and data is not None:
            # Clearing ignores the date entirely: a half-typed date is no error then.
            data = data.copy()
            for key in [key for key in data if key.startswith("updates_due")]:
                del data[key]
        super().__init__(data, *args, **kwargs)
        self.clear = clear
        due = self.fields["updates_due"]
        due.help_text = "For example, 21 1 2022"
        due.error_messages["required"] = (
            "Enter the deadline for updates, or choose Clear the deadline"
        )
        due.required = not clear
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.layout = Layout(
            "version",
            Field("updates_due", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Submit("save_deadline", "Save the deadline"),
            Submit("clear_deadline", "Clear the deadline", css_class="govuk-button--secondary"),
        )

    def clean_updates_due(self):
        # Clearing: whatever was typed in the date is not wanted.
        return None if self.clear else self.cleaned_data.get("updates_due")


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class OutcomeMeasureTargetForm(forms.ModelForm):
    """A measure's lead, target and Amber tolerance, as an approver sets them. The measure's
    own rules (OutcomeMeasure.clean) show as errors of these fields."""

    class Meta:
        model = OutcomeMeasure
        fields = ["lead", "target_value", "amber_tolerance"]
        labels = {
            "lead": "Lead (optional)",
            "target_value": "Target (optional)",
            "amber_tolerance": "Amber tolerance (optional)",
        }
        help_texts = {
            "lead": "The member of staff who enters this measure's quarterly updates. Only "
            "active office staff and approvers can be chosen.",
        }
        field_classes = {
            "lead": LeadChoiceField,
            "target_value": NumberField,
            "amber_tolerance": NumberField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.instance
        unit = f" in {measure.unit}" if measure.unit else ""
        lead = self.fields["lead"]
        lead.queryset = lead.queryset.order_by("first_name", "last_name", "username")
        lead.empty_label = "No lead named"
        lead.error_messages["invalid_choice"] = "Choose a lead from the list"
        self.fields["target_value"].help_text = (
            f"The value the plan aims for{unit}. {measure.get_desired_direction_display()}. "
            "Leave blank for a measure rated by judgement."
        )
        self.fields["amber_tolerance"].help_text = (
            f"How far short of the target still counts as Amber{unit}. Blank: anything short "
            "of the target is Red."
        )
        for name, label in (("target_value", "target"), ("amber_tolerance", "Amber tolerance")):
            self.fields[name].error_messages.update(
                invalid=f"Enter the {label} as a number, like 75 or 12.5",
                max_digits=f"Enter a {label} with no more than 12 digits before the point",
                max_decimal_places=f"Enter a {label} with no more than 2 decimal places",
                max_whole_digits=f"Enter a {label} with no more than 12 digits before the point",
            )
        self.fields["amber_tolerance"].error_messages["min_value"] = (
            "Enter an Amber tolerance of 0 or more"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("lead"),
            Field.text("target_value", field_width=Fixed.TEN),
            Field.text("amber_tolerance", field_width=Fixed.TEN),
            Submit("save", "Save target and lead"),
        )

    def clean(self):
        cleaned = super().clean()
        no_direction = self.instance.desired_direction == OutcomeMeasure.Direction.NONE
        if cleaned.get("target_value") is not None and no_direction:
            # The direction is not on this form: say so at the target, not as the model does.
            self.add_error(
                "target_value",
                "This measure says neither an increase nor a decrease is better, so it cannot "
                "have a target: leave the target blank",
            )
        return cleaned
