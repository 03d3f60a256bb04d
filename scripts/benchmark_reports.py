#!/usr/bin/env python
"""Measures how long panel papers take to render.

    .venv/bin/python scripts/benchmark_reports.py

Everything happens in a throwaway folder (SQLite database, media, collected static files).

It reports the PDF render time, page count and size of the 8 March 2021 paper, of a 10-page
paper, of the 8 March 2021 agenda pack as the demo data holds it (its published papers, cover
with membership, contents) and of that pack with the 10-page paper added. How published output
is served is `make bench` (scripts/bench.py).
"""

import argparse
import os
import shutil
import statistics
import time
from io import StringIO

from throwaway import throwaway

WORK = throwaway("renders")


def timed(function, runs: int = 5) -> tuple[float, object]:
    """The median seconds of `runs` calls, and the last result."""
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def prepare():
    import django

    django.setup()
    from django.core.management import call_command

    # Static files first: the demo data's published papers are rendered as they load. Then the
    # demo data as `make run` has it: the accounts the fixtures name, then every fixture.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", password=os.urandom(12).hex(), allow_production=True, stdout=StringIO())


def ten_page_paper():
    """A paper of about ten A4 pages: many numbered paragraphs and a funding table."""
    from reports.models import Report, ReportSection

    paper = Report.objects.get(pk=2)
    paper.pk = None
    paper.title = "Benchmark paper of about ten pages"
    paper.status = Report.Status.DRAFT
    paper.agenda_order = 2
    paper.save()
    sentence = ("The Commissioner reviewed progress against the plan with the Chief Constable "
                "and partners, and agreed the next steps set out in this paragraph. ")  # fmt: skip
    for order in range(1, 12):
        body = "\n\n".join(sentence * 3 for _ in range(6))
        ReportSection.objects.create(report=paper, order=order, heading=f"Part {order}", body=body)
    ReportSection.objects.create(report=paper, order=99, kind="funding_table",
                                 params={"direction": "incoming"})  # fmt: skip
    return paper


def render_figures() -> dict:
    from io import BytesIO

    from pypdf import PdfReader

    from reports import rendering
    from reports.models import Report
    from reports.packs import pack_pdf
    from reports.services import publish_pending, report_publish

    march = Report.objects.get(pk=2)
    meeting = march.panel_meeting
    figures = {}
    seconds, pdf = timed(lambda: rendering.render_paper_pdf(march))
    figures["8 March 2021 paper"] = (seconds, len(PdfReader(BytesIO(pdf)).pages), len(pdf))
    long_paper = ten_page_paper()
    seconds, pdf = timed(lambda: rendering.render_paper_pdf(long_paper))
    figures["10-page paper"] = (seconds, len(PdfReader(BytesIO(pdf)).pages), len(pdf))
    publish_pending(user=None)
    for audience in ("public", "members"):
        seconds, (pdf, page_count, _) = timed(lambda a=audience: pack_pdf(meeting, a))
        figures[f"agenda pack, 8 March 2021, {audience}"] = (seconds, page_count, len(pdf))
    report_publish(report=long_paper, user=None)
    seconds, (pdf, page_count, _) = timed(lambda: pack_pdf(meeting, "public"))
    figures["the same with the 10-page paper"] = (seconds, page_count, len(pdf))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    try:
        prepare()
        print("PDF render times (median of 5, this machine):")
        for label, (seconds, pages, size) in render_figures().items():
            print(f"  {label:<40} {seconds:6.2f} s   {pages:3d} pages   {size:9,d} bytes")
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
