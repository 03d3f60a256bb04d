#!/usr/bin/env python
"""Measures the spreadsheet round trip of awards and of the plan's kinds: export, import into
an empty database, and a re-import of the same file (which must change nothing).

    .venv/bin/python scripts/benchmark_import.py [--awards 10000] [--updates 10000] [--only plan]
    scripts/with-postgres.sh .venv/bin/python scripts/benchmark_import.py   # on PostgreSQL

Without DATABASE_URL it runs on a throwaway SQLite database in a temporary folder; with it (as
scripts/with-postgres.sh sets it, for a throwaway cluster) on that database, whose tables it
migrates and fills: never point it at a database you keep. Every record it makes is
illustrative (numbered titles, made-up GSS codes starting E99). In one run, each part:

- awards: 10,000 awards of a few made-up funds and organisations (the organisations and funds
  are imported first, untimed);
- plan: the `plan` sheet of 25 plans of 10 priorities, each with 2 commitments and
  10 measures: 3,275 rows;
- updates: 10,000 quarterly figures, the same 2,500 measures x 4 quarters of 2021/22 (the
  plans are imported first, untimed), all drafts;
- areas: 1,000 areas, 50 police divisions of 19 local authorities each.

It writes the part's records to CSV, empties the tables, then times `transfer_import` of the
file, and of the file again. It prints the rows per second; it stops with an error if a step
takes longer than --limit seconds (three minutes). See README.md (Speed) for the figures.
"""

import argparse
import csv
import datetime
import io
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

# The shape of the plans: each priority's commitments and measures.
PRIORITIES, COMMITMENTS, MEASURES = 10, 2, 10
AREAS_PER_DIVISION = 20


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


def make_plans(plans: int, quarters: int) -> None:
    """`plans` plans of PRIORITIES priorities, each with COMMITMENTS commitments and MEASURES
    measures, and an update of every measure for each of `quarters` quarters (illustrative)."""
    from pcc_portal.markdown import render_markdown
    from plan.models import (
        Commitment,
        MeasureUpdate,
        OutcomeMeasure,
        Plan,
        Priority,
        ReportingPeriod,
    )

    made = Plan.objects.bulk_create(
        Plan(
            title=f"Benchmark plan {n} (illustrative)",
            slug=f"bench-{n}",
            police_area=f"Benchmark area {n} (illustrative)",
            start_year=2021,
            end_year=2025,
        )
        for n in range(plans)
    )
    priorities = Priority.objects.bulk_create(
        Priority(plan=plan, order=n + 1, title=f"Benchmark priority {n + 1}", slug=f"p{n + 1}")
        for plan in made
        for n in range(PRIORITIES)
    )
    Commitment.objects.bulk_create(
        Commitment(priority=priority, order=n + 1, text=f"Illustrative commitment {n + 1}.")
        for priority in priorities
        for n in range(COMMITMENTS)
    )
    measures = OutcomeMeasure.objects.bulk_create(
        (
            OutcomeMeasure(
                priority=priority,
                order=n + 1,
                short_label=f"Benchmark measure {n + 1}",
                text="Illustrative benchmark measure, not real data.",
                unit="offences",
                desired_direction=OutcomeMeasure.Direction.DECREASE,
                target_value=Decimal(100 + n),
                amber_tolerance=Decimal(5),
            )
            for priority in priorities
            for n in range(MEASURES)
        ),
        batch_size=1000,
    )
    periods = [ReportingPeriod.get_or_create_for(2021, q + 1) for q in range(quarters)]
    commentary = "Illustrative benchmark commentary, not real data."
    html = render_markdown(commentary)  # a bulk write does not save, so makes no HTML itself
    MeasureUpdate.objects.bulk_create(
        (
            MeasureUpdate(
                measure=measure,
                period=period,
                value=Decimal(90 + (n + q) % 30),
                comparator_value=Decimal(100),
                comparator_label="Same quarter last year (illustrative)",
                rag=MeasureUpdate.Rag.NOT_RATED,
                direction=MeasureUpdate.Direction.STABLE,
                commentary=commentary,
                commentary_html=html,
            )
            for n, measure in enumerate(measures)
            for q, period in enumerate(periods)
        ),
        batch_size=1000,
    )


def make_areas(count: int) -> None:
    """Divisions of AREAS_PER_DIVISION - 1 local authorities each, `count` areas in all, with
    made-up GSS codes (E99..., no real area's)."""
    from plan.models import Area

    divisions = Area.objects.bulk_create(
        Area(kind=Area.Kind.DIVISION, name=f"Benchmark division {n}", slug=f"bench-division-{n}")
        for n in range(-(-count // AREAS_PER_DIVISION))
    )
    Area.objects.bulk_create(
        (
            Area(
                kind=Area.Kind.LOCAL_AUTHORITY,
                name=f"Benchmark district {n} (illustrative)",
                slug=f"bench-district-{n}",
                gss_code=f"E99{n:06d}",
                parent=divisions[n % len(divisions)],
            )
            for n in range(count - len(divisions))
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


def data_rows(data: bytes) -> int:
    return len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1


def stamps(models) -> list:
    """Every row's last save, to show a re-import saved nothing."""
    return [list(m.objects.order_by("pk").values_list("pk", "updated_at")) for m in models]


def round_trip(title, kinds, clear, models, limit: float) -> None:
    """Exports `kinds` (the last one timed), calls `clear`, imports them into the emptied
    tables in order, then the last one again, which must change nothing."""
    from pcc_portal.transfer import transfer_export, transfer_import

    timed_kind = kinds[-1]
    files = {}
    for kind in kinds:
        export = lambda kind=kind: transfer_export(kind, "csv")  # noqa: E731
        seconds, files[kind] = timed(f"Exporting {kind}", limit, export)
    rows = data_rows(files[timed_kind])
    print(title.format(rows=rows))
    print(f"export:             {seconds:6.1f} s  {rows / seconds:8,.0f} rows/s")
    clear()
    for kind in kinds:
        load = lambda kind=kind: transfer_import(kind, files[kind], "csv", None)  # noqa: E731
        seconds, result = timed(f"Importing {kind}", limit, load)
        if result.errors:
            raise SystemExit(f"The {kind} import failed: {result.errors[0]}")
    rate = rows / seconds
    print(f"import, empty:      {seconds:6.1f} s  {rate:8,.0f} rows/s  ({result.summary()})")
    if len(result.created) != rows:
        raise SystemExit(f"The import did not create every row of {timed_kind}")

    before = stamps(models)
    load = lambda: transfer_import(timed_kind, files[timed_kind], "csv", None)  # noqa: E731
    seconds, again = timed(f"Importing {timed_kind} again", limit, load)
    rate = rows / seconds
    print(f"re-import, no change: {seconds:4.1f} s  {rate:8,.0f} rows/s  ({again.summary()})")
    if again.created or again.changed or stamps(models) != before:
        raise SystemExit(f"Importing the same {timed_kind} file again changed something")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--awards", type=int, default=10_000)
    parser.add_argument(
        "--updates",
        type=int,
        default=10_000,
        help=f"quarterly figures, in plans of {PRIORITIES * MEASURES} measures x 4 quarters",
    )
    parser.add_argument("--areas", type=int, default=1_000)
    parser.add_argument(
        "--only",
        choices=("awards", "plan", "updates", "areas"),
        action="append",
        help="only these parts (may be repeated); all of them by default",
    )
    parser.add_argument("--limit", type=float, default=180, help="seconds one step may take")
    options = parser.parse_args()
    parts = options.only or ["awards", "plan", "updates", "areas"]

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from funding.models import Award, Fund, Organisation
    from plan.models import Area, Commitment, MeasureUpdate, OutcomeMeasure, Plan, Priority

    call_command("migrate", verbosity=0)
    if Award.objects.exists() or Plan.objects.exists() or Area.objects.exists():
        raise SystemExit("The database already has records: run this on an empty database only")
    print(f"Database: {connection.vendor}")

    if "awards" in parts:

        def clear_awards():
            Award.objects.all().delete()
            Fund.objects.all().delete()
            Organisation.objects.all().delete()

        make_awards(options.awards)
        round_trip(
            "awards: {rows:,}",
            ("organisations", "funds", "awards"),
            clear_awards,
            (Award,),
            options.limit,
        )

    plans = max(1, options.updates // (PRIORITIES * MEASURES * 4))
    shape = f"{plans} plans x {PRIORITIES} priorities x {MEASURES} measures"

    def clear_plans():
        MeasureUpdate.objects.all().delete()
        Plan.objects.all().delete()

    if "plan" in parts:
        make_plans(plans, 0)
        round_trip(
            f"plan: {{rows:,}} rows ({shape}, {COMMITMENTS} commitments a priority)",
            ("plan",),
            clear_plans,
            (Plan, Priority, Commitment, OutcomeMeasure),
            options.limit,
        )
        clear_plans()
    if "updates" in parts:
        make_plans(plans, 4)
        round_trip(  # the plans are imported first, untimed
            f"updates: {{rows:,}} ({shape} x 4 quarters)",
            ("plan", "updates"),
            clear_plans,
            (MeasureUpdate,),
            options.limit,
        )

    if "areas" in parts:

        def clear_areas():
            Area.objects.filter(parent__isnull=False).delete()
            Area.objects.all().delete()

        make_areas(options.areas)
        round_trip(
            "areas: {rows:,} (divisions and local authorities)",
            ("areas",),
            clear_areas,
            (Area,),
            options.limit,
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
