"""The form staff upload a duty's document with."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from decisions.duties import DOCUMENT_TYPES, DutyDocument, validate_duty_file
from pcc_portal.forms import DateField


class DutyDocumentForm(forms.ModelForm):
    published_on = DateField(label="Date published")
    covers_from = DateField(label="First day of the period it covers", required=False)
    covers_to = DateField(label="Last day of the period it covers", required=False)

    class Meta:
        model = DutyDocument
        fields = ["title", "file", "link", "published_on", "covers_from", "covers_to"]
        widgets = {"link": forms.TextInput(attrs={"spellcheck": "false", "inputmode": "url"})}
        error_messages = {
            "title": {"required": "Enter the document's title"},
            "link": {"invalid": "Enter a web address, like https://www.example.org/budget.pdf"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covers_from"].help_text = DutyDocument._meta.get_field("covers_from").help_text
        self.fields["file"].validators = [validate_duty_file]
        self.fields["file"].error_messages["empty"] = "The selected file is empty"
        self.fields["file"].widget = forms.FileInput(attrs={"accept": ",".join(DOCUMENT_TYPES)})
        self.fields["file"].help_text = DutyDocument._meta.get_field("file").help_text
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("title"),
            Field("file"),
            Field.text("link"),
            "published_on",
            "covers_from",
            "covers_to",
            Submit("save", "Save the document"),
        )

    def _post_clean(self):
        if self.has_error("file"):
            return  # the file's own message says what is wrong; nothing more to check
        super()._post_clean()
