from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms


class FilterForm(forms.Form):
    """A filter form laid out in a column beside the results, submitted by GET.

    Wrong values get a message naming the field; the other filters still apply.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = f"Choose a {field.label.lower()} from the list"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            *[
                Field(name, context={"label_size": Size.SMALL, "legend_size": Size.SMALL})
                for name in self.fields
            ],
            Submit("filter", "Apply filters"),
        )
