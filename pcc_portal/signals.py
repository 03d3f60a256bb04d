"""Signals the portal sends for the apps built on it to act on."""

from django.dispatch import Signal

# Sent by `manage.py demo` once the fixtures and demo accounts are in. A receiver finishes what
# its app's fixtures need and returns a line for the command to print, or None.
demo_loaded = Signal()
