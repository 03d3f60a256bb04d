"""The one way user-written text becomes HTML: Markdown, then sanitised.

Everything users type (commentary, notes, paper sections) goes through `render_markdown`, so no
raw HTML from a user reaches a page or a PDF: script, style, iframes, event handlers and
`javascript:` links are removed, and images are dropped (a paper never fetches another site).
"""

import markdown as _markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# GOV.UK classes for the elements Markdown makes, so user text looks like the rest of the page.
_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "table": "govuk-table",
}


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML with GOV.UK classes; empty text gives an empty string."""
    if not text or not text.strip():
        return mark_safe("")
    html = _markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: {"class": css} for tag, css in _CLASSES.items()},
        strip_comments=True,
    )
    return mark_safe(clean)
