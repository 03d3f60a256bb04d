"""Every field written in Markdown says what a person may type, in the one shared hint."""

from django.apps import apps
from django.db import models

from pcc_portal.markdown import MARKDOWN_HINT, render_markdown
from plan.forms import MeasureUpdateForm
from reports.forms import SectionForm


def markdown_fields():
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and MARKDOWN_HINT in str(field.help_text)
    ]


def test_no_hint_just_says_markdown():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            hint = str(getattr(field, "help_text", ""))
            assert "Markdown" not in hint, f"{model.__name__}.{field.name}: {hint}"
    assert len(markdown_fields()) >= 10


def test_the_forms_that_set_their_own_hint_use_the_shared_one():
    assert MARKDOWN_HINT in MeasureUpdateForm().fields["commentary"].help_text
    assert MARKDOWN_HINT in SectionForm.base_fields["body"].help_text


def test_what_the_hint_offers_is_what_the_text_becomes():
    html = render_markdown("# Heading\n\n- one\n\n1. first\n\n[text](https://example.org) **bold**")
    for tag in ("<h", "<ul", "<ol", '<a href="https://example.org"', "<strong"):
        assert tag in html
