"""The portal's shared template filters: one each for Markdown and dates, used everywhere."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

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
