import itertools

from search.models import SearchEntry, ids_text

_seq = itertools.count(1)


def make_entry(**fields) -> SearchEntry:
    """An index row as a kind would give it (the full-text part follows it in the database)."""
    n = next(_seq)
    values = {
        "kind": "paper", "object_id": n, "key": "paper", "title": f"Entry {n}", "body": "",
        "url": f"/reports/{n}/", "audience": "public",
    }  # fmt: skip
    values.update(fields)
    for name in ("priority_ids", "area_ids"):
        if not isinstance(values.get(name, ""), str):
            values[name] = ids_text(values[name])
    return SearchEntry.objects.create(**values)
