from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from alerts.models import Alert
from pcc_portal.searchable import search_kinds
from plan.models import Priority
from search.query import MAX_LENGTH, terms_parse


class AlertForm(forms.Form):
    """A new alert. What it follows comes from the page that offered it (hidden fields, checked
    here); a search's words may be changed; the public give their address."""

    what = forms.ChoiceField(choices=Alert.What.choices, widget=forms.HiddenInput)
    priority = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label="Words to search for",
        required=False,
        max_length=MAX_LENGTH,
        strip=True,
        help_text="You get an email when something new is published that matches them.",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="We send a link to this address: your alert starts once you confirm it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    frequency = forms.ChoiceField(
        label="How often do you want emails?",
        choices=Alert.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often you want emails"},
    )

    def __init__(self, *args, user, what=Alert.What.PAPERS, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [("", ""), *((k.name, k.label) for k in search_kinds())]
        shown = [Field.radios("frequency", legend_size=Size.SMALL)]
        if what == Alert.What.SEARCH:
            shown.insert(0, Field.text("q", field_width=20))
        else:
            self.fields["q"].widget = forms.HiddenInput()
        if user.is_authenticated:
            self.fields["email"].widget = forms.HiddenInput()
        else:
            shown.insert(0, Field.text("email", field_width=20))
            self.fields["email"].error_messages["required"] = "Enter your email address"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "what", "priority", "kind", *shown, Submit("submit", "Get email alerts")
        )
        self.helper.label_size = Size.SMALL

    def clean_email(self):
        email = self.cleaned_data.get("email") or ""
        if not self.user.is_authenticated and not email:
            raise forms.ValidationError(
                "Enter your email address, like name@example.com", code="required"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        what = cleaned.get("what")
        if what == Alert.What.PRIORITY:
            priority = cleaned.get("priority")
            if not priority or not Priority.objects.for_choices(self.user).filter(pk=priority):
                raise forms.ValidationError("This priority cannot be followed: it was not found.")
        else:
            cleaned["priority"] = None
        if what == Alert.What.SEARCH:
            if not terms_parse(cleaned.get("q") or ""):
                self.add_error("q", "Enter words to search for")
        else:
            cleaned["q"], cleaned["kind"] = "", ""
        if self.user.is_authenticated and not self.user.email:
            raise forms.ValidationError(
                "Your account has no email address: ask the office to add one."
            )
        return cleaned
