"""Writes every app shares: saving a record with validation, in a transaction, with history."""

from django.db import transaction


@transaction.atomic
def record_save(*, instance, user, reason: str = ""):
    """Validates and saves `instance`, recording `user` (and why) in its history if it keeps one."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    instance.save()
    return instance
