"""The next number in a sequence: agenda order, section order, revision, recommendation."""

from django.db.models import Max


def next_number(queryset, field: str = "order") -> int:
    """One more than the highest `field` in `queryset`, or 1 when it is empty.

    The highest, not the count: once a record in the middle is deleted, count() + 1 would give
    a number that is already taken.
    """
    highest = queryset.aggregate(highest=Max(field))["highest"]
    return (highest or 0) + 1
