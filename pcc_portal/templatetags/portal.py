"""The portal's shared template filters: one each for Markdown and dates, used everywhere."""

import datetime

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pcc_portal.markdown import render_markdown
from pcc_portal.numbers import format_file_size, format_money, format_number
from pcc_portal.people import display_name

register = template.Library()


@register.filter
def markdown(text):
    """User text as sanitised HTML."""
    return render_markdown(text)


@register.filter
def long_date(value):
    """8 March 2021."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_date(value, "j F Y")


@register.filter
def date_time(value):
    """8 March 2021 at 2:05pm."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local, 'j F Y')} at {format_date(local, 'g:iA').lower()}"


@register.filter
def meeting_when(meeting):
    """When a meeting starts: "8 March 2021 at 10:00am", or "8 March 2021 (time not recorded)"
    for a meeting whose time of day is not known. Takes a meeting, or a mapping with
    `starts_at` and `time_recorded`."""
    if not meeting:
        return ""
    get = (
        meeting.get
        if isinstance(meeting, dict)
        else lambda name, default=None: getattr(meeting, name, default)
    )
    starts_at = get("starts_at")
    if not starts_at:
        return ""
    if get("time_recorded", True):
        return date_time(starts_at)
    return f"{long_date(starts_at)} (time not recorded)"


# Tag colours for statuses and ratings; the word is always printed, colour only helps.
TAG_COLOURS = {
    "red": "red",
    "amber": "orange",
    "green": "green",
    "not_rated": "grey",
    "draft": "grey",
    "submitted": "blue",
    "approved": "green",
    "returned": "pink",
    "published": "green",
    "withdrawn": "grey",
    "locked": "grey",
    "scheduled": "blue",
    "held": "green",
    "rescheduled": "yellow",
    "cancelled": "grey",
    "open": "blue",
    "in_progress": "light-blue",
    "done": "green",
    "dropped": "grey",
    "overdue": "red",
    "active": "blue",
    "reported": "green",
    "closed": "grey",
    "awaiting_response": "yellow",
    "accepted": "green",
    "partly_accepted": "turquoise",
    "not_accepted": "red",
    "implemented": "green",
    "signed": "turquoise",
}


@register.simple_tag
def status_tag(value: str, label: str):
    """A GOV.UK tag with the status in words."""
    colour = TAG_COLOURS.get(value, "grey")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


@register.filter
def person(user) -> str:
    """A user's full name, else their user name."""
    return display_name(user) if user else ""


@register.filter
def number(value) -> str:
    """1,250 or 12.5."""
    return format_number(value)


@register.filter
def money(value) -> str:
    """£1,275,000, or £13,500.50."""
    return format_money(value)


@register.filter
def file_size(value) -> str:
    """212 KB, 1.4 MB: a download's size in bytes as people read it."""
    return format_file_size(value)


@register.simple_tag
def cell_label(label: str, unit: str = ""):
    """A record table's column label inside a cell, shown only where the rows stack (phones).

    Hidden from screen readers, which announce the cell's column header instead. With a unit,
    "Value (%)", as the column's header says.
    """
    if unit:
        label = f"{label} ({unit})"
    return format_html('<span class="portal-table__label" aria-hidden="true">{}</span>', label)


class WideTableNode(template.Node):
    def __init__(self, label, nodelist):
        self.label = label
        self.nodelist = nodelist

    def render(self, context):
        return render_to_string(
            "components/_wide_table.html",
            {
                "label": self.label.resolve(context),
                "table": mark_safe(self.nodelist.render(context)),
            },
        )


@register.tag
def wide_table(parser, token):
    """{% wide_table caption %}<table>...</table>{% endwide_table %}: a table that must keep its
    columns (figures side by side) scrolls sideways in a region of its own on a narrow screen,
    with a visible cue, its first column kept in view, and the region reachable by keyboard.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("wide_table takes one argument: the table's caption")
    nodelist = parser.parse(("endwide_table",))
    parser.delete_first_token()
    return WideTableNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag
def page_numbers(page_obj) -> list:
    """The page numbers a pagination shows: the first and last, and two either side of this
    one, with ellipses for the gaps; never every page, however many there are."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
