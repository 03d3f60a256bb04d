#!/usr/bin/env python
"""Measures how fast panel papers render and are served.

    .venv/bin/python scripts/benchmark_reports.py [--requests 400] [--concurrency 8]
    .venv/bin/python scripts/benchmark_reports.py --renders-only

Everything happens in a throwaway folder (SQLite database, media, collected static files) and
on 127.0.0.1 only; the server it starts is stopped at the end, however the run ends.

It reports: the PDF render time, page count and size of the 8 March 2021 paper, of a 10-page
paper, of the 8 March 2021 agenda pack as the demo data holds it (its published papers, cover
with membership, contents) and of that pack with the 10-page paper added; and the requests per
second for a published paper's web page and PDF under gunicorn, beside static files of the same
sizes served by the same server (WhiteNoise).
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="pcc-portal-bench-"))
ENV = {
    "DJANGO_SETTINGS_MODULE": "pcc_portal.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_HSTS_SECONDS": "0",
    "DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}",
    "DJANGO_MEDIA_ROOT": str(WORK / "media"),
    "DJANGO_STATIC_ROOT": str(WORK / "static"),
    "DJANGO_LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def same_size_static(name: str, size: int) -> str:
    """A static file of `size` bytes in the collected folder, served by WhiteNoise."""
    folder = WORK / "static" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(os.urandom(size))
    return f"/static/bench/{name}"


def load(url: str, requests: int, concurrency: int, deadline: float) -> tuple[float, float, int]:
    """Requests per second and median latency for `requests` GETs over `concurrency` threads."""
    latencies, errors, lock = [], [0], threading.Lock()
    per_thread = requests // concurrency

    def worker():
        for _ in range(per_thread):
            if time.monotonic() > deadline:
                return
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, errors[0]


def serve_figures(requests: int, concurrency: int) -> list[tuple[str, int, float, float, int]]:
    from django.test import Client

    from reports.models import Report

    march = Report.objects.get(pk=2)
    paper_url, pdf_url = march.get_absolute_url(), march.get_pdf_url()
    # Sizes first, so that same-size static files exist before the server scans for them.
    client = Client(HTTP_HOST="127.0.0.1")
    html_bytes = len(client.get(paper_url).content)
    pdf_bytes = len(b"".join(client.get(pdf_url).streaming_content))
    targets = [
        ("published paper, web page", paper_url, html_bytes),
        (
            "static file, same size as the page",
            same_size_static("page.html", html_bytes),
            html_bytes,
        ),
        ("published paper, PDF", pdf_url, pdf_bytes),
        ("static file, same size as the PDF", same_size_static("paper.pdf", pdf_bytes), pdf_bytes),
    ]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pcc_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **ENV},
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for label, url, size in targets:
            load(base + url, 20, 2, time.monotonic() + 10)  # warm up
            rps, median_ms, errors = load(base + url, requests, concurrency, time.monotonic() + 60)
            rows.append((label, size, rps, median_ms, errors))
        return rows
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--renders-only", action="store_true", help="skip the serving figures")
    args = parser.parse_args()
    try:
        prepare()
        print("PDF render times (median of 5, this machine):")
        for label, (seconds, pages, size) in render_figures().items():
            print(f"  {label:<40} {seconds:6.2f} s   {pages:3d} pages   {size:9,d} bytes")
        if args.renders_only:
            return
        print(f"\nServing under gunicorn, 2 workers, {args.requests} requests, "
              f"{args.concurrency} at a time, 127.0.0.1:")  # fmt: skip
        print(f"  {'':<40} {'bytes':>8} {'req/s':>8} {'median ms':>10} {'errors':>7}")
        for label, size, rps, median_ms, errors in serve_figures(args.requests, args.concurrency):
            print(f"  {label:<40} {size:8d} {rps:8.1f} {median_ms:10.1f} {errors:7d}")
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
