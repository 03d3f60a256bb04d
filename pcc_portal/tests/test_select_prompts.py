"""Selects start with a prompt that names what to choose, not "- Select an option -"."""

import pytest
from django import forms
from django.contrib.auth.models import Group

from pcc_portal.forms import prompt_selects, select_prompt


@pytest.mark.parametrize(
    ("label", "prompt"),
    [
        ("Panel meeting", "Choose a panel meeting"),
        ("Task group (optional)", "Choose a task group"),
        ("Organisation", "Choose an organisation"),
        ("Funder?", "Choose a funder"),
    ],
)
def test_a_prompt_names_the_field(label, prompt):
    assert select_prompt(label) == prompt


class ChoicesForm(forms.Form):
    group = forms.ModelChoiceField(Group.objects.none(), label="Panel meeting")
    named = forms.ModelChoiceField(Group.objects.none(), empty_label="No lead named")
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], label="Organisation")
    kept = forms.ChoiceField(choices=[("", "Not about a particular quarter"), ("q", "Q")])
    radio = forms.ChoiceField(
        choices=[("", "- Select an option -"), ("in", "In"), ("out", "Out")],
        widget=forms.RadioSelect,
    )
    maybe = forms.ChoiceField(
        choices=[("", "---------"), ("x", "X")], widget=forms.RadioSelect, required=False
    )


def test_generic_blank_choices_become_prompts_and_named_ones_stay():
    form = ChoicesForm()
    prompt_selects(form)
    assert form.fields["group"].empty_label == "Choose a panel meeting"
    assert form.fields["named"].empty_label == "No lead named"
    assert form.fields["kind"].choices[0] == ("", "Choose an organisation")
    assert form.fields["kept"].choices[0] == ("", "Not about a particular quarter")
    assert [value for value, _ in form.fields["radio"].choices] == ["in", "out"]
    assert form.fields["maybe"].choices[0] == ("", "None")
