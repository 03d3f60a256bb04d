"""Keeping the index in step with what the apps publish.

Saving or deleting an object of a registered kind (or of one of its followers), or an app
sending `search_changed`, runs `search_index_object` once the transaction commits; the task
replaces that object's entries with what its kind gives now (none when it is gone or not
published). `search_rebuild` starts again from every kind's objects.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from pcc_portal.background import background_task
from pcc_portal.searchable import (
    Entry,
    SearchKind,
    entries_indexed,
    index_rebuilt,
    search_changed,
    search_kind,
    search_kinds,
)
from search.models import SearchEntry, ids_text

# Marks the backends put around matched words: never part of indexed text.
MARKERS = "\x02\x03"
_UNMARK = str.maketrans("", "", MARKERS)


def entry_row(kind: SearchKind, object_id: int, entry: Entry) -> SearchEntry:
    return SearchEntry(
        kind=kind.name,
        object_id=object_id,
        key=entry.key[:40],
        title=entry.title.translate(_UNMARK)[:400],
        within=entry.within[:400],
        body=entry.body.translate(_UNMARK),
        url=entry.url[:500],
        audience=entry.audience,
        date=entry.date,
        priority_ids=ids_text(entry.priority_ids),
        area_ids=ids_text(entry.area_ids),
    )


@transaction.atomic
def entries_replace(kind: SearchKind, object_id: int, obj) -> int:
    """The object's entries as its kind gives them now; returns how many."""
    SearchEntry.objects.filter(kind=kind.name, object_id=object_id).delete()
    rows = [entry_row(kind, object_id, e) for e in (kind.entries(obj) if obj else ())]
    SearchEntry.objects.bulk_create(rows)
    _indexed(kind.name, object_id, rows)
    return len(rows)


def _indexed(name: str, object_id: int, rows) -> None:
    audiences = tuple(sorted({row.audience for row in rows}))
    entries_indexed.send(sender=SearchEntry, kind=name, object_id=object_id, audiences=audiences)


@background_task
def search_index_object(kind_name: str, object_id: int) -> int:
    """Re-indexes one object (deleting its entries when it is gone)."""
    kind = search_kind(kind_name)
    if kind is None:
        return 0
    obj = kind.model._default_manager.filter(pk=object_id).first()
    return entries_replace(kind, object_id, obj)


def search_reindex(kind: SearchKind, obj) -> None:
    """Re-indexes `obj` once the transaction commits (at once outside one), in the process that
    made the change rather than the background worker: a paper withdrawn or made exempt must
    stop being found at once. A failure there is tried again by the worker."""
    if obj is None or obj.pk is None:
        return
    name, pk = kind.name, obj.pk
    transaction.on_commit(lambda: search_index_object.call(name, pk), robust=True)


def _own_receiver(kind: SearchKind):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:  # fixtures being loaded: the rebuild after them indexes everything
            search_reindex(kind, instance)

    return receiver


def _follower_receiver(kind: SearchKind, objects_of):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:
            return
        try:
            objects = list(objects_of(instance))
        except Exception:
            return
        for obj in objects:
            search_reindex(kind, obj)

    return receiver


SIGNALS = (("save", post_save), ("delete", post_delete))
_receivers: list = []  # strong references: the signals hold receivers weakly


def index_connect() -> None:
    """Connects every registered kind's model and followers (and `search_changed`)."""
    for kind in search_kinds():
        own = _own_receiver(kind)
        _receivers.append(own)
        for event, signal in SIGNALS:
            signal.connect(own, sender=kind.model, dispatch_uid=f"search_{kind.name}_{event}")
        for number, (model, objects_of) in enumerate(kind.followers):
            follow = _follower_receiver(kind, objects_of)
            _receivers.append(follow)
            for event, signal in SIGNALS:
                uid = f"search_{kind.name}_follow{number}_{event}"
                signal.connect(follow, sender=model, dispatch_uid=uid)
    search_changed.connect(_changed, dispatch_uid="search_changed")


def _changed(sender, instance, **kwargs) -> None:
    for kind in search_kinds():
        if isinstance(instance, kind.model):
            search_reindex(kind, instance)


@transaction.atomic
def search_rebuild() -> int:
    """Empties the index and fills it from every kind's objects; returns the entries made."""
    SearchEntry.objects.all().delete()
    made = 0
    found: set[tuple[str, int, str]] = set()
    for kind in search_kinds():
        rows = [entry_row(kind, obj.pk, e) for obj in kind.objects() for e in kind.entries(obj)]
        SearchEntry.objects.bulk_create(rows, batch_size=500)
        found.update((row.kind, row.object_id, row.audience) for row in rows)
        made += len(rows)
    index_rebuilt.send(sender=SearchEntry, found=sorted(found))
    return made
