#!/usr/bin/env python
"""Measures the spreadsheet round trip of awards: export, import into an empty database, and
a re-import of the same file (which must change nothing).

    .venv/bin/python scripts/benchmark_import.py [--awards 10000]
    scripts/with-postgres.sh .venv/bin/python scripts/benchmark_import.py   # on PostgreSQL

Without DATABASE_URL it runs on a throwaway SQLite database in a temporary folder; with it (as
scripts/with-postgres.sh sets it, for a throwaway cluster) on that database, whose tables it
migrates and fills: never point it at a database you keep. It makes the awards (illustrative:
numbered titles, a few made-up funds and organisations), writes the organisations, funds and
awards to CSV, empties those tables, then times `transfer_import` of each file, and of the
awards file again. It prints the rows per second; it stops with an error if a step takes
longer than --limit seconds.
"""

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="pcc-portal-bench-import-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "pcc_portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
)
sys.path.insert(0, str(ROOT))


def make_awards(count: int) -> None:
    from funding.models import Award, Fund, Organisation

    funder = Organisation.objects.create(
        name="Benchmark funder (illustrative)", kind="government_department"
    )
    office = Organisation.objects.create(
        name="Benchmark office (illustrative)", is_office_side=True
    )
    charities = Organisation.objects.bulk_create(
        Organisation(
            name=f"Benchmark charity {n} (illustrative)",
            kind="charity",
            org_identifier=f"GB-CHC-9{n:06d}",
        )
        for n in range(50)
    )
    incoming = Fund.objects.create(
        name="Benchmark secured fund", slug="bench-secured", direction="incoming", funder=funder
    )
    grants = Fund.objects.create(name="Benchmark grants", slug="bench-grants", direction="outgoing")
    start = datetime.date(2021, 4, 1)
    Award.objects.bulk_create(
        (
            Award(
                fund=incoming if n % 5 == 0 else grants,
                organisation=office if n % 5 == 0 else charities[n % 50],
                title=f"Benchmark award {n}",
                amount=Decimal(1000 + n * 7) / 4,
                award_date=start + datetime.timedelta(days=n % 700),
                status="awarded",
                beneficiaries=n % 300 or None,
                purpose="Illustrative benchmark row, not real data.",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )


def timed(what: str, limit: float, function):
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    if seconds > limit:
        raise SystemExit(f"{what} took {seconds:.0f} s, over the {limit:.0f} s limit")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awards", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=150, help="seconds one step may take")
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from funding.models import Award, Fund, Organisation
    from pcc_portal.transfer import transfer_export, transfer_import

    call_command("migrate", verbosity=0)
    if Award.objects.exists():
        raise SystemExit("The database already has awards: run this on an empty database only")
    print(f"Database: {connection.vendor}; {options.awards:,} awards")
    make_awards(options.awards)
    files = {}
    for kind in ("organisations", "funds", "awards"):
        export = lambda kind=kind: transfer_export(kind, "csv")  # noqa: E731
        seconds, files[kind] = timed(f"Exporting {kind}", options.limit, export)
        if kind == "awards":
            rate = options.awards / seconds
            print(f"export:             {seconds:6.1f} s  {rate:8,.0f} rows/s")
    Award.objects.all().delete()
    Fund.objects.all().delete()
    Organisation.objects.all().delete()

    total = 0.0
    for kind in ("organisations", "funds", "awards"):
        load = lambda kind=kind: transfer_import(kind, files[kind], "csv", None)  # noqa: E731
        seconds, result = timed(f"Importing {kind}", options.limit, load)
        if result.errors:
            raise SystemExit(f"The {kind} import failed: {result.errors[0]}")
        total += seconds
    rate = options.awards / seconds
    print(f"import, empty:      {seconds:6.1f} s  {rate:8,.0f} rows/s  ({result.summary()})")
    if len(result.created) != options.awards:
        raise SystemExit("The import did not create every award")

    versions = list(Award.objects.order_by("pk").values_list("pk", "version"))
    load = lambda: transfer_import("awards", files["awards"], "csv", None)  # noqa: E731
    seconds, again = timed("Importing the awards again", options.limit, load)
    rate = options.awards / seconds
    print(f"re-import, no change: {seconds:4.1f} s  {rate:8,.0f} rows/s  ({again.summary()})")
    unchanged = list(Award.objects.order_by("pk").values_list("pk", "version"))
    if again.created or again.changed or unchanged != versions:
        raise SystemExit("Importing the same file again changed something")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
