"""Moving a record one place in a numbered sequence: swap with the neighbour, renumber 1..n,
save only what changed."""

from dataclasses import dataclass

import pytest

from pcc_portal.sequences import sequence_move


@dataclass
class Row:
    pk: int
    order: int


def rows(*orders) -> list[Row]:
    return [Row(pk, order) for pk, order in enumerate(orders, start=1)]


@pytest.mark.parametrize(
    "pk, up, moved, saved",
    [
        (2, True, [2, 1, 3], {1: 2, 2: 1}),
        (2, False, [1, 3, 2], {2: 3, 3: 2}),
        (1, True, None, {}),  # first already
        (3, False, None, {}),  # last already
    ],
)
def test_a_record_swaps_with_its_neighbour(pk, up, moved, saved):
    records, done = rows(1, 2, 3), {}
    result = sequence_move(
        records, records[pk - 1], up=up, field="order",
        save=lambda row: done.update({row.pk: row.order}),
    )  # fmt: skip
    assert result is (moved is not None)
    assert done == saved
    if moved:
        assert [row.pk for row in sorted(records, key=lambda row: row.order)] == moved


def test_shared_numbers_and_gaps_are_renumbered_from_one():
    records, done = rows(1, 1, 5), {}
    assert sequence_move(
        records, records[2], up=True, field="order",
        save=lambda row: done.update({row.pk: row.order}),
    )  # fmt: skip
    assert done == {2: 3, 3: 2}
    assert [row.order for row in records] == [1, 3, 2]
