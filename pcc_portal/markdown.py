"""The one way user-written text becomes HTML: Markdown, then sanitised.

Everything users type (commentary, notes, paper sections) goes through `render_markdown`, so no
raw HTML from a user reaches a page or a PDF: HTML typed into the text is shown as text, and
the sanitiser removes anything else unsafe Markdown could produce (`javascript:` links, images:
a paper never fetches another site).
"""

import re
import xml.etree.ElementTree as etree

import markdown as _markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# The hint of every field written in Markdown: what a person may type, not the format's name.
MARKDOWN_HINT = (
    "You can use headings (#), lists (- or 1.), links ([text](https://...)) and bold (**text**)."
)

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
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope"},
    "td": set(),
    "p": {"id"},
    "span": {"class"},
}
_PARAGRAPH_ID = re.compile(r"^p[0-9]+$")
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
    "h1": "govuk-heading-m",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
    "table": "govuk-table",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
}


class _NumberParagraphs(Treeprocessor):
    """Numbers the top-level paragraphs (not headings, lists or tables), from `start`."""

    def __init__(self, md, start: int):
        super().__init__(md)
        self.next_number = start

    def run(self, root):
        for element in root:
            if element.tag != "p":
                continue
            number = self.next_number
            self.next_number += 1
            element.set("id", f"p{number}")
            label = etree.Element("span")
            label.set("class", "paper-para__number")
            label.text = f"{number}."
            label.tail = " " + (element.text or "")
            element.text = None
            element.insert(0, label)


class _Numbering(Extension):
    def __init__(self, start: int):
        super().__init__()
        self.start = start

    def extendMarkdown(self, md):
        self.processor = _NumberParagraphs(md, self.start)
        md.treeprocessors.register(self.processor, "number_paragraphs", 1)


class _NoRawHtml(Extension):
    """Users write Markdown, not HTML: typed tags are shown as text, never parsed."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    # Paragraph anchors are made by the numbering, never taken from what a user typed.
    if attribute == "id":
        return value if element == "p" and _PARAGRAPH_ID.match(value) else None
    if attribute == "class" and element == "span":
        return value if value == "paper-para__number" else None
    return value


def render_markdown(text: str | None) -> SafeString:
    """Markdown to sanitised HTML with GOV.UK classes; empty text gives an empty string."""
    return _render(text, extensions=[])


def render_numbered_markdown(text: str | None, start: int) -> tuple[SafeString, int]:
    """Like render_markdown, numbering top-level paragraphs from `start` (with #pN anchors).

    Returns the HTML and the number the next paragraph should have.
    """
    numbering = _Numbering(start)
    html = _render(text, extensions=[numbering])
    return html, getattr(getattr(numbering, "processor", None), "next_number", start)


def _render(text: str | None, extensions) -> SafeString:
    if not text or not text.strip():
        return mark_safe("")
    html = _markdown.markdown(
        text,
        extensions=["tables", "sane_lists", _NoRawHtml(), *extensions],
        output_format="html",
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: {"class": css} for tag, css in _CLASSES.items()},
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )
    return mark_safe(clean)
