from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": ("Enter a correct user name and password. Both are case-sensitive."),
        "inactive": "This account has been switched off. Ask the office to switch it back on.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["username"].error_messages["required"] = "Enter your user name"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Submit("submit", "Sign in"),
        )
        self.helper.label_size = Size.SMALL


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year), with messages that name the field."""

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        super().__init__(label=label, required=required, **kwargs)
        what = label.lower()
        self.error_messages.update(
            required=f"Enter the {what}",
            incomplete=f"Enter the {what} as a day, month and year",
            invalid=f"The {what} must be a real date",
        )

    def compress(self, data_list):
        try:
            day = super().compress(data_list)
        except (ValueError, TypeError, OverflowError, forms.ValidationError):
            # OverflowError: a day, month or year of 20 digits is too large for a date at all.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if day and not 1990 <= day.year <= 2100:
            raise forms.ValidationError(
                f"Enter the year of the {self.label.lower()} as 4 digits, like 2021", code="year"
            )
        return day


class NumberField(forms.DecimalField):
    """A number as people type it: 1,250 or £13,500.50 are read as 1250 and 13500.50."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("£", "").strip()
        return super().to_python(value)

    def prepare_value(self, value):
        from decimal import Decimal

        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


class TimeField(forms.TimeField):
    def __init__(self, *, label: str = "Time", **kwargs):
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 14:00.")
        super().__init__(label=label, input_formats=["%H:%M", "%H.%M", "%H%M"], **kwargs)
        self.error_messages.update(
            required="Enter the time", invalid="Enter a time like 14:00, using the 24-hour clock"
        )
        self.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


def combine_date_time(day, time):
    """A date and a wall-clock time in the portal's time zone, as an aware datetime."""
    import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, time))
