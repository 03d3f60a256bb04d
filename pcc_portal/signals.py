"""Signals the portal sends for the apps built on it to act on."""

from django.dispatch import Signal

# Sent by `manage.py demo` once the fixtures and demo accounts are in. A receiver finishes what
# its app's fixtures need and returns a line for the command to print, or None.
demo_loaded = Signal()

# Sent after `update()` of a queryset that is an UpdateSignallingQuerySet (pcc_portal.models),
# which changes rows without saving them and so sends no post_save: `pks` names the rows it
# changed, `fields` the fields it set. A receiver does what it does after a save, such as
# listing a paper's published files again.
rows_updated = Signal()
