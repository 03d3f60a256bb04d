"""What importing awards costs in queries, per row: pinned, so it cannot creep up.

A new award costs 12 queries: the row's savepoint and record_save's (4), the amount's check
constraint and the unique identifier (3 each, Django checks them in the database within a
savepoint), the award and its history row. The fund and organisation, read once per import,
are not queried again per row. A row left alone costs its savepoint only.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Award
from funding.tests.factories import make_award, make_fund, make_org
from pcc_portal.transfer import transfer_export, transfer_import

pytestmark = pytest.mark.django_db

PER_NEW_ROW = 12
PER_UNCHANGED_ROW = 2
FIXED = 20  # reading the file, the stored records, the transaction


def import_queries(count: int) -> tuple[int, int]:
    """Queries to import `count` new awards from another system, then the same file again."""
    fund = make_fund(name="Community Fund", slug="community-fund")
    organisation = make_org(name="Bright Futures", org_identifier="GB-CHC-1234567")
    for n in range(count):
        make_award(fund, organisation, title=f"Award {n}", identifier=f"360G-other-{n:04d}")
    data = transfer_export("awards", "csv")
    Award.objects.all().delete()
    with CaptureQueriesContext(connection) as new:
        assert len(transfer_import("awards", data, "csv", None).created) == count
    with CaptureQueriesContext(connection) as again:
        assert len(transfer_import("awards", data, "csv", None).unchanged) == count
    return len(new.captured_queries), len(again.captured_queries)


@pytest.mark.parametrize("count", [10, 100])
def test_importing_awards_costs_a_fixed_number_of_queries_a_row(count):
    new, again = import_queries(count)
    assert new <= count * PER_NEW_ROW + FIXED, new
    assert again <= count * PER_UNCHANGED_ROW + FIXED, again
