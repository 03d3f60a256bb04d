"""Numbered sequences: the next number (agenda order, section order, revision,
recommendation), and moving a record one place up or down."""

from collections.abc import Callable, Iterable

from django.db.models import Max


def next_number(queryset, field: str = "order") -> int:
    """One more than the highest `field` in `queryset`, or 1 when it is empty.

    The highest, not the count: once a record in the middle is deleted, count() + 1 would give
    a number that is already taken.
    """
    highest = queryset.aggregate(highest=Max(field))["highest"]
    return (highest or 0) + 1


def sequence_move(records: Iterable, record, *, up: bool, field: str, save: Callable) -> bool:
    """Swaps `record` with the one before it (`up`) or after it in `records` (in their
    order), then numbers them 1..n in `field`, calling `save` for each record whose number
    changed. False, with nothing saved, if it is first (or last) already.

    Renumbering from 1 gives records that shared a number (or left gaps) their own.
    """
    order = list(records)
    index = next(i for i, other in enumerate(order) if other.pk == record.pk)
    neighbour = index - 1 if up else index + 1
    if not 0 <= neighbour < len(order):
        return False
    order[index], order[neighbour] = order[neighbour], order[index]
    for number, other in enumerate(order, start=1):
        if getattr(other, field) != number:
            setattr(other, field, number)
            save(other)
    return True
