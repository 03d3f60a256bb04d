"""The conflict page every edit form shares: when someone saved first, the saved version and
the user's own side by side, with what the user typed kept in the form."""

import copy

from django.utils import timezone

from pcc_portal.display import value_display
from pcc_portal.forms import add_version_field
from pcc_portal.people import display_name
from pcc_portal.publication import held_change_of


def last_changed_by(record) -> tuple[str, object]:
    """Who last changed `record`, and when: its history, or the changes waiting for approval
    when those are newer (a held change is not in the record's history yet)."""
    history = getattr(record, "history", None)
    entry = history.select_related("history_user").first() if history is not None else None
    who, when = (
        (display_name(entry.history_user), entry.history_date)
        if entry is not None
        else (display_name(getattr(record, "updated_by", None)), record.updated_at)
    )
    held = held_change_of(record)
    if held is not None and (when is None or held.updated_at > when):
        return display_name(held.updated_by), held.updated_at
    return who, when


def conflict_message(record) -> str:
    who, when = last_changed_by(record)
    when = timezone.localtime(when)
    noun = record._meta.verbose_name
    return (
        f"This {noun} was changed by {who} at {when:%H:%M} on {when.day} {when:%B %Y} since "
        "you opened it. Your changes have not been saved: compare the two versions below, "
        "then save again to replace the saved version with yours."
    )


def _saved_value(form, current, name, unbound):
    field = form.fields[name]
    pending = getattr(current, "pending_m2m", {})
    if name in pending:
        return value_display(field, list(field.queryset.filter(pk__in=pending[name])))
    try:
        model_field = current._meta.get_field(name)
    except Exception:  # a form-only field (a date typed in parts, a quarter): as the form shows it
        initial = unbound.initial.get(name, field.initial)
        return value_display(
            field, field.to_python(initial) if isinstance(initial, str) else initial
        )
    if model_field.many_to_many:
        return value_display(field, list(getattr(current, name).all()))
    return value_display(model_field, getattr(current, name))


def conflict_form(form, current, make_form):
    """The form again, bound to what the user typed but at the saved version (so saving again
    replaces it knowingly), with the message, and rows of (label, saved, yours).

    `make_form(data, instance)` builds the page's form (data None: unbound).
    """
    unbound = make_form(None, current)
    rows = []
    for name, field in form.fields.items():
        if name == "version" or field.widget.is_hidden:
            continue
        saved = _saved_value(form, current, name, unbound)
        yours = value_display(field, form.cleaned_data.get(name))
        if saved != yours:  # only where the two versions differ
            rows.append((str(form[name].label), saved, yours))
    # Bound to a copy: validating writes the typed values into the instance it is given.
    data = form.data.copy()
    data["version"] = current.version
    again = make_form(data, copy.copy(current))
    add_version_field(again)
    again.is_valid()
    again.add_error(None, conflict_message(current))
    return again, rows
