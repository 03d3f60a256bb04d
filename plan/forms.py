from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fixed, Fluid, Layout, Size, Submit
from django import forms

from pcc_portal.forms import NumberField
from plan.models import COMMENTARY_MAX_LENGTH, MeasureUpdate

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
            "commentary": "What happened, why, and what is being done. You can use Markdown: "
            "a blank line between paragraphs, * for bullets.",
        }
        # Text inputs for figures (GOV.UK's advice), reading 1,250 as 1250.
        field_classes = {"value": NumberField, "comparator_value": NumberField}
        widgets = {"commentary": forms.Textarea(attrs={"rows": 8})}

    def __init__(
        self, *args, submit_label="Submit for approval", save_label="Save draft", **kwargs
    ):
        super().__init__(*args, **kwargs)
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
