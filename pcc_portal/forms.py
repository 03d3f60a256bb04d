import datetime
from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import timezone


def checkbox_fieldset(name: str, *, legend: str, item_label: str) -> Field:
    """A yes-or-no checkbox laid out as GOV.UK's checkboxes with a question: a fieldset whose
    legend is `legend`, the field's hint under it, then the checkbox labelled `item_label`."""
    return Field(
        name,
        template="components/_checkbox_fieldset.html",
        context={"legend": legend, "item_label": item_label},
    )


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


NEW_PASSWORD_HINT = (
    "At least 12 characters. Three or four random words together make a good password, "
    "for example: kettle orchard lantern moss"
)


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"})


def _gov_uk_helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(
        *(Field.text(name, field_width=20) for name in fields), Submit("submit", submit)
    )
    helper.label_size = Size.SMALL
    return helper


class NewPasswordMixin:
    """The two new-password inputs, in the portal's words. Django's validators check them."""

    def set_up_new_password_fields(self):
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = "New password", "Confirm new password"
        first.help_text = NEW_PASSWORD_HINT
        second.help_text = ""
        first.widget = _password_input("new-password")
        second.widget = _password_input("new-password")
        first.error_messages["required"] = "Enter a new password"
        second.error_messages["required"] = "Enter the new password again to confirm it"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The new passwords do not match. Enter the same password twice",
        }


class PortalPasswordChangeForm(NewPasswordMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].widget = _password_input("current-password")
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Enter it again",
        }
        self.set_up_new_password_fields()
        self.helper = _gov_uk_helper(
            "old_password", "new_password1", "new_password2", submit="Change password"
        )


class PortalSetPasswordForm(NewPasswordMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_up_new_password_fields()
        self.helper = _gov_uk_helper("new_password1", "new_password2", submit="Save new password")


class PortalPasswordResetForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address the office has for your account."
        email.error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.org",
        )
        email.widget.attrs.update(spellcheck="false")
        self.helper = _gov_uk_helper("email", submit="Send the link")


class TwoFactorCodeForm(forms.Form):
    """One code: the 6 digits an authenticator app shows, or (when signing in) a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        error_messages={"required": "Enter the code your authenticator app shows"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args, check, hint: str = "", submit: str = "Continue", **kwargs):
        """`check(code)` is the service that accepts the code or refuses it with a message."""
        super().__init__(*args, **kwargs)
        self._check = check
        self.fields["code"].help_text = hint
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("code", field_width=10), Submit("submit", submit))
        self.helper.label_size = Size.SMALL

    def clean_code(self):
        self.accepted = self._check(self.cleaned_data["code"])
        return self.cleaned_data["code"]


class PasswordConfirmForm(forms.Form):
    """Asks for the user's password again before something that weakens their sign-in."""

    password = forms.CharField(
        label="Your password",
        widget=_password_input("current-password"),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, user, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("password", field_width=20),
            Submit("submit", submit, css_class="govuk-button--warning"),
        )
        self.helper.label_size = Size.SMALL

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("Your password is not right. Enter it again")
        return self.cleaned_data["password"]


class EmailPreferencesForm(forms.Form):
    """One checkbox for each kind of email the user may receive; ticked ones stay on."""

    receive = forms.MultipleChoiceField(
        label="Which emails do you want?",
        help_text="Untick an email to stop getting it. You can turn it back on here at any time.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose from the emails listed: “%(value)s” is not one of them"
        },
    )

    def __init__(self, *args, kinds, **kwargs):
        """`kinds`: the EmailKinds the user may receive (pcc_portal.notifications)."""
        super().__init__(*args, **kwargs)
        self.fields["receive"].choices = [
            Choice(kind.key, kind.label, hint=f"{kind.hint} For {kind.audience}.") for kind in kinds
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkboxes("receive", legend_size=Size.MEDIUM), Submit("submit", "Save")
        )


class DateWidget(DateInputWidget):
    """The GOV.UK date input, without an empty `aria-describedby` on a day, month or year.

    crispy-forms-gds blanks the attribute on every part of a date with an error and then adds
    the ids of the part's own errors only: a part without one would be rendered with
    `aria-describedby=""`, which is not valid HTML. The error is read out from the fieldset.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget in context["widget"]["subwidgets"]:
            if not subwidget["attrs"].get("aria-describedby", True):
                del subwidget["attrs"]["aria-describedby"]
        return context


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year), with messages that name the field."""

    widget = DateWidget

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
    return timezone.make_aware(datetime.datetime.combine(day, time))


class VersionField(forms.CharField):
    """The hidden version of a record the user opened: a number, or -1 when it is missing or
    not a number (which no record has, so the save is refused as stale)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return int(value) if value.isdigit() and len(value) < 10 else -1

    def validate(self, value):
        pass  # never an error of its own: a bad version shows as the conflict page

    def run_validators(self, value):
        pass


def add_version_field(form) -> None:
    """Adds the hidden version the user opened to a form of a versioned record. A missing or
    tampered version matches none, so the save is refused as stale, never made unchecked."""
    form.fields["version"] = VersionField(initial=form.instance.version)
    layout = getattr(getattr(form, "helper", None), "layout", None)
    if layout is not None and "version" not in [n for n in layout.fields if isinstance(n, str)]:
        layout.fields.insert(0, "version")


class PublicationForm(forms.Form):
    """What to do on a publication page: the button pressed (publish, unpublish, discard),
    the revision of the changes the page showed, which change (to discard one), and whether
    a destructive step was confirmed."""

    CHOOSE = "Choose whether to publish, unpublish or discard the changes"

    action = forms.ChoiceField(
        choices=[("publish", "Publish"), ("unpublish", "Unpublish"), ("discard", "Discard")],
        widget=forms.HiddenInput,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    reviewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    confirm = forms.CharField(widget=forms.HiddenInput, required=False, max_length=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reviewed(self) -> int:
        # What the page showed; anything else (missing, tampered) matches no revision.
        value = self.cleaned_data["reviewed"]
        return int(value) if value.isdigit() and len(value) < 10 else -1

    def clean(self):
        # The choice is a button, not a field: say what is wrong at the top of the page.
        if self.has_error("action"):
            raise forms.ValidationError(self.CHOOSE)
        return super().clean()


# The blank choice Django puts first in a select ("- Select an option -", or "---------").
GENERIC_BLANKS = {"", "---------", str(BLANK_CHOICE_LABEL)}


def select_prompt(label: str) -> str:
    """A select's first choice in words: "Panel meeting (optional)" -> "Choose a panel meeting"."""
    what = str(label).removesuffix("(optional)").strip().rstrip("?:.")
    what = what[:1].lower() + what[1:] if what[1:2].islower() else what
    article = "an" if what[:1].lower() in "aeiou" else "a"
    return f"Choose {article} {what}"


def prompt_selects(form) -> None:
    """Give every single-choice select of the form a real prompt in place of Django's generic
    blank choice ("Choose a panel meeting"), and radios no generic blank choice; a field that
    names its own (`empty_label`, or a labelled blank choice) keeps it. Record forms get this
    from `RecordFormMixin`; other forms call it themselves."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect) and isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]) in GENERIC_BLANKS:
                # A radio needs no blank choice: a required one has none, an optional "None".
                field.choices = choices[1:] if field.required else [("", "None"), *choices[1:]]
            continue
        if not isinstance(field.widget, forms.Select) or isinstance(
            field.widget, forms.SelectMultiple
        ):
            continue
        prompt = select_prompt(field.label or "")
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None and str(field.empty_label) in GENERIC_BLANKS:
                field.empty_label = prompt
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]) in GENERIC_BLANKS:
                field.choices = [("", prompt), *choices[1:]]
