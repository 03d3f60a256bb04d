"""The shared helpers every app uses for numbers, dates and user text."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
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


def test_dates_are_written_the_panels_way():
    assert render("{{ d|long_date }}", d=datetime.date(2021, 3, 8)) == "8 March 2021"


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
def test_markdown_never_makes_script_images_frames_or_javascript_links(dangerous):
    html = str(render_markdown(f"Before {dangerous} after"))
    page = BeautifulSoup(html, "html.parser")
    assert page.find(["script", "img", "iframe", "style", "object", "embed"]) is None
    assert all(not attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs)
    assert all("javascript:" not in (a.get("href") or "") for a in page.find_all("a"))
    assert "Before" in page.text and "after" in page.text


def test_typed_html_is_shown_as_text_not_parsed():
    html = str(render_markdown('<p id="p9" onclick="x()">Hi</p>'))
    assert "&lt;p" in html and "<p id" not in html


def test_numbered_paragraphs_continue_and_skip_headings_lists_and_tables():
    from pcc_portal.markdown import render_numbered_markdown

    html, following = render_numbered_markdown("One.\n\n## Head\n\nTwo.\n\n* a list", 11)
    page = BeautifulSoup(str(html), "html.parser")
    assert [p["id"] for p in page.find_all("p")] == ["p11", "p12"]
    assert page.find(id="p12").find(class_="paper-para__number").text == "12."
    assert following == 13


def test_markdown_keeps_paragraphs_lists_emphasis_and_safe_links():
    html = str(render_markdown("Para one.\n\n* a **bold** point\n* [site](https://example.org)"))
    assert '<p class="govuk-body">Para one.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html


@pytest.mark.parametrize("day", ["2021-02-30", "0000-00-00", "2021-13-01"])
def test_a_date_in_a_web_address_that_does_not_exist_matches_no_page(day):
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(f"/scrutiny/panel/{day}/")


def test_a_date_in_a_web_address_reaches_the_view_as_a_date_even_the_last_one():
    from django.urls import resolve, reverse

    assert resolve("/scrutiny/panel/9999-12-31/").kwargs == {"date": datetime.date.max}
    assert reverse("scrutiny:panel_meeting", kwargs={"date": datetime.date(2021, 10, 12)}) == (
        "/scrutiny/panel/2021-10-12/"
    )
