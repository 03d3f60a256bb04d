"""The shared helpers every app uses for numbers, dates and user text."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from pcc_portal.markdown import render_markdown
from pcc_portal.numbers import format_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("42.00"), "42"),
        (Decimal("1250.50"), "1,250.5"),
        (Decimal("-3.25"), "-3.25"),
        (Decimal("1275000"), "1,275,000"),
        (None, ""),
        (0, "0"),
    ],
)
def test_numbers_are_written_without_trailing_zeros(value, expected):
    assert format_number(value) == expected


def render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


def test_dates_and_financial_years_are_written_the_panels_way():
    assert render("{{ d|long_date }}", d=datetime.date(2021, 3, 8)) == "8 March 2021"
    assert render("{{ y|financial_year }}", y=2020) == "2020/21"
    assert render("{{ y|financial_year }}", y=2099) == "2099/00"


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="http://example.com/x.png">',
        '<img src=x onerror="alert(1)">',
        '<iframe src="https://example.com/"></iframe>',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "<style>body{display:none}</style>",
    ],
)
def test_markdown_drops_script_images_frames_and_javascript_links(dangerous):
    html = str(render_markdown(f"Before {dangerous} after"))
    for forbidden in ("<script", "<img", "<iframe", "javascript:", "onerror", "<style"):
        assert forbidden not in html
    assert "Before" in html and "after" in html


def test_markdown_keeps_paragraphs_lists_emphasis_and_safe_links():
    html = str(render_markdown("Para one.\n\n* a **bold** point\n* [site](https://example.org)"))
    assert '<p class="govuk-body">Para one.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
