import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.utils import timezone

from pcc_portal.forms import DateField, TimeField, checkbox_fieldset, combine_date_time
from pcc_portal.publication import held_new_values
from plan.fields import PrioritiesChoiceField, PriorityChoiceField, QuarterField
from plan.models import Priority
from scrutiny.models import (
    LONGEST_MEETING,
    SHORTEST_MEETING,
    Action,
    ActionNote,
    AgendaItem,
    Attendance,
    Declaration,
    Minutes,
    PanelMeeting,
    PanelMember,
    Recommendation,
    ScrutinyMeeting,
    ScrutinyPaper,
    ScrutinyTopic,
    TaskGroup,
)
from scrutiny.validators import validate_pdf

_LENGTH_RANGE = f"from {SHORTEST_MEETING} to {LONGEST_MEETING}"
LENGTH_ERRORS = {
    "required": "Enter how many minutes the meeting is expected to last",
    "invalid": f"Enter the expected length as a whole number of minutes, {_LENGTH_RANGE}",
    "min_value": f"The expected length must be {_LENGTH_RANGE} minutes",
    "max_value": f"The expected length must be {_LENGTH_RANGE} minutes",
}


def _helper(*fields, submit="Save") -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("save", submit))
    return helper


class MeetingTimeMixin:
    """A date and a time on the form, one `starts_at` on the model; and the expected length,
    which is the kind of meeting's default when left blank."""

    def init_expected_length(self):
        field = self.fields["expected_length"]
        field.required = False
        field.help_text = (
            f"{field.help_text} Leave blank for {self._meta.model.DEFAULT_LENGTH} minutes."
        )

    def clean_expected_length(self):
        length = self.cleaned_data.get("expected_length")
        return self._meta.model.DEFAULT_LENGTH if length is None else length

    def init_starts_at(self):
        if self.instance.pk and self.instance.starts_at:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", local.date())
            if self.instance.time_recorded:
                self.initial.setdefault("time", local.strftime("%H:%M"))

    def clean_starts_at(self, cleaned):
        """A blank time is a time not known: the meeting starts at the day's midnight, and
        pages, papers and calendars show only its date."""
        if not cleaned.get("date"):
            return
        if cleaned.get("time"):
            self.instance.starts_at = combine_date_time(cleaned["date"], cleaned["time"])
            self.instance.time_recorded = True
        elif "time" not in self._errors:
            self.instance.starts_at = combine_date_time(cleaned["date"], datetime.time())
            self.instance.time_recorded = False

    def _update_errors(self, errors):
        # The model speaks of starts_at; on the form that is the date.
        if hasattr(errors, "error_dict") and "starts_at" in errors.error_dict:
            errors.error_dict.setdefault("date", []).extend(errors.error_dict.pop("starts_at"))
        super()._update_errors(errors)


class ScrutinyMeetingForm(MeetingTimeMixin, forms.ModelForm):
    date = DateField(label="Date of the meeting")
    time = TimeField(
        required=False,
        help_text="Use the 24-hour clock, for example 14:00. Leave blank if not known.",
    )
    quarter = QuarterField(label="Quarter reviewed")

    class Meta:
        model = ScrutinyMeeting
        fields = [
            "kind",
            "title",
            "expected_length",
            "location",
            "status",
            "reschedule_reason",
            "rescheduled_to",
            "chair",
            "attendees",
            "note",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "reschedule_reason": forms.Textarea(attrs={"rows": 2}),
            "attendees": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 10}),
            "expected_length": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "title": {"required": "Enter the meeting's title"},
            "expected_length": LENGTH_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_starts_at()
        self.init_expected_length()
        if self.instance.period_id:
            self.initial.setdefault("quarter", self.instance.period.slug)
            self.fields["quarter"].offer(self.instance.period)
        later = ScrutinyMeeting.objects.exclude(pk=self.instance.pk).newest_first()
        self.fields["rescheduled_to"].queryset = later
        self.fields["rescheduled_to"].empty_label = "Choose the new meeting, if rescheduled"
        self.fields[
            "rescheduled_to"
        ].help_text = (
            "For a rescheduled meeting: record the new meeting first, then choose it here."
        )
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("title"),
            "date",
            Field.text("time", field_width=5),
            Field.text("expected_length", field_width=5),
            Field.text("location"),
            Field.select("quarter"),
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("reschedule_reason"),
            Field.select("rescheduled_to"),
            Field.text("chair", field_width=Fluid.TWO_THIRDS),
            Field.textarea("attendees"),
            Field.textarea("note", label_size=Size.SMALL),
        )

    def _post_clean(self):
        # The date and time become starts_at before the model's own rules are checked.
        self.clean_starts_at(self.cleaned_data)
        self.quarter = self.cleaned_data.get("quarter")
        super()._post_clean()


class ScrutinyTopicForm(forms.ModelForm):
    priorities = PrioritiesChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The priorities of the Police and Crime Plan this topic concerns.",
    )

    class Meta:
        model = ScrutinyTopic
        fields = ["title", "order", "priorities", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"title": {"required": "Enter the topic"}}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.for_choices(user)
        self.fields["order"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        self.helper = _helper(
            Field.text("title"),
            Field.text("order", field_width=3),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
            Field.textarea("summary"),
        )


class ScrutinyPaperForm(forms.ModelForm):
    class Meta:
        model = ScrutinyPaper
        fields = ["title", "received_from", "file", "link"]
        error_messages = {
            "title": {"required": "Enter the paper's title"},
            "link": {"invalid": "Enter a web address, like https://www.example.org/paper.pdf"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators = [validate_pdf]
        self.fields["file"].error_messages["empty"] = "The selected file is empty"
        self.fields["file"].widget = forms.FileInput(attrs={"accept": "application/pdf"})
        self.helper = _helper(
            Field.text("title"),
            Field.text("received_from"),
            Field("file"),
            Field.text("link"),
            submit="Add the paper",
        )

    def _post_clean(self):
        if self.has_error("file"):
            return  # the file's own message says what is wrong; nothing more to check
        super()._post_clean()


class ActionForm(forms.ModelForm):
    due_date = DateField(label="Due date")

    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "priority", "status", "dropped_reason"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
            "dropped_reason": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"priority": PriorityChoiceField}
        error_messages = {
            "description": {"required": "Enter what is to be done"},
            "owner": {"required": "Enter who owns the action"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.for_choices(user)
        self.fields["priority"].required = False
        self.helper = _helper(
            Field.textarea("description"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            "due_date",
            Field.select("priority"),
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("dropped_reason"),
        )


class ActionNoteForm(forms.ModelForm):
    written_on = DateField(label="Date of the note")

    class Meta:
        model = ActionNote
        fields = ["written_on", "text"]
        labels = {"text": "Progress"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Enter the progress made"}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("written_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = _helper("written_on", Field.textarea("text"), submit="Add the note")
        self.helper.form_tag = False


class PanelMeetingForm(MeetingTimeMixin, forms.ModelForm):
    date = DateField(label="Date of the meeting")
    time = TimeField(
        required=False,
        help_text="Use the 24-hour clock, for example 14:00. Leave blank if not known.",
    )

    class Meta:
        model = PanelMeeting
        fields = ["venue", "expected_length", "status", "has_exempt_items"]
        widgets = {
            "status": forms.RadioSelect,
            "expected_length": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "expected_length": LENGTH_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.init_starts_at()
        self.init_expected_length()
        self.helper = _helper(
            "date",
            Field.text("time", field_width=5),
            Field.text("expected_length", field_width=5),
            Field.text("venue"),
            Field.radios("status", legend_size=Size.SMALL),
            checkbox_fieldset(
                "has_exempt_items",
                legend="Exempt (Part II) items",
                item_label="The agenda has exempt items",
            ),
        )

    def _post_clean(self):
        self.clean_starts_at(self.cleaned_data)
        super()._post_clean()


class TaskGroupForm(forms.ModelForm):
    follow_up_date = DateField(label="Follow-up date", required=False)

    class Meta:
        model = TaskGroup
        fields = [
            "title",
            "slug",
            "reason",
            "chair",
            "members",
            "meeting_dates",
            "findings",
            "status",
            "follow_up_date",
        ]
        labels = {"slug": "Web address name"}
        help_texts = {"slug": "Letters, numbers and hyphens, e.g. neighbourhood-policing."}
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 4}),
            "members": forms.Textarea(attrs={"rows": 4}),
            "meeting_dates": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 8}),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Enter the task group's title"},
            "slug": {
                "required": "Enter a web address name, like neighbourhood-policing",
                "unique": "Another task group already has that web address name",
                "invalid": "Use only letters, numbers and hyphens in the web address name",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.text("slug", field_width=Fluid.TWO_THIRDS),
            Field.textarea("reason"),
            Field.text("chair", field_width=Fluid.TWO_THIRDS),
            Field.textarea("members"),
            Field.textarea("meeting_dates"),
            Field.textarea("findings"),
            Field.radios("status", legend_size=Size.SMALL),
            "follow_up_date",
        )


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["number", "text", "response", "status"]
        labels = {"text": "Recommendation"}
        widgets = {
            "number": forms.TextInput(attrs={"inputmode": "numeric"}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "number": {
                "required": "Enter the recommendation's number",
                "invalid": "Enter the number as a whole number, like 3",
            },
            "text": {"required": "Enter the recommendation"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("number", field_width=3),
            Field.textarea("text"),
            Field.textarea("response"),
            Field.radios("status", legend_size=Size.SMALL),
        )

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number < 1:
            raise forms.ValidationError("Enter the recommendation's number, 1 or more")
        return number

    def validate_unique(self):
        # task_group is set by the view, so check the number's uniqueness here with it.
        super().validate_unique()
        number = self.cleaned_data.get("number")
        group = self.instance.task_group_id
        if number and group:
            taken = Recommendation.objects.filter(task_group_id=group, number=number)
            waiting = held_new_values(self.instance.task_group, Recommendation, "number")
            if taken.exclude(pk=self.instance.pk).exists() or number in waiting:
                self.add_error("number", f"Recommendation {number} already exists in this group")


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "description", "is_exempt", "exempt_paragraph"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "exempt_paragraph": forms.RadioSelect,
        }
        error_messages = {"title": {"required": "Enter the item's title"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exempt_paragraph"].choices = [
            c for c in self.fields["exempt_paragraph"].choices if c[0] != ""
        ]
        self.helper = _helper(
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("description"),
            Field.checkbox("is_exempt"),
            Field.radios("exempt_paragraph", legend_size=Size.SMALL),
            submit="Save the item",
        )


class PanelMemberForm(forms.ModelForm):
    term_start = DateField(label="Start of term")
    term_end = DateField(label="End of term", required=False)

    class Meta:
        model = PanelMember
        fields = ["name", "council", "role", "term_start", "term_end"]
        widgets = {"role": forms.RadioSelect}
        error_messages = {"name": {"required": "Enter the member's name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in self.fields["role"].choices if c[0] != ""]
        self.fields["role"].error_messages["required"] = "Select the member's role"
        self.fields["term_end"].help_text = "Leave empty while the member is in office."
        self.helper = _helper(
            Field.text("name"),
            Field.text("council"),
            Field.radios("role", legend_size=Size.SMALL, inline=True),
            Field("term_start"),
            Field("term_end"),
            submit="Save the member",
        )


class AttendanceForm(forms.Form):
    """One page for the whole meeting: for each member in office on the day, whether they
    attended, sent apologies or were absent; and the versions of the records as opened."""

    def __init__(self, *args, members, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        layout = []
        for member in self.members:
            record = records.get(member.pk)
            name = f"member_{member.pk}"
            choose = f"Select whether {member.name} attended, sent apologies or was absent"
            self.fields[name] = forms.ChoiceField(
                label=f"{member.name} ({member.represents})",
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=record.status if record else None,
                error_messages={"required": choose, "invalid_choice": choose},
            )
            self.fields[f"version_{member.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                initial=record.version if record else None,
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
            layout.append(Field(f"version_{member.pk}"))
        self.helper = _helper(*layout, submit="Save the attendance")

    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members}

    def versions(self) -> dict[int, int]:
        return {
            m.pk: self.cleaned_data[f"version_{m.pk}"]
            for m in self.members
            if self.cleaned_data.get(f"version_{m.pk}") is not None
        }


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = Declaration
        fields = ["item", "member", "interest"]
        widgets = {"interest": forms.Textarea(attrs={"rows": 3})}
        labels = {"item": "Agenda item", "member": "Member"}
        error_messages = {
            "item": {
                "required": "Select the agenda item",
                "invalid_choice": "Select the agenda item",
            },
            "member": {"required": "Select the member", "invalid_choice": "Select the member"},
            "interest": {"required": "Enter the interest declared"},
        }

    def __init__(self, *args, items, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda item: item.shown_title
        self.fields["member"].queryset = members
        self.helper = _helper(
            Field("item"), Field("member"), Field.textarea("interest"), submit="Add the declaration"
        )


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["text", "file"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].validators = [validate_pdf]
        self.fields["file"].error_messages["empty"] = "The selected file is empty"
        self.fields["file"].widget = forms.FileInput(attrs={"accept": "application/pdf"})
        self.fields["file"].help_text = "Or upload the minutes as a PDF instead of typing them."
        self.helper = _helper(Field.textarea("text"), Field("file"), submit="Save the minutes")

    def _post_clean(self):
        if self.has_error("file"):
            return
        super()._post_clean()
