"""The form that uploads a spreadsheet to import: which kind of record, and the file."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings

from pcc_portal.numbers import format_file_size
from pcc_portal.transfer import TransferError, format_of


def upload_limit_text() -> str:
    return format_file_size(settings.PORTAL_UPLOAD_MAX_BYTES)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you importing?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you are importing",
            "invalid_choice": "Select what you are importing",
        },
    )
    file = forms.FileField(
        label="Upload the spreadsheet",
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or Excel file",
        },
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in kinds]
        self.fields["file"].help_text = (
            f"A CSV (.csv) or Excel (.xlsx) file of at most {upload_limit_text()}, with the "
            "template's column headers in its first row."
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field("file"),
            Submit("submit", "Preview the import"),
        )
        self.helper.label_size = Size.SMALL

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PORTAL_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {upload_limit_text()}"
            )
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        try:
            self.cleaned_data["format"] = format_of(upload.name)
        except TransferError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
