from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms

from decisions.inspections import Inspection, InspectionRecommendation
from pcc_portal.forms import DateField
from plan.fields import PrioritiesChoiceField, PriorityChoiceField
from plan.models import Priority
from scrutiny.models import Action, ScrutinyMeeting


def _helper(*fields, submit: str = "Save") -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("save", submit))
    return helper


class InspectionForm(forms.ModelForm):
    published_on = DateField(label="Date the report was published", required=False)
    comments_published_on = DateField(label="Date the comments were published", required=False)

    class Meta:
        model = Inspection
        fields = ["title", "kind", "published_on", "url", "comments", "comments_published_on",
                  "comments_url", "comments_unknown"]  # fmt: skip
        # A text box, not type=url: what was typed comes back as typed with the error message.
        link = forms.TextInput(attrs={"spellcheck": "false", "inputmode": "url"})
        widgets = {"kind": forms.RadioSelect, "comments": forms.Textarea(attrs={"rows": 6}),
                   "url": link, "comments_url": link}  # fmt: skip
        error_messages = {
            "title": {"required": "Enter the report's title"},
            "kind": {"required": "Choose the type of inspection"},
            "url": {"invalid": "Enter the link to the report, starting https://"},
            "comments_url": {"invalid": "Enter the link to the comments, starting https://"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].help_text = Inspection._meta.get_field("published_on").help_text
        self.helper = _helper(
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            "published_on",
            Field.text("url"),
            Field.textarea("comments"),
            "comments_published_on",
            Field.text("comments_url"),
            Field.checkbox("comments_unknown"),
        )


class RecommendationForm(forms.ModelForm):
    priorities = PrioritiesChoiceField(
        queryset=Priority.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = InspectionRecommendation
        fields = ["kind", "reference", "text", "force_response", "office_response", "owner",
                  "status", "priorities"]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4}),
            "force_response": forms.Textarea(attrs={"rows": 4}),
            "office_response": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"text": {"required": "Enter the text as the report gives it"}}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.for_choices(user)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("reference", field_width=Fluid.ONE_THIRD),
            Field.textarea("text"),
            Field.textarea("force_response"),
            Field.textarea("office_response"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field.radios("status", legend_size=Size.SMALL),
            Field.checkboxes("priorities", legend_size=Size.SMALL),
        )


class RaiseActionForm(forms.ModelForm):
    """An action in the tracker for a recommendation. Every action there belongs to a scrutiny
    meeting or a task group, so staff choose the meeting it is raised at."""

    due_date = DateField(label="Due date")
    meeting = forms.ModelChoiceField(
        queryset=ScrutinyMeeting.objects.none(),
        label="Scrutiny meeting the action is raised at",
        help_text="The action tracker lists actions by the meeting that raised them.",
        error_messages={
            "required": "Choose the scrutiny meeting the action is raised at",
            "invalid_choice": "Choose a scrutiny meeting from the list",
        },
    )

    class Meta:
        model = Action
        fields = ["meeting", "description", "owner", "due_date", "priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"priority": PriorityChoiceField}
        error_messages = {
            "description": {"required": "Enter what is to be done"},
            "owner": {"required": "Enter who owns the action"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = ScrutinyMeeting.objects.newest_first()
        self.fields["priority"].queryset = Priority.objects.for_choices(user)
        self.fields["priority"].required = False
        self.helper = _helper(
            Field.select("meeting"),
            Field.textarea("description"),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            "due_date",
            Field.select("priority"),
            submit="Raise the action",
        )
