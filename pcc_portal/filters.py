from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

# Longer search text finds nothing more, and SQLite refuses a LIKE pattern past 50,000 bytes.
TEXT_MAX_LENGTH = 200
FIRST_YEAR_LISTED = 2016  # the portal's records start with the 2016 plan
# The classes themselves: a bare size ("s") in the context would render as class="s".
SMALL_LABEL = Size.for_label(Size.SMALL)
SMALL_LEGEND = Size.for_legend(Size.SMALL)


def calendar_year_choices() -> list[tuple[str, str]]:
    """Calendar years a meeting may be filtered by: next year back to 2016, newest first."""
    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year + 1, FIRST_YEAR_LISTED - 1, -1)]


class FilterForm(forms.Form):
    """A filter form laid out in a column beside the results, submitted by GET.

    Wrong values get a message naming the field; the other filters still apply.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = f"Choose a {field.label.lower()} from the list"
            if isinstance(field, forms.CharField) and field.max_length is None:
                limit_length(field, TEXT_MAX_LENGTH)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            *[
                Field(name, context={"label_size": SMALL_LABEL, "legend_size": SMALL_LEGEND})
                for name in self.fields
            ],
            Submit("filter", "Apply filters"),
        )


def limit_length(field: forms.CharField, limit: int) -> None:
    field.max_length = limit
    field.widget.attrs["maxlength"] = str(limit)
    field.validators.append(
        MaxLengthValidator(limit, message=f"{field.label} must be {limit} characters or fewer")
    )
