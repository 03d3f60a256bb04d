#!/usr/bin/env python
"""Times the portal's search over N times the demo data's index.

    .venv/bin/python scripts/search_timing.py 100
    scripts/with-postgres.sh .venv/bin/python scripts/search_timing.py 100

It loads the demo data (`manage.py demo`) into a throwaway database: a SQLite file in a
temporary folder, or the database DATABASE_URL names when it is set (with-postgres.sh starts a
throwaway PostgreSQL cluster and sets it). It rebuilds the search index, then copies the index's
entries until there are N times as many (each copy its own object, with the same words: the
search reads only the index), and times a few typical searches, anonymous and as a panel
member: the median of several runs each, with the number of queries each ran.
"""

import argparse
import os
import shutil
import statistics
import time
from functools import partial
from io import StringIO

from throwaway import throwaway

WORK = throwaway("search", postgres_allowed=True)

SEARCHES = [
    ("police", {}),
    ("policing", {"kind": "paper"}),
    ("knife crime", {}),
    ('"serious violence"', {}),
    ("burnl*", {}),
    ("police", {"year": 2021, "page": 3}),
    ("zebra", {}),
]


def timed(function, runs: int) -> tuple[float, object]:
    """The median seconds of `runs` calls, and the last result."""
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def prepare() -> float:
    """The demo data in a fresh database; returns the seconds the index rebuild took."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", password=os.urandom(12).hex(), allow_production=True, stdout=StringIO())
    from search.index import search_rebuild

    seconds, _ = timed(search_rebuild, 1)
    return seconds


def multiply(times: int) -> int:
    """Copies the index's entries until there are `times` as many; returns how many there are."""
    from django.db import connection, transaction

    from search.models import SearchEntry

    originals = list(SearchEntry.objects.all())
    step = max(e.object_id for e in originals) + 1 if originals else 1
    with transaction.atomic():
        for copy in range(1, times):
            rows = []
            for entry in originals:
                entry.pk = None
                entry.object_id = entry.object_id % step + copy * step
                rows.append(SearchEntry(**{
                    f.attname: getattr(entry, f.attname) for f in SearchEntry._meta.concrete_fields
                }))  # fmt: skip
            SearchEntry.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return SearchEntry.objects.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("times", type=int, nargs="?", default=10, help="N: how many times (10)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each search (7)")
    arguments = parser.parse_args()
    try:
        rebuild = prepare()
        from django.contrib.auth.models import AnonymousUser
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from pcc_portal.roles import PANEL_MEMBER
        from search.services import search_query

        start = time.perf_counter()
        entries = multiply(arguments.times)
        copied = time.perf_counter() - start
        member = _panel_member(PANEL_MEMBER)
        print(f"Database: {connection.vendor}; demo data x{arguments.times}: {entries} entries")
        print(f"Index rebuilt from the demo data in {rebuild:.2f} s; copied in {copied:.2f} s")
        print(f"{'search':<34} {'reader':<13} {'found':>7} {'queries':>7} {'median ms':>10}")
        for reader, user in (("anonymous", AnonymousUser()), ("panel member", member)):
            for q, options in SEARCHES:
                with CaptureQueriesContext(connection) as queries:
                    search_query(user, q, **options)
                median, page = timed(partial(search_query, user, q, **options), arguments.runs)
                label = q + "".join(f" {k}={v}" for k, v in options.items())
                print(
                    f"{label:<34} {reader:<13} {page.total:>7} {len(queries):>7} "
                    f"{median * 1000:>10.1f}"
                )
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


def _panel_member(group_name: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="timing-panel-member")
    user.groups.add(Group.objects.get(name=group_name))
    user = get_user_model().objects.get(pk=user.pk)
    user.has_perm("search.view")  # its permissions read once, as on any page
    return user


if __name__ == "__main__":
    main()
