#!/usr/bin/env python
"""Times the main pages at 1x, 10x and 100x the demo data: does a page's time grow with the data?

    .venv/bin/python scripts/page_growth.py                  # 1x, 10x and 100x on SQLite
    .venv/bin/python scripts/page_growth.py --scales 1,10    # quicker: no 100x
    scripts/with-postgres.sh .venv/bin/python scripts/page_growth.py --scales 1,10

It loads the demo data (`manage.py demo`) into a throwaway database with production settings: a
SQLite file in a temporary folder, or the database DATABASE_URL names when it is set (with-
postgres.sh starts a throwaway PostgreSQL cluster and sets it); nothing is left behind. It times
each page with Django's test client, as an anonymous reader and as a panel member: one request
to warm it, one whose queries are counted, then the median of --runs requests. Then it grows the
data, in bulk, to each further scale and times the pages again. At 10x and 100x: 19 and 191
quarters of updates per outcome measure (the quarters before the demo's, approved), 10,000 and
100,000 awards, 50 and 500 published papers (with their sections and publications), and 10 and
100 times the scrutiny meetings (with their topics and actions) and panel meetings (with their
agenda items). Decisions and the search index stay as the demo has them.

It prints, for each page and reader, the median milliseconds at each scale, the ratio to 1x and
the number of queries at each scale, and exits with status 1 if any page did not answer 200.
On a machine busy with other work, --cpu times this process's CPU instead of the clock.
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import time
from io import StringIO

from throwaway import throwaway

WORK = throwaway("growth", postgres_allowed=True)

AWARDS_PER_SCALE = 1000  # 10,000 awards at 10x, 100,000 at 100x
PAPERS_PER_SCALE = 5  # 50 published papers at 10x, 500 at 100x


def prepare() -> None:
    """The demo data in a fresh database, as `make run` has it."""
    import logging

    import django

    django.setup()
    from django.core.management import call_command

    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # a line per task otherwise

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", password=os.urandom(12).hex(), allow_production=True, stdout=StringIO())


def pages() -> list[tuple[str, str]]:
    """(label, URL) of the pages timed, each a record of the demo data."""
    from plan.models import Plan, ReportingPeriod
    from reports.models import Report
    from scrutiny.models import PanelMeeting, ScrutinyMeeting

    plan = Plan.objects.order_by("-start_year").first()
    priority = plan.priorities.order_by("kind", "order").first()
    quarter = ReportingPeriod.objects.order_by("-financial_year", "-quarter").first()
    meeting = ScrutinyMeeting.objects.published().order_by("pk").first()
    panel_meeting = PanelMeeting.objects.published().order_by("pk").first()
    paper = Report.objects.filter(status="published").order_by("pk").first()
    return [
        ("home", "/"),
        ("plan overview", plan.get_absolute_url()),
        ("priority", priority.get_absolute_url()),
        ("quarter", f"{plan.get_absolute_url()}quarters/{quarter.slug}/"),
        ("scrutiny meetings", "/scrutiny/meetings/"),
        ("scrutiny meeting", meeting.get_absolute_url()),
        ("panel meetings", "/scrutiny/panel/"),
        ("panel meeting", panel_meeting.get_absolute_url()),
        ("funding", "/funding/"),
        ("awards", "/funding/awards/"),
        ("papers", "/reports/"),
        ("paper", paper.get_absolute_url()),
        ("decisions", "/decisions/"),
        ("search", "/search/?q=police"),
    ]


# Growing the data: copies of the demo's own rows, made with bulk_create.


def fields_of(record) -> dict:
    """A record's column values, less its primary key: the makings of a copy."""
    return {
        f.attname: getattr(record, f.attname)
        for f in record._meta.concrete_fields
        if not f.primary_key
    }


def copies(model, rows: list[dict]) -> list:
    """Saves `rows` (column values) as new records of `model`; returns them with their keys."""
    return model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)


def link_copies(field, pairs) -> None:
    """Many-to-many links for copies: `pairs` of (copy's key, original record)."""
    through = field.remote_field.through
    source = field.m2m_field_name() + "_id"
    target = field.m2m_reverse_field_name() + "_id"
    linked, links = {}, []
    for copy_pk, original in pairs:
        if original.pk not in linked:
            linked[original.pk] = list(getattr(original, field.name).values_list("pk", flat=True))
        for other_pk in linked[original.pk]:
            links.append(through(**{source: copy_pk, target: other_pk}))
    through.objects.bulk_create(links, batch_size=2000)


class Demo:
    """The demo's rows that growing copies, read once at 1x; `grown` is the scale reached."""

    def __init__(self):
        from funding.models import Award
        from plan.models import MeasureUpdate, OutcomeMeasure
        from reports.models import Report
        from scrutiny.models import PanelMeeting, ScrutinyMeeting

        self.measures = list(OutcomeMeasure.objects.order_by("pk"))
        self.updates = list(MeasureUpdate.objects.order_by("pk"))
        self.awards = list(Award.objects.order_by("pk"))
        self.papers = list(Report.objects.filter(status="published").order_by("pk"))
        self.meetings = list(ScrutinyMeeting.objects.order_by("pk"))
        self.panel_meetings = list(PanelMeeting.objects.order_by("pk"))
        self.grown = 1

    def grow(self, scale: int) -> None:
        """Copies rows until the data is `scale` times the demo's, in one transaction."""
        from django.db import connection, transaction

        if scale <= self.grown:
            return
        with transaction.atomic():
            self.grow_updates(scale)
            self.grow_awards(scale)
            self.grow_scrutiny(scale)
            papers_by_meeting = self.grow_panel_meetings(scale)
            self.grow_papers(scale, papers_by_meeting)
        self.grown = scale
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def grow_updates(self, scale: int) -> None:
        """Every measure gets approved updates for earlier quarters, until each has as many
        quarters as the demo's average times `scale` (19 at 10x, 191 at 100x)."""
        from plan.models import MeasureUpdate, ReportingPeriod

        quarters = round(len(self.updates) / len(self.measures) * scale)
        periods = list(ReportingPeriod.objects.order_by("-financial_year", "-quarter"))
        year, quarter = periods[-1].financial_year, periods[-1].quarter
        new_periods = []
        while len(periods) + len(new_periods) < quarters:
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
            new_periods.append(ReportingPeriod(financial_year=year, quarter=quarter))
        periods += copies(ReportingPeriod, [fields_of(p) for p in new_periods])
        had = {}
        for measure_id, period_id in MeasureUpdate.objects.values_list("measure_id", "period_id"):
            had.setdefault(measure_id, set()).add(period_id)
        model_update = {u.measure_id: u for u in self.updates if u.status == "approved"}
        any_update = next(u for u in self.updates if u.status == "approved")
        rows = []
        for measure in self.measures:
            template = model_update.get(measure.pk, any_update)
            for period in periods:
                if len(had.setdefault(measure.pk, set())) >= quarters:
                    break
                if period.pk in had[measure.pk]:
                    continue
                had[measure.pk].add(period.pk)
                row = fields_of(template)
                row.update(measure_id=measure.pk, period_id=period.pk, status="approved")
                rows.append(row)
        copies(MeasureUpdate, rows)

    def grow_awards(self, scale: int) -> None:
        """Copies of the demo's awards, a year earlier each tenth copy, with their priorities
        and areas, until there are AWARDS_PER_SCALE times `scale`."""
        from funding.models import Award

        have = Award.objects.count()
        rows, originals = [], []
        for n in range(have, AWARDS_PER_SCALE * scale):
            original = self.awards[n % len(self.awards)]
            row = fields_of(original)
            row["identifier"] = ""
            if original.award_date:
                back = datetime.timedelta(days=365 * (n // len(self.awards) % 10))
                row["award_date"] = original.award_date - back
            rows.append(row)
            originals.append(original)
        made = copies(Award, rows)
        for name in ("priorities", "areas"):
            link_copies(
                Award._meta.get_field(name), zip((a.pk for a in made), originals, strict=True)
            )

    def grow_scrutiny(self, scale: int) -> None:
        """Copies of the demo's scrutiny meetings, each copy a season earlier, with their
        topics (and their priorities) and actions (and their notes)."""
        from scrutiny.models import Action, ActionNote, ScrutinyMeeting, ScrutinyTopic

        made_from = []
        rows = []
        for k in range(self.grown, scale):
            for meeting in self.meetings:
                row = fields_of(meeting)
                row.update(
                    starts_at=meeting.starts_at - datetime.timedelta(days=91 * k),
                    rescheduled_to_id=None,
                    title=f"{meeting.title} ({k})",
                )
                rows.append(row)
                made_from.append(meeting)
        made = copies(ScrutinyMeeting, rows)
        pairs = [(copy.pk, original) for copy, original in zip(made, made_from, strict=True)]
        topics, topic_originals, actions, action_originals = [], [], [], []
        for copy_pk, original in pairs:
            for topic in original.topics.all():
                topics.append({**fields_of(topic), "meeting_id": copy_pk})
                topic_originals.append(topic)
            for action in original.actions.all():
                actions.append({**fields_of(action), "meeting_id": copy_pk})
                action_originals.append(action)
        made_topics = copies(ScrutinyTopic, topics)
        link_copies(
            ScrutinyTopic._meta.get_field("priorities"),
            zip((t.pk for t in made_topics), topic_originals, strict=True),
        )
        made_actions = copies(Action, actions)
        notes = [
            {**fields_of(note), "action_id": copy.pk}
            for copy, original in zip(made_actions, action_originals, strict=True)
            for note in original.notes.all()
        ]
        copies(ActionNote, notes)

    def grow_panel_meetings(self, scale: int) -> dict:
        """Copies of the demo's panel meetings with their agenda items, each copy on days none
        has (its date is its address); returns {original's pk: [(copy's pk, {item pk: copy's
        item pk})]} for the papers."""
        from scrutiny.models import AgendaItem, PanelMeeting

        first = min(m.starts_at for m in self.panel_meetings)
        last = max(m.starts_at for m in self.panel_meetings)
        span = datetime.timedelta(days=(last - first).days + 7)
        rows, made_from = [], []
        for k in range(self.grown, scale):
            for meeting in self.panel_meetings:
                rows.append({**fields_of(meeting), "starts_at": meeting.starts_at - span * k})
                made_from.append(meeting)
        made = copies(PanelMeeting, rows)
        items, item_from = [], []
        for copy, original in zip(made, made_from, strict=True):
            for item in original.agenda_items.all():
                items.append({**fields_of(item), "meeting_id": copy.pk})
                item_from.append((copy.pk, item.pk))
        made_items = copies(AgendaItem, items)
        item_map = {}
        for made_item, (meeting_pk, item_pk) in zip(made_items, item_from, strict=True):
            item_map.setdefault(meeting_pk, {})[item_pk] = made_item.pk
        by_original = {}
        for copy, original in zip(made, made_from, strict=True):
            by_original.setdefault(original.pk, []).append((copy.pk, item_map.get(copy.pk, {})))
        return by_original

    def grow_papers(self, scale: int, papers_by_meeting: dict) -> None:
        """Copies of the demo's published papers, with their sections and publications, until
        there are PAPERS_PER_SCALE times `scale`, each at a copy of its panel meeting."""
        from reports.models import Publication, Report, ReportSection

        have = Report.objects.filter(status="published").count()
        rows, made_from = [], []
        for n in range(have, PAPERS_PER_SCALE * scale):
            original = self.papers[n % len(self.papers)]
            row = {**fields_of(original), "title": f"{original.title} ({n})"}
            meetings = papers_by_meeting.get(original.panel_meeting_id)
            if meetings:  # the copies of its meeting in turn; else its own meeting
                meeting_pk, items = meetings[n % len(meetings)]
                row.update(
                    panel_meeting_id=meeting_pk,
                    agenda_item_id=items.get(original.agenda_item_id),
                )
            rows.append(row)
            made_from.append(original)
        made = copies(Report, rows)
        sections, publications = [], []
        for copy, original in zip(made, made_from, strict=True):
            sections += [{**fields_of(s), "report_id": copy.pk} for s in original.sections.all()]
            publications += [
                {**fields_of(p), "report_id": copy.pk} for p in original.publications.all()
            ]
        copies(ReportSection, sections)
        copies(Publication, publications)


# Timing.


def panel_member():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from pcc_portal.roles import PANEL_MEMBER

    user = get_user_model().objects.create_user(username="growth-panel-member")
    user.groups.add(Group.objects.get(name=PANEL_MEMBER))
    return user


def time_page(client, url: str, runs: int, clock) -> tuple[float | None, int, str]:
    """The median milliseconds of `runs` requests after a warming one, the query count of the
    request after it (the warming one may also save the session's last-seen time, once a
    minute), and what went wrong ("" if nothing)."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    try:
        client.get(url)
        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            return None, len(queries), f"status {response.status_code}"
        seconds = []
        for _ in range(runs):
            start = clock()
            client.get(url)
            seconds.append(clock() - start)
    except Exception as error:
        return None, 0, f"{type(error).__name__}: {error}"
    return statistics.median(seconds) * 1000, len(queries), ""


def time_pages(readers: dict, runs: int, clock) -> dict:
    """{(label, reader): (median ms, queries, error)} for every page and reader."""
    return {
        (label, reader): time_page(client, url, runs, clock)
        for reader, client in readers.items()
        for label, url in pages()
    }


def counts() -> str:
    from funding.models import Award
    from plan.models import MeasureUpdate
    from reports.models import Report
    from scrutiny.models import Action, PanelMeeting, ScrutinyMeeting

    return (
        f"{MeasureUpdate.objects.count():,} updates, {Award.objects.count():,} awards, "
        f"{Report.objects.filter(status='published').count():,} published papers, "
        f"{ScrutinyMeeting.objects.count():,} scrutiny meetings, "
        f"{Action.objects.count():,} actions, {PanelMeeting.objects.count():,} panel meetings"
    )


def table(results: dict, scales: list[int]) -> tuple[str, int]:
    """The figures as a table, and how many pages went wrong."""
    first = results[scales[0]]
    head = f"{'page':<18} {'reader':<13}"
    head += "".join(f" {f'ms {s}x':>9}" for s in scales)
    head += "".join(f" {f'ratio {s}x':>9}" for s in scales[1:])
    head += "".join(f" {f'q {s}x':>6}" for s in scales)
    lines, errors = [head], []
    for key in first:
        line = f"{key[0]:<18} {key[1]:<13}"
        figures = [results[s][key] for s in scales]
        line += "".join(
            f" {ms:>9.1f}" if ms is not None else f" {'error':>9}" for ms, _, _ in figures
        )
        base = figures[0][0]
        for ms, _, _ in figures[1:]:
            line += f" {ms / base:>9.1f}" if ms is not None and base else f" {'-':>9}"
        line += "".join(f" {q:>6}" for _, q, _ in figures)
        lines.append(line)
        errors += [
            f"{key[0]}, {key[1]}, {s}x: {f[2]}"
            for s, f in zip(scales, figures, strict=True)
            if f[2]
        ]
    return "\n".join(lines + errors), len(errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="the scales, from 1 (1,10,100)")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page (5)")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time this process's CPU, not the clock: steadier on a busy machine, but on SQLite "
        "only (PostgreSQL's share of the work is in its own processes)",
    )
    arguments = parser.parse_args()
    scales = sorted({int(s) for s in arguments.scales.split(",")} | {1})
    try:
        start = time.perf_counter()
        prepare()
        from django.db import connection
        from django.test import Client

        print(f"Database: {connection.vendor}; demo loaded in {time.perf_counter() - start:.0f} s")
        member = Client()
        member.force_login(panel_member())
        readers = {"anonymous": Client(), "panel member": member}
        clock = time.process_time if arguments.cpu else time.perf_counter
        print("Times are this process's CPU time." if arguments.cpu else "Times are wall-clock.")
        demo = Demo()
        results = {}
        for scale in scales:
            start = time.perf_counter()
            demo.grow(scale)
            grown = time.perf_counter() - start
            print(f"{scale}x: {counts()} (grown in {grown:.0f} s)", flush=True)
            results[scale] = time_pages(readers, arguments.runs, clock)
        report, errors = table(results, scales)
        print(report)
        return 1 if errors else 0
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
