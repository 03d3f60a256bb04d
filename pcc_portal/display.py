"""A field's value as a person reads it: used wherever two versions of a record are compared
(the conflict page, changes waiting for approval)."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from pcc_portal.numbers import format_number
from pcc_portal.templatetags.portal import date_time, long_date

BLANK = "(blank)"


def value_display(field, value) -> str:
    """`value` of model or form `field` in words: choices by label, records by name, dates long."""
    if value is None or value == "" or value == []:
        return BLANK
    label_for_value = getattr(field, "label_for_value", None)
    if label_for_value is not None:  # a form field that names its own values (a quarter)
        return label_for_value(value)
    choices = getattr(field, "choices", None)
    if choices and not isinstance(value, models.Model | models.QuerySet | list | tuple):
        return str(dict(_flat(choices)).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, models.QuerySet | list | tuple | set):
        return "; ".join(str(item) for item in value) or BLANK
    if isinstance(value, FieldFile):
        return "A PDF file" if value else BLANK
    if isinstance(value, datetime.datetime):
        return date_time(value if timezone.is_aware(value) else timezone.make_aware(value))
    if isinstance(value, datetime.date):
        return long_date(value)
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield key, label
