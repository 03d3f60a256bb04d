import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Size, Submit
from django import forms
from django.utils import timezone

from decisions.models import Decision, Exemption, ForwardPlanEntry
from funding.models import Award
from pcc_portal.forms import DateField, NumberField
from plan.fields import PrioritiesChoiceField
from plan.models import Priority
from reports.models import Report

MONEY_ERRORS = {
    "invalid": "Enter an amount in pounds, like 13500 or 13500.50",
    "max_decimal_places": "Enter the amount with no more than 2 decimal places",
    "max_digits": "The amount must be £100,000,000 or less",
    "max_whole_digits": "The amount must be £100,000,000 or less",
}
YES_NO = [("yes", "Yes"), ("no", "No")]


def _helper(*fields, submit: str = "Save") -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("save", submit))
    return helper


def _yes_no(value: str):
    return {"yes": True, "no": False}.get(value)


class AwardField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, award):
        return f"{award.title} ({award.fund})"


class PaperField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, report):
        return f"{report.title}, panel meeting of {report.panel_meeting.date:%-d %B %Y}"


class DecisionForm(forms.ModelForm):
    decision_date = DateField(label="Date of the decision", required=False)
    significant_public_interest = forms.TypedChoiceField(
        label="Is it a decision of significant public interest?",
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        required=False,
        help_text="The Specified Information Order requires these to be published.",
    )
    priorities = PrioritiesChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Priorities it serves",
    )
    awards = AwardField(
        queryset=Award.objects.select_related("fund").order_by("-award_date", "title"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "govuk-select"}),
        label="Awards it made",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )
    papers = PaperField(
        queryset=Report.objects.select_related("panel_meeting").order_by(
            "-panel_meeting__starts_at", "agenda_order"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "govuk-select"}),
        label="Papers it was reported in",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )

    class Meta:
        model = Decision
        fields = ["title", "decision_date", "decision_maker", "summary", "background",
                  "options_considered", "decision_text", "reasons", "amount", "budget_line",
                  "financial_implications", "legal_implications", "equality_implications",
                  "significant_public_interest", "priorities", "awards", "papers",
                  "exempt_text", "exemption"]  # fmt: skip
        labels = {"decision_text": "The decision", "amount": "Amount (£, optional)"}
        field_classes = {"amount": NumberField}
        widgets = {
            "decision_maker": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "background": forms.Textarea(attrs={"rows": 5}),
            "options_considered": forms.Textarea(attrs={"rows": 4}),
            "decision_text": forms.Textarea(attrs={"rows": 3}),
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "financial_implications": forms.Textarea(attrs={"rows": 3}),
            "legal_implications": forms.Textarea(attrs={"rows": 3}),
            "equality_implications": forms.Textarea(attrs={"rows": 3}),
            "exempt_text": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "Enter the decision's title"},
            "summary": {"required": "Enter a summary of the decision"},
            "amount": MONEY_ERRORS,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.for_choices(user)
        self.fields["exemption"].choices = [("", "No part is exempt"), *Exemption.choices]
        self.fields["exemption"].label = "Reason the part is exempt"
        value = self.instance.significant_public_interest
        if value is not None and not self.is_bound:
            self.initial["significant_public_interest"] = "yes" if value else "no"
        self.helper = _helper(
            Field.text("title"),
            "decision_date",
            Field.radios("decision_maker", legend_size=Size.SMALL),
            Field.textarea("summary"),
            Field.textarea("background"),
            Field.textarea("options_considered"),
            Field.textarea("decision_text"),
            Field.textarea("reasons"),
            Field.text("amount", field_width=Fixed.TEN),
            Field.text("budget_line"),
            Field.textarea("financial_implications"),
            Field.textarea("legal_implications"),
            Field.textarea("equality_implications"),
            Field.radios("significant_public_interest", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
            Field.select("awards"),
            Field.select("papers"),
            Field.textarea("exempt_text"),
            Field.select("exemption"),
        )

    def clean_significant_public_interest(self):
        value = self.cleaned_data.get("significant_public_interest")
        return value if value in (True, False) else None


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Why are you returning it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why the decision is returned"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"), "version", submit="Return to staff")


def month_choices(today: datetime.date | None = None, keep: datetime.date | None = None):
    """A year back to two years ahead, as "2021-04" -> "April 2021" (and `keep`, if older)."""
    today = today or timezone.localdate()
    months = []
    year, month = today.year - 1, today.month
    for _ in range(37):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if keep and keep.replace(day=1) not in months:
        months.insert(0, keep.replace(day=1))
    return [(day.strftime("%Y-%m"), day.strftime("%B %Y")) for day in months]


class ForwardPlanEntryForm(forms.ModelForm):
    expected_month = forms.TypedChoiceField(
        label="Month the decision is expected",
        coerce=lambda value: datetime.date.fromisoformat(f"{value}-01"),
        error_messages={
            "required": "Choose the month the decision is expected",
            "invalid_choice": "Choose a month from the list",
        },
    )
    priorities = PrioritiesChoiceField(
        queryset=Priority.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ForwardPlanEntry
        fields = ["title", "summary", "decision_maker", "expected_month",
                  "significant_public_interest", "priorities"]  # fmt: skip
        widgets = {
            "decision_maker": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "Enter the decision's title"},
            "summary": {"required": "Enter what is to be decided"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.for_choices(user)
        month = self.instance.expected_month if self.instance.pk else None
        self.fields["expected_month"].choices = [("", ""), *month_choices(keep=month)]
        if month and not self.is_bound:
            self.initial["expected_month"] = month.strftime("%Y-%m")
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("summary"),
            Field.radios("decision_maker", legend_size=Size.SMALL),
            Field.select("expected_month"),
            Field.checkbox("significant_public_interest"),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
        )
