"""The funding pages take about as long with ten times the awards: each page's median time
over a few requests, at 1,000 and at 10,000 awards. The bounds are generous (three times), so
a busy machine does not fail them; a page that reads every award on each request fails them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Award
from tests.helpers import median_seconds
from tests.test_query_budgets import grow_funding

FIXTURES = (
    "020_areas_lancashire",
    "025_reporting_periods",
    "030_plan_lancashire_2021_2025",
    "050_funding_lancashire",
)
PAGES = {
    "summary": "/funding/",
    "awards": "/funding/awards/",
    "filtered": "/funding/awards/?status=awarded&sort=-amount",
    "priority": "/plan/2021-2025/getting-tough-on-anti-social-behaviour/",  # its funding part
}


def statistics_refresh() -> None:
    """On PostgreSQL, what autovacuum does soon after a table grows tenfold: without it the
    planner keeps the row counts of the smaller table and may pick a plan that suits only it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Award, Award.areas.through, Award.priorities.through):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_funding_pages_take_no_longer_with_ten_times_the_awards(client_for, role):
    for name in FIXTURES:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    client = client_for(role)
    grow_funding(1_000)
    statistics_refresh()
    before = {name: median_seconds(client, url) for name, url in PAGES.items()}
    queries = {name: query_count(client, url) for name, url in PAGES.items()}
    grow_funding(10_000)
    statistics_refresh()
    after = {name: median_seconds(client, url) for name, url in PAGES.items()}
    print({name: f"{before[name] * 1000:.1f} ms -> {after[name] * 1000:.1f} ms" for name in PAGES})
    assert {name: query_count(client, url) for name, url in PAGES.items()} == queries
    # Generous, so that a busy machine does not fail it: a page that read every award on each
    # request took 5x and more here.
    for name in PAGES:
        assert after[name] <= 4 * before[name], (name, before[name], after[name])
