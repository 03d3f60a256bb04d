"""The publication gate: what the public and panel members see changes only when an approver
publishes it.

A record that can be published names its publication root (itself, or the record it belongs
to: a topic's meeting). While the root is published, saving or deleting the record changes
nothing the public sees: the change is held in the root's PendingChange, which staff can see
and amend and an approver publishes (or anyone who may edit discards). Changes that only make
something more private (a paper marked exempt) take effect at once.
"""

import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import capfirst

from pcc_portal.display import value_display
from pcc_portal.models import PendingChange, Publishable, VersionedModel
from pcc_portal.people import display_name

# Never held: bookkeeping the portal sets itself.
UNTRACKED = {"id", "version", "created_at", "updated_at", "published", "published_at"}


def _tracked(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in UNTRACKED
    ]


def _m2m(model) -> list:
    return [f for f in model._meta.many_to_many if f.editable]


def _dump(instance, f):
    value = f.value_from_object(instance)
    if isinstance(f, models.FileField):
        return value.name or ""
    if value is None or isinstance(value, bool | int | str):
        return value
    return f.value_to_string(instance)


def _value(instance, f):
    """For comparing: the same moment in two time zones, a file and its name, and text with
    the line endings a browser sends (CRLF) and the same text with LF, are equal."""
    value = f.value_from_object(instance)
    if isinstance(f, models.FileField):
        return value.name
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _load(f, raw):
    if raw is None or isinstance(f, models.FileField):
        return raw
    return f.to_python(raw)


def _label(model) -> str:
    return model._meta.label_lower


def _changes_of(root):
    # By the content type's natural key, in the same query: the number of queries a page runs
    # never depends on whether the content type cache happens to be warm.
    meta = type(root)._meta
    return PendingChange.objects.filter(
        content_type__app_label=meta.app_label,
        content_type__model=meta.model_name,
        object_id=root.pk,
    )


def _change_of(root) -> PendingChange | None:
    return _changes_of(root).first()


def root_is_published(root) -> bool:
    """Read from the database, so a stale copy in memory can never open the gate."""
    fresh = type(root)._default_manager.filter(pk=root.pk).first()
    return bool(fresh and fresh.is_published)


def held_root(instance):
    """The published root whose changes must wait for an approver, or None to save at once."""
    root_of = getattr(instance, "publication_root", None)
    if root_of is None:
        return None
    root = root_of()
    if root is None or root.pk is None or not root_is_published(root):
        return None
    return root


def _private_now(instance, stored) -> dict:
    """The fields whose new value only makes the record more private: applied at once."""
    rules = getattr(type(instance), "PRIVATE_NOW", {})
    return {
        name: value
        for name, value in rules.items()
        if getattr(instance, name) == value and getattr(stored, name) != value
    }


@transaction.atomic
def pending_record(*, root, instance, user, m2m=None, delete=False) -> PendingChange | None:
    """Holds a save (or deletion) of `instance` in `root`'s changes waiting for approval."""
    content_type = ContentType.objects.get_for_model(root)
    change, _ = PendingChange.objects.select_for_update().get_or_create(
        content_type=content_type, object_id=root.pk, defaults={"created_by": user}
    )
    model = type(instance)
    label = _label(model)
    mine = [op for op in change.operations if _is_of(op, label, instance.pk)]
    if any(op["action"] == "delete" for op in mine) and not delete:
        raise ValidationError(
            f"This {model._meta.verbose_name} is waiting to be removed. Discard that change "
            "on the publication page before changing it."
        )
    operations = [op for op in change.operations if op not in mine]
    if delete:
        operations.append(
            {
                "model": label,
                "pk": instance.pk,
                "key": uuid.uuid4().hex,
                "action": "delete",
                "name": str(instance),
            }
        )
    elif instance.pk is None:
        for f in _tracked(model):
            if isinstance(f, models.FileField) and getattr(instance, f.name):
                f.pre_save(instance, True)  # stores the upload now, under its generated name
        operations.append(
            {
                "model": label,
                "pk": None,
                "key": uuid.uuid4().hex,
                "action": "create",
                "fields": {f.name: _dump(instance, f) for f in _tracked(model)},
                "m2m": {name: sorted(o.pk for o in values) for name, values in m2m.items()},
            }
        )
    else:
        stored = model._default_manager.get(pk=instance.pk)
        if private := _private_now(instance, stored):
            for name, value in private.items():
                setattr(stored, name, value)
            stored._history_user = user
            stored._change_reason = "Made more private"
            stored.save()
        fields = {
            f.name: _dump(instance, f)
            for f in _tracked(model)
            if _value(instance, f) != _value(stored, f)
        }
        was = {name: _dump(stored, model._meta.get_field(name)) for name in fields}
        changed_m2m = {}
        for name, values in m2m.items():
            new = sorted(o.pk for o in values)
            old = sorted(getattr(stored, name).values_list("pk", flat=True))
            if new != old:
                changed_m2m[name] = new
                was[name] = old
        if fields or changed_m2m:
            operations.append(
                {
                    "model": label,
                    "pk": instance.pk,
                    "key": uuid.uuid4().hex,
                    "action": "update",
                    "name": str(stored),
                    "fields": fields,
                    "m2m": changed_m2m,
                    "was": was,
                }
            )
    if not operations:
        change.delete()
        return None
    change.operations = operations
    change.updated_by = user
    change.revision = F("revision") + 1
    change.save()
    change.refresh_from_db(fields=["revision"])
    return change


def _is_of(op, label: str, pk) -> bool:
    return op["model"] == label and op["pk"] is not None and op["pk"] == pk


def held_change_of(instance) -> PendingChange | None:
    """The changes waiting for approval of the record `instance` belongs to, if any."""
    root_of = getattr(instance, "publication_root", None)
    root = root_of() if root_of else None
    return _change_of(root) if root is not None and root.pk is not None else None


def held_new_values(root, model, name: str) -> list:
    """The values of field `name` of the `model` records waiting to be added under `root`."""
    change = _change_of(root) if root is not None and root.pk is not None else None
    return [
        op["fields"].get(name)
        for op in (change.operations if change else [])
        if op["action"] == "create" and op["model"] == _label(model)
    ]


def pending_apply(instance):
    """`instance` as it will be once its held changes are published (in memory only)."""
    root_of = getattr(instance, "publication_root", None)
    root = root_of() if root_of else None
    if root is None or root.pk is None or instance.pk is None:
        return instance
    change = _change_of(root)
    label = _label(type(instance))
    for op in change.operations if change else []:
        if op["model"] == label and op["pk"] == instance.pk and op["action"] == "update":
            for name, raw in op["fields"].items():
                f = type(instance)._meta.get_field(name)
                setattr(instance, f.attname, _load(f, raw))
            instance.pending_m2m = op["m2m"]
    return instance


@dataclass
class ChangeShown:
    """One held change as the approver reads it: what, and each field before and after;
    `file` names an uploaded file the approver can open before publishing."""

    title: str
    action: str
    key: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    file: str = ""


@dataclass
class PendingSummary:
    changes: list[ChangeShown]
    by: str
    at: object
    revision: int


def _shown_value(f, raw) -> str:
    if f.many_to_many:
        return value_display(f, list(f.related_model._default_manager.filter(pk__in=raw or [])))
    if f.is_relation and raw is not None:
        return value_display(f, f.related_model._default_manager.filter(pk=raw).first())
    if isinstance(f, models.FileField):
        return "A PDF file" if raw else value_display(f, None)
    return value_display(f, _load(f, raw))


def pending_summary(root) -> PendingSummary | None:
    """What would change for the public if `root`'s held changes were published."""
    change = _change_of(root)
    if change is None:
        return None
    shown = []
    for op in change.operations:
        model = apps.get_model(op["model"])
        noun, key = model._meta.verbose_name, op.get("key", "")
        if op["action"] == "delete":
            shown.append(ChangeShown(f"Remove the {noun} “{op['name']}”", "delete", key))
            continue
        values = {**op.get("fields", {}), **op.get("m2m", {})}
        rows, file = [], ""
        for name, raw in values.items():
            f = model._meta.get_field(name)
            before = _shown_value(f, op["was"][name]) if op["action"] == "update" else ""
            rows.append((capfirst(f.verbose_name), before, _shown_value(f, raw)))
            if isinstance(f, models.FileField) and raw:
                file = raw
        if op["action"] == "create":
            title = f"Add {_a(model)}"
        elif model is type(root):
            title = f"Change the {noun}"
        else:
            title = f"Change the {noun} “{op['name']}”"
        shown.append(ChangeShown(title, op["action"], key, rows, file))
    return PendingSummary(
        shown, display_name(change.updated_by), change.updated_at, change.revision
    )


def _a(model) -> str:
    """The record's name with its article: "an agenda item", "a declaration", "the minutes"."""
    noun = model._meta.verbose_name
    if noun == model._meta.verbose_name_plural:
        return f"the {noun}"
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _held_files(op) -> list[tuple[str, object]]:
    """(name, storage) of each file uploaded with a held new record."""
    if op["action"] != "create":
        return []
    return [
        (op["fields"][f.name], f.storage)
        for f in _tracked(apps.get_model(op["model"]))
        if isinstance(f, models.FileField) and op["fields"].get(f.name)
    ]


def pending_file(root, key: str):
    """The file uploaded with the held change `key` of `root` (for the approver to open)."""
    change = _change_of(root)
    for op in change.operations if change else []:
        for name, storage in _held_files(op) if op.get("key") == key else []:
            return storage.open(name, "rb")
    return None


def _check(user, permission: str, refusal: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(refusal)


def _apply(op, user):
    """Applies one held operation; returns the record saved (None for a deletion)."""
    model = apps.get_model(op["model"])
    if op["action"] == "create":
        instance = model()
    else:
        instance = model._default_manager.filter(pk=op["pk"]).first()
        if instance is None:
            return None  # deleted meanwhile (with its parent): nothing left to change
    if op["action"] == "delete":
        record_delete_now(instance, user)
        return None
    for name, raw in op["fields"].items():
        f = model._meta.get_field(name)
        setattr(instance, f.attname, _load(f, raw))
    instance.full_clean()
    if isinstance(instance, VersionedModel) and instance.pk:
        instance.version = F("version") + 1
    instance._history_user = user
    instance._change_reason = "Published changes"
    instance.save()
    for name, pks in op.get("m2m", {}).items():
        getattr(instance, name).set(pks)
    return instance


def record_delete_now(instance, user) -> None:
    """Deletes `instance` now, with its files once the deletion is committed."""
    files = [
        getattr(instance, f.name)
        for f in instance._meta.concrete_fields
        if isinstance(f, models.FileField) and getattr(instance, f.name)
    ]
    instance._history_user = user
    instance.delete()
    for file in files:
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))


@transaction.atomic
def pending_publish(*, root, user, reviewed: int | None = None) -> int:
    """Applies `root`'s held changes (all or none); returns how many there were. With
    `reviewed`, refuses if they changed since the approver's page showed that revision."""
    change = _held(root, reviewed)
    if change is None:
        return 0
    try:
        for op in change.operations:
            _apply(op, user)
    except ValidationError as error:
        raise ValidationError(
            ["The changes cannot be published as they stand:", *error.messages]
        ) from error
    count = len(change.operations)
    change.delete()
    return count


def pending_publish_new(*, root, user, model, match: dict):
    """Applies, alone, the first held addition of a `model` record under `root` whose fields
    have the values in `match` (the rest keep waiting); returns the new record, or None when
    no such addition waits. For an approver's step that approves that addition with it."""
    if user is not None:
        _check(user, root.PUBLISH, "Only an approver can publish this.")
    change = _held(root, None)
    label = _label(model)
    op = next(
        (
            op
            for op in (change.operations if change else [])
            if op["action"] == "create"
            and op["model"] == label
            and all(op["fields"].get(name) == value for name, value in match.items())
        ),
        None,
    )
    if op is None:
        return None
    instance = _apply(op, user)
    kept = [other for other in change.operations if other is not op]
    if kept:
        change.operations = kept
        change.revision = F("revision") + 1
        change.save()
    else:
        change.delete()
    return instance


def _held(root, reviewed: int | None) -> PendingChange | None:
    """`root`'s held changes, locked; refused if they changed since the page showing them."""
    change = _changes_of(root).select_for_update(of=("self",)).first()
    if change is not None and reviewed is not None and change.revision != reviewed:
        raise ValidationError(
            f"{display_name(change.updated_by)} changed these changes since you opened this "
            "page, so nothing was done. Check them again below."
        )
    return change


@transaction.atomic
def pending_discard(
    *, root, user, permission: str, reviewed: int | None = None, key: str | None = None
) -> int:
    """Throws `root`'s held changes away (only the one with `key`, if given), with any files
    uploaded with them; the published version stays as it is. Forms opened with the changes
    in them become stale, so a discarded change cannot come back through one."""
    _check(user, permission, "Only office staff can discard changes.")
    change = _held(root, reviewed)
    if change is None:
        return 0
    dropped = [op for op in change.operations if key is None or op.get("key") == key]
    for op in dropped:
        for name, storage in _held_files(op):
            transaction.on_commit(lambda n=name, s=storage: s.delete(n))
        model = apps.get_model(op["model"])
        if op["action"] != "create" and issubclass(model, VersionedModel):
            model._default_manager.filter(pk=op["pk"]).update(version=F("version") + 1)
    kept = [op for op in change.operations if op not in dropped]
    if kept:
        change.operations = kept
        change.updated_by = user
        change.revision = F("revision") + 1
        change.save()
    else:
        change.delete()
    return len(dropped)


@transaction.atomic
def publication_set(
    *, root: Publishable, user, published: bool, reviewed: int | None = None
) -> Publishable:
    """Publishes `root` with its held changes, or unpublishes it (approvers only).

    Unpublishing makes the held changes part of the draft: with nobody outside the office
    seeing the record, they need no approval, and none is left to overwrite later edits.
    """
    _check(user, root.PUBLISH, "Only an approver can publish or unpublish this.")
    root = type(root)._default_manager.select_for_update().get(pk=root.pk)
    pending_publish(root=root, user=user, reviewed=reviewed if published else None)
    root.refresh_from_db()
    root.published = published
    root.published_at = timezone.now() if published else None
    root.published_by = user if published else None
    root._history_user = user
    root._change_reason = "Published" if published else "Unpublished"
    if isinstance(root, VersionedModel):
        root.version = F("version") + 1
    root.save()
    root.refresh_from_db()
    return root


def publication_context(root, user) -> dict:
    """For a record's page: its changes waiting for approval, to those who may see them."""
    if not user.has_perm(root.VIEW_UNPUBLISHED if hasattr(root, "VIEW_UNPUBLISHED") else ""):
        return {}
    return {"pending": pending_summary(root), "publication_url": root.get_publication_url()}
