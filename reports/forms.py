from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size, Submit
from django import forms

from funding.models import Fund
from pcc_portal.forms import DateField
from pcc_portal.models import OfficeProfile
from plan.fields import QuarterField
from plan.models import Priority
from reports.models import Report, ReportSection
from scrutiny.models import PanelMeeting, TaskGroup


class PanelMeetingField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return f"{meeting.starts_at:%-d %B %Y}, {meeting.venue}"


class ReportForm(forms.ModelForm):
    panel_meeting = PanelMeetingField(
        queryset=PanelMeeting.objects.order_by("-starts_at"),
        label="Panel meeting",
        error_messages={"required": "Select the panel meeting the paper is for"},
    )
    quarter = QuarterField(label="Quarter reported on")

    class Meta:
        model = Report
        fields = ["panel_meeting", "title", "kind", "contact_name", "contact_phone",
                  "contact_email", "executive_summary", "recommendation", "signatory_name",
                  "signatory_title", "is_exempt", "agenda_order"]  # fmt: skip
        labels = {"agenda_order": "Order on the agenda"}
        widgets = {
            "kind": forms.RadioSelect,
            "executive_summary": forms.Textarea(attrs={"rows": 5}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
            "agenda_order": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "title": {"required": "Enter the paper's title"},
            "executive_summary": {"required": "Enter the executive summary"},
            "recommendation": {"required": "Enter the recommendation to the panel"},
            "contact_name": {"required": "Enter the contact officer"},
            "signatory_name": {"required": "Enter who signs the paper"},
            "signatory_title": {"required": "Enter the signatory's job title"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.period_id:
            self.initial.setdefault("quarter", self.instance.period.slug)
        if not self.instance.pk:
            office = OfficeProfile.load()
            self.initial.update(
                contact_name=office.contact_officer_name,
                contact_phone=office.contact_officer_phone,
                contact_email=office.contact_officer_email,
                signatory_name=office.signatory_name,
                signatory_title=office.signatory_title,
                recommendation="The panel is asked to consider the report.",
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("panel_meeting"), Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL), Field.select("quarter"),
            Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_phone", field_width=Fixed.TWENTY),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
            Field.textarea("executive_summary"), Field.textarea("recommendation"),
            Field.text("signatory_name", field_width=Fluid.TWO_THIRDS),
            Field.text("signatory_title", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("is_exempt"), Field.text("agenda_order", field_width=Fixed.TWO),
            Submit("save", "Save the paper"),
        )  # fmt: skip


class FundChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, fund):
        return fund.name


class PriorityChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, priority):
        return f"{priority.title} ({priority.plan.period_label})"


class SectionForm(forms.ModelForm):
    """A section; which parameters it asks for depends on its kind."""

    direction = forms.ChoiceField(
        label="Money", required=False, widget=forms.RadioSelect, choices=Fund.Direction.choices
    )
    funds = FundChoice(
        queryset=Fund.objects.order_by("direction", "name"), to_field_name="slug",
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every fund in that direction.",
    )  # fmt: skip
    financial_year = forms.TypedChoiceField(
        label="Financial year", required=False, coerce=int, empty_value=None,
        help_text="Or give a date range below.",
    )  # fmt: skip
    date_from = DateField(label="Awarded on or after", required=False)
    date_to = DateField(label="Awarded on or before", required=False)
    priorities = PriorityChoice(
        queryset=Priority.objects.select_related("plan").order_by(
            "-plan__start_year", "kind", "order"
        ),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every priority.",
    )  # fmt: skip
    task_group = forms.ModelChoiceField(
        queryset=TaskGroup.objects.order_by("title"), to_field_name="slug", required=False,
        label="Task group",
    )  # fmt: skip

    PARAMS = {
        "funding_table": ["direction", "funds", "financial_year", "date_from", "date_to"],
        "outcome_measures": ["priorities"],
        "open_actions": ["priorities"],
        "recommendations": ["task_group"],
    }

    class Meta:
        model = ReportSection
        fields = ["heading", "body"]
        labels = {"body": "Text"}
        help_texts = {
            "body": "Markdown. Each paragraph is numbered in the paper; headings (##) and "
            "bullet lists (*) are not. Typed HTML is shown as text."
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = self.PARAMS.get(kind, [])
        if "financial_year" in self.fields:
            from django.utils import timezone

            this_year = timezone.localdate().year
            self.fields["financial_year"].choices = [("", "Any year")] + [
                (year, f"{year}/{(year + 1) % 100:02d}") for year in range(this_year, 2009, -1)
            ]
        optional = ["direction", "funds", "financial_year", "date_from", "date_to", "priorities",
                    "task_group"]  # fmt: skip
        for name in optional:
            if name not in wanted:
                del self.fields[name]
        params = self.instance.params or {}
        for name in wanted:
            if name in params and name not in self.initial:
                self.initial[name] = params[name]
        if kind == "funding_table":
            self.fields["direction"].required = True
            self.fields["direction"].error_messages["required"] = (
                "Choose whether the table shows money secured or money granted"
            )
        if kind == "recommendations":
            self.fields["task_group"].required = True
            self.fields["task_group"].error_messages["required"] = "Select the task group"
        layout = [Field.text("heading"), Field.textarea("body")]
        for name in wanted:
            if name in ("funds", "priorities"):
                layout.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
            elif name == "direction":
                layout.append(Field.radios(name, legend_size=Size.SMALL))
            elif name in ("task_group", "financial_year"):
                layout.append(Field.select(name))
            else:
                layout.append(name)
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout, Submit("save", "Save the section"))

    def clean(self):
        cleaned = super().clean()
        params = {}
        for name in self.PARAMS.get(self.kind, []):
            value = cleaned.get(name)
            if name == "funds":
                value = [fund.slug for fund in value or []]
            elif name == "priorities":
                value = [priority.pk for priority in value or []]
            elif name == "task_group":
                value = value.slug if value else ""
            elif name in ("date_from", "date_to"):
                value = value.isoformat() if value else ""
            if value:
                params[name] = value
        self.instance.kind = self.kind
        self.instance.params = params
        return cleaned
