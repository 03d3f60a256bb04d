from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.utils import timezone

from pcc_portal.filters import SMALL_LABEL
from pcc_portal.forms import DateField, checkbox_fieldset
from pcc_portal.markdown import MARKDOWN_HINT
from pcc_portal.models import OfficeProfile
from plan.fields import QuarterField
from plan.models import Plan
from plan.periods import financial_year_label
from reports.models import Report, ReportSection
from reports.sections import section_kind
from reports.selectors import next_agenda_order
from scrutiny.models import AgendaItem, PanelMeeting


class PanelMeetingField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return f"{meeting.date:%-d %B %Y}, {meeting.venue or 'venue not recorded'}"


class PlanField(forms.ModelChoiceField):
    def label_from_instance(self, plan):
        return f"{plan.title} ({plan.police_area}, {plan.period_label})"


class AgendaItemField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        part = " (Part II)" if item.is_exempt else ""
        return f"{item.meeting.date:%-d %B %Y}: {item.title}{part}"


class ReportForm(forms.ModelForm):
    panel_meeting = PanelMeetingField(
        queryset=PanelMeeting.objects.order_by("-starts_at"),
        label="Panel meeting",
        error_messages={"required": "Select the panel meeting the paper is for"},
    )
    quarter = QuarterField(label="Quarter reported on")
    plan = PlanField(
        queryset=Plan.objects.order_by("-start_year", "title"),
        label="Plan reported on",
        required=False,
        empty_label="The plan in force in the quarter",
        help_text="Choose one only when more than one plan covers the quarter.",
    )
    agenda_item = AgendaItemField(
        queryset=AgendaItem.objects.select_related("meeting").order_by(
            "-meeting__starts_at", "is_exempt", "position", "pk"
        ),
        label="Agenda item",
        required=False,
    )
    as_at = DateField(
        label="Figures as at", required=False,
        help_text="The data sections show their figures as they stood on this date. "
        "Leave blank for the panel meeting's date.",
    )  # fmt: skip

    class Meta:
        model = Report
        fields = ["panel_meeting", "agenda_item", "title", "kind", "contact_name", "contact_phone",
                  "contact_email", "executive_summary", "recommendation", "signatory_name",
                  "signatory_title", "is_exempt", "agenda_order", "as_at", "plan"]  # fmt: skip
        labels = {"agenda_order": "Order on the agenda"}
        help_texts = {"agenda_order": "Leave blank to put the paper last on the agenda."}
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
        self.fields["agenda_order"].required = False
        meeting_id = getattr(self.initial.get("panel_meeting"), "pk", None) or (
            self.instance.panel_meeting_id
        )
        items = self.fields["agenda_item"]
        if meeting_id and not self.is_bound:
            items.queryset = items.queryset.filter(meeting_id=meeting_id)
        if self.instance.pk:
            items.empty_label = "Not on an agenda item yet"
        else:
            items.empty_label = "A new agenda item for this paper"
            items.help_text = (
                "Choose an item on the meeting's agenda, or leave the new item: it takes the "
                "paper's title. A Part II paper goes in a Part II item."
            )
        if not self.instance.pk:
            # Not the model's 1: the next free place on the chosen meeting's agenda, or blank
            # (last on the agenda) while no meeting is chosen.
            meeting = self.initial.get("panel_meeting") or self.instance.panel_meeting_id
            self.initial["agenda_order"] = next_agenda_order(meeting) if meeting else None
        if self.instance.period_id:
            self.initial.setdefault("quarter", self.instance.period.slug)
            self.fields["quarter"].offer(self.instance.period)
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
            Field.select("panel_meeting"), Field.select("agenda_item"), Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL), Field.select("quarter"),
            Field.select("plan"), Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_phone", field_width=Fixed.TWENTY),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
            Field.textarea("executive_summary"), Field.textarea("recommendation"),
            Field.text("signatory_name", field_width=Fluid.TWO_THIRDS),
            Field.text("signatory_title", field_width=Fluid.TWO_THIRDS),
            checkbox_fieldset(
                "is_exempt", legend="Exempt (Part II)",
                item_label="This paper is exempt: for panel members only",
            ), Field.text("agenda_order", field_width=Fixed.TWO),
            "as_at",
            Submit("save", "Save the paper"),
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("agenda_item")
        if item is None and not self.instance.pk and cleaned.get("is_exempt"):
            self.add_error(
                "agenda_item",
                "Select the Part II item the paper is for: a new item would be open to the public",
            )
        elif item is not None and cleaned.get("panel_meeting") not in (None, item.meeting):
            self.add_error("agenda_item", "Select an item on the agenda of the paper's meeting")
        elif item is not None and item.is_exempt and not cleaned.get("is_exempt", True):
            self.add_error("is_exempt", "A paper in a Part II item must be exempt")
        self._clean_plan(cleaned.get("plan"), cleaned.get("quarter"))
        return cleaned

    def _clean_plan(self, plan, quarter) -> None:
        """The plan must cover the quarter; with none chosen, only one plan may cover it."""
        if quarter is None:
            return
        year, number = quarter
        label = f"quarter {number} of {financial_year_label(year)}"
        if plan is not None and not plan.covers(year) and "plan" not in self.changed_data:
            # The plan the portal chose for the old quarter: choose again for the new one.
            plan = self.cleaned_data["plan"] = None
        if plan is not None and not plan.covers(year):
            self.add_error(
                "plan", f"The {plan.period_label} plan does not cover {label}: choose another"
            )
        elif plan is None and Plan.objects.covering(year).count() > 1:
            self.add_error(
                "plan", f"More than one plan covers {label}: choose the plan the paper reports on"
            )

    @property
    def new_item(self) -> bool:
        """Whether saving should put the new paper in a new item of its own."""
        return not self.instance.pk and self.cleaned_data.get("agenda_item") is None


class SectionForm(forms.ModelForm):
    """A section: its heading and text, and the parameters its kind asks for."""

    class Meta:
        model = ReportSection
        fields = ["heading", "body"]
        labels = {"body": "Text"}
        help_texts = {
            "body": f"{MARKDOWN_HINT} Each paragraph is numbered in the paper; headings and "
            "lists are not. Typed HTML is shown as text."
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, kind: str, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = section_kind(kind)
        parameters = self.kind.form_fields(user)
        self.fields.update(parameters)
        params = self.instance.params or {}
        for name in parameters:
            if name in params and name not in self.initial:
                self.initial[name] = params[name]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("heading"), Field.textarea("body"),
            *(self.kind.layout_for(name) for name in parameters),
            Submit("save", "Save the section"),
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        self.instance.kind = self.kind.value
        self.instance.params = self.kind.params_from(cleaned)
        return cleaned


class ReturnForm(forms.Form):
    """Returning a paper to staff: the reason is required."""

    reason = forms.CharField(
        label="Why is it being returned?",
        help_text="Staff see this reason on the paper and in their tasks until they submit "
        "it again.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why the paper is being returned"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.SMALL),
            "version",
            Submit("return", "Return to staff", css_class="govuk-button--warning"),
        )


class CompareForm(forms.Form):
    """Which two revisions of a paper to compare, by GET ("from" and "to", in either order)."""

    def __init__(self, *args, revisions: list, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (publication.revision, f"Revision {publication.revision} "
             f"({timezone.localtime(publication.published_at):%-d %B %Y})")
            for publication in revisions
        ]  # fmt: skip
        fields = (("from", "Compare revision", "from"), ("to", "with revision", "with"))
        for name, label, word in fields:
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int,
                error_messages={
                    "required": f"Choose the revision to compare {word}",
                    "invalid_choice": "Choose a revision of this paper from the list",
                },
            )  # fmt: skip
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field("from", context={"label_size": SMALL_LABEL}),
            Field("to", context={"label_size": SMALL_LABEL}),
            Submit("compare", "Compare revisions", css_class="govuk-button--secondary"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from") is not None and cleaned.get("from") == cleaned.get("to"):
            self.add_error("to", "Choose a different revision to compare with")
        return cleaned
