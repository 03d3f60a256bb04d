"""The shared GOV.UK date input: a part of a wrong date points at nothing by no empty ARIA."""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django import forms

from pcc_portal.forms import DateField


class DatedForm(forms.Form):
    day = DateField(label="Meeting date")
    hinted = DateField(label="Deadline", required=False, help_text="For example, 27 3 2021.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


@pytest.mark.parametrize(
    "data",
    [
        {},  # missing
        {"day_0": "31", "day_1": "2", "day_2": "2021"},  # not a real date
        {"day_0": "x", "day_1": "", "day_2": "2021"},  # one part wrong, one missing
        {"day_0": "1", "day_1": "2", "day_2": "21", "hinted_0": "40", "hinted_1": "1"},
    ],
)
def test_no_part_of_a_date_renders_an_empty_aria_describedby(data):
    form = DatedForm(data)
    assert not form.is_valid()
    html = render_crispy_form(form)
    assert 'aria-describedby=""' not in html
    assert "govuk-error-message" in html  # the error is shown, read from the fieldset


def test_a_valid_date_renders_as_before():
    html = render_crispy_form(DatedForm({"day_0": "1", "day_1": "2", "day_2": "2021"}))
    assert 'name="day_0"' in html and 'value="2021"' in html
    assert 'aria-describedby=""' not in html
