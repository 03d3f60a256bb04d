"""What importing areas costs in queries, per row: pinned, so it cannot creep up as the file
grows. A new area costs 10 queries (the row's savepoint, record_save's, the unique slug and GSS
code checks, the area), an unchanged one 3. The areas already stored are read once per import;
a division added higher up the file is found by the local authorities below it without
reading every area again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcc_portal.transfer import transfer_import
from plan.models import Area
from tests.helpers import csv_of

pytestmark = pytest.mark.django_db

PER_NEW_ROW = 10
PER_UNCHANGED_ROW = 3
FIXED = 20  # reading the file, the stored records, the transaction


def area_rows(count: int) -> list[dict]:
    """`count` new areas (illustrative): a division, then local authorities in it, in turn."""
    rows = []
    for n in range(count):
        if n % 10 == 0:
            division = f"division-{n:04d}"
            rows.append({"kind": "Police division", "name": f"Division {n:04d}",
                         "slug": division, "gss_code": "", "parent": ""})  # fmt: skip
        else:
            rows.append({"kind": "Local authority", "name": f"District {n:04d}",
                         "slug": f"district-{n:04d}", "gss_code": f"E0799{n:04d}",
                         "parent": division})  # fmt: skip
    return rows


def import_queries(count: int) -> tuple[int, int]:
    """Queries to import `count` new areas, then the same file again."""
    data = csv_of(area_rows(count))
    with CaptureQueriesContext(connection) as new:
        result = transfer_import("areas", data, "csv", None)
        assert result.errors == [] and len(result.created) == count
    with CaptureQueriesContext(connection) as again:
        assert len(transfer_import("areas", data, "csv", None).unchanged) == count
    return len(new.captured_queries), len(again.captured_queries)


@pytest.mark.parametrize("count", [10, 100])
def test_importing_areas_costs_a_fixed_number_of_queries_a_row(count):
    new, again = import_queries(count)
    assert new <= count * PER_NEW_ROW + FIXED, new
    assert again <= count * PER_UNCHANGED_ROW + FIXED, again
    district = Area.objects.get(slug=f"district-{count - 1:04d}")
    assert district.parent.slug == f"division-{(count - 1) // 10 * 10:04d}"
