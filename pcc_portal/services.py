"""Writes every app shares: saving and deleting a record with validation, in a transaction,
with history, protected against lost updates, and held for approval while it is published."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from pcc_portal.models import EmailOptOut, VersionedModel
from pcc_portal.notifications import email_kinds_for
from pcc_portal.publication import held_root, pending_apply, pending_record, record_delete_now


class StaleRecord(Exception):
    """The record changed since the user opened it; `current` is what is saved now."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}")
        self.current = current


def version_claim(instance: VersionedModel, expected_version: int | None) -> None:
    """Moves the record to its next version if it is still at `expected_version`.

    One conditional UPDATE, so two people saving at once cannot both win on any database.
    With no expected version (a save the user did not type, such as a status the system
    sets), the version still moves on, so forms opened before it become stale.
    """
    # The plain manager: the save that follows tells whoever listens (no rows_updated).
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if expected_version is None:
        rows.update(version=F("version") + 1)
        instance.version = rows.values_list("version", flat=True).get()
        return
    if not rows.filter(version=expected_version).update(version=F("version") + 1):
        current = type(instance)._default_manager.get(pk=instance.pk)
        raise StaleRecord(pending_apply(current))
    instance.version = expected_version + 1


@transaction.atomic
def record_save(
    *,
    instance,
    user,
    reason: str = "",
    expected_version: int | None = None,
    m2m: dict[str, Iterable] | None = None,
    gate: bool = True,
    checked: Iterable[str] = (),
):
    """Validates and saves `instance` (and its many-to-many `m2m`), recording `user` (and why)
    in its history if it keeps one. `checked` names relations the caller took from records it
    has just read (an import's lookups): validation does not ask the database again whether
    they exist.

    Raises StaleRecord when the record changed since `expected_version` was read. While the
    record (or the record it belongs to) is published, the change is held for an approver
    instead (see pcc_portal.publication) and `instance.held_for_approval` is True; approvers'
    own publishing steps, which check their permission first, pass `gate=False`.
    """
    instance.full_clean(exclude=list(checked) or None)
    # A new record may come with its key already set (an import restoring an export).
    if isinstance(instance, VersionedModel) and instance.pk and not instance._state.adding:
        version_claim(instance, expected_version)
    if gate and (root := held_root(instance)) is not None:
        pending_record(root=root, instance=instance, user=user, m2m=m2m or {})
        instance.held_for_approval = True
        return instance
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    instance.held_for_approval = False
    return instance


@transaction.atomic
def record_delete(*, instance, user) -> bool:
    """Deletes `instance` (and its files, once the deletion is committed); while what it
    belongs to is published, the deletion waits for an approver. True if deleted now."""
    if (root := held_root(instance)) is not None:
        pending_record(root=root, instance=instance, user=user, delete=True)
        return False
    record_delete_now(instance, user)
    return True


@transaction.atomic
def email_preferences_save(*, user, receive: Iterable[str]) -> list[str]:
    """Keeps on the kinds of email in `receive` and turns off every other kind the user may
    receive, in one go; returns the keys turned off. A kind the user may not receive cannot be
    chosen (ValidationError, nothing saved); kinds they turned off before losing a role stay
    off."""
    offered = [kind.key for kind in email_kinds_for(user)]
    receive = set(receive)
    if unknown := receive - set(offered):
        raise ValidationError(
            f"Choose from the emails listed: {', '.join(sorted(unknown))} is not one of them."
        )
    off = [key for key in offered if key not in receive]
    EmailOptOut.objects.filter(user=user, kind__in=offered).exclude(kind__in=off).delete()
    kept = set(EmailOptOut.objects.filter(user=user, kind__in=off).values_list("kind", flat=True))
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, kind=key) for key in off if key not in kept]
    )
    return off
