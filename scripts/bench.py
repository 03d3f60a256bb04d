#!/usr/bin/env python
"""How fast the portal serves its published output, beside file servers serving the same bytes.

    make bench
    .venv/bin/python scripts/bench.py [--rounds 5] [--seconds 3] [--readers 50]
                                      [--readers-seconds 60] [--skip-nginx] [--skip-readers]
                                      [--skip-publishing] [--skip-files]
    scripts/with-postgres.sh .venv/bin/python scripts/bench.py --postgres

It loads the demo data into a throwaway folder (SQLite database, media, collected static files),
starts the portal under gunicorn with production settings (2 workers) and Debian's nginx in
front of it, all on 127.0.0.1, and stops them at the end however the run ends. Load comes from
wrk. `make bench` installs wrk, ab and nginx from Debian when they are missing.

Each figure is a ratio measured side by side: the portal's requests per second over those of a
file server serving the same bytes (WhiteNoise under the same gunicorn, or nginx from disk),
with each round running both, one after the other, in alternating order. The ratio printed is
the median of the rounds' ratios, with the lowest and highest beside it, so a busy machine shows
as spread rather than as a wrong figure. Then many readers at once: a mix of public pages read
by one reader, then by --readers readers each pausing 0.5 to 1.5 s between pages as people do,
and by as many with no pause at all (a load no reader makes: it shows the queue). Then readers'
throughput while the background worker publishes papers without a pause, beside it idle.

With --postgres, under scripts/with-postgres.sh (as `make bench` runs it second), the demo is
loaded into that PostgreSQL database and only one figure is measured: pages through the views
with database connections kept, beside a new connection for every request.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from io import StringIO

from throwaway import ROOT, throwaway

# With --postgres (under scripts/with-postgres.sh) the portal runs on the DATABASE_URL given.
WORK = throwaway("bench", postgres_allowed="--postgres" in sys.argv)
FILES = WORK / "files"  # the same bytes, for the file servers

# wrk runs this in each of its threads: it sends the request (one path, or each of a mix in
# turn), pauses between requests when asked, and prints what it measured as one JSON line.
WRK_SCRIPT = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local pause = %(pause)s
local counter = 0
function setup(thread) thread:set("id", math.random(1, #paths)) end
function request()
  counter = counter + 1
  local index = (counter + (id or 0)) %% #paths + 1
  return wrk.format("GET", paths[index], headers)
end
if pause then
  function delay() return math.random(500, 1500) end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%f, "p50": %%d, "p95": %%d, "status_errors": %%d,'
    .. ' "socket_errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)


def wrk(base: str, paths, *, seconds: float, connections: int, headers=None, pause=False):
    """Runs wrk against `base` with the paths in turn; its figures as a dict (req/s added)."""
    script = WORK / f"wrk-{os.getpid()}-{time.monotonic_ns()}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(lua_string(p) for p in paths),
            "headers": ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in
                                 (headers or {}).items()),
            "pause": "true" if pause else "false",
        }
    )  # fmt: skip
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(script), base]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    script.unlink()
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def ab(url: str, *, seconds: int) -> float:
    """Requests per second from ApacheBench, 8 at a time: a second load generator, to check
    that wrk's figures are not its own."""
    output = subprocess.run(["ab", "-q", "-k", "-c", "8", "-t", str(seconds), "-n", "1000000", url],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("Requests per second"))
    return float(line.split()[3])


def prepare():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", password=os.urandom(12).hex(), allow_production=True, stdout=StringIO())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"Nothing answered at {url}")


def targets() -> dict[str, str]:
    """The published output measured: the 8 March 2021 paper's page and PDF, and its
    meeting's agenda reports pack, as the public reads them."""
    from reports.models import Pack, Report

    paper = Report.objects.get(pk=2)
    pack = Pack.objects.filter(meeting=paper.panel_meeting, audience="public").first()
    if pack is None:
        raise SystemExit("The demo data has no agenda pack for the 8 March 2021 meeting.")
    return {
        "page": paper.get_absolute_url(),
        "pdf": paper.get_pdf_url(),
        "pack": f"/scrutiny/panel/{paper.panel_meeting.date.isoformat()}/pack.pdf",
    }


def reader_mix() -> list[str]:
    """Public pages a reader goes through: lists, a priority, a meeting, a paper."""
    from plan.models import Priority
    from scrutiny.models import PanelMeeting, ScrutinyMeeting

    paths = ["/", "/plan/", "/scrutiny/meetings/", "/scrutiny/panel/", "/funding/",
             "/funding/awards/", "/reports/", "/reports/2/", "/reports/2.pdf", "/decisions/",
             "/search/?q=police"]  # fmt: skip
    paths.append(Priority.objects.order_by("pk").first().get_absolute_url())
    paths.append(ScrutinyMeeting.objects.order_by("pk").first().get_absolute_url())
    paths.append(
        PanelMeeting.objects.filter(published=True)
        .order_by("-starts_at")
        .first()
        .get_absolute_url()
    )
    return paths


def copy_bytes(urls: dict[str, str]) -> dict[str, str]:
    """Writes what the portal answers for each URL as a file of the same bytes, in the folder
    WhiteNoise serves (collected static files) and in the one nginx serves; their paths."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    static = WORK / "static" / "bench"
    static.mkdir(parents=True, exist_ok=True)
    FILES.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        suffix = ".html" if name == "page" else ".pdf"
        (static / f"{name}{suffix}").write_bytes(body)
        (FILES / f"{name}{suffix}").write_bytes(body)
        paths[name] = f"bench/{name}{suffix}"
    return paths


NGINX_CONF = """
worker_processes 2;
pid %(work)s/nginx.pid;
error_log %(work)s/nginx-error.log warn;
daemon off;
%(user)s
events { worker_connections 1024; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  sendfile on;
  etag on;
  client_body_temp_path %(work)s/nginx-body;
  proxy_temp_path %(work)s/nginx-proxy;
  fastcgi_temp_path %(work)s/nginx-fastcgi;
  uwsgi_temp_path %(work)s/nginx-uwsgi;
  scgi_temp_path %(work)s/nginx-scgi;
  upstream portal { server 127.0.0.1:%(portal)d; keepalive 16; }
  server {
    listen 127.0.0.1:%(port)d;
    location /files/ { alias %(files)s/; }
    # What the portal hands over with X-Accel-Redirect (see README, "Serving published files").
    location /_published/ {
      internal;
      alias %(media)s/;
      charset utf-8;
      etag off;
      if_modified_since off;
      add_header ETag $upstream_http_etag;
      add_header Last-Modified $upstream_http_last_modified;
      add_header Vary $upstream_http_vary;
      add_header Content-Security-Policy $upstream_http_content_security_policy;
      add_header X-Frame-Options $upstream_http_x_frame_options;
      add_header X-Content-Type-Options $upstream_http_x_content_type_options;
      add_header Referrer-Policy $upstream_http_referrer_policy;
      add_header Cross-Origin-Opener-Policy $upstream_http_cross_origin_opener_policy;
      add_header Strict-Transport-Security $upstream_http_strict_transport_security;
    }
    location / {
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
"""


def start_nginx(portal_port: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    conf = WORK / "nginx.conf"
    conf.write_text(
        NGINX_CONF
        % {
            "work": WORK, "files": FILES, "media": WORK / "media", "portal": portal_port,
            "port": port, "user": "user root;" if os.geteuid() == 0 else "",
        }
    )  # fmt: skip
    server = subprocess.Popen(["nginx", "-p", str(WORK), "-c", str(conf)])
    wait_for(f"http://127.0.0.1:{port}/files/page.html")
    return server, port


def start_gunicorn(extra_env=None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pcc_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **(extra_env or {})},
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return server, port


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def etag(url: str) -> str | None:
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
        return response.headers.get("ETag")


def compare(label, portal, files, *, rounds: int, seconds: float, rows: list) -> None:
    """Runs each side once per round, in alternating order; keeps the ratio of each round."""
    ratios, portal_rps, files_rps = [], [], []
    for base, path, headers in (portal, files):  # warm up: first requests load code
        wrk(base, [path], seconds=1, connections=2, headers=headers)
    for round_ in range(rounds):
        sides = [portal, files] if round_ % 2 == 0 else [files, portal]
        measured = {}
        for side in sides:
            base, path, headers = side
            result = wrk(base, [path], seconds=seconds, connections=8, headers=headers)
            if result["status_errors"] or result["socket_errors"]:
                raise SystemExit(f"{label}: errors from {base}{path}: {result}")
            measured[id(side)] = result["rps"]
        portal_rps.append(measured[id(portal)])
        files_rps.append(measured[id(files)])
        ratios.append(measured[id(portal)] / measured[id(files)])
    rows.append((label, statistics.median(portal_rps), statistics.median(files_rps),
                 statistics.median(ratios), min(ratios), max(ratios)))  # fmt: skip
    print(f"  {label:<46} {rows[-1][1]:8.0f} {rows[-1][2]:8.0f} "
          f"{rows[-1][3]:7.1%}  ({rows[-1][4]:.1%} to {rows[-1][5]:.1%})", flush=True)  # fmt: skip


def serving(args, urls, copies) -> None:
    gunicorn, portal_port = start_gunicorn()
    nginx = None
    try:
        base = f"http://127.0.0.1:{portal_port}"
        rows = []
        names = {"page": "paper, web page", "pdf": "paper, PDF", "pack": "agenda pack"}
        if not args.skip_files:
            print(f"\nServing, {args.rounds} rounds of {args.seconds} s a side, 8 connections "
                  "(req/s: medians; ratio: median of the rounds, lowest to highest):")  # fmt: skip
            print(f"  {'':<46} {'portal':>8} {'file':>8} {'ratio':>7}")
            for name, url in urls.items():
                compare(f"{names[name]}, 200 (WhiteNoise)", (base, url, None),
                        (base, f"/static/{copies[name]}", None), rounds=args.rounds,
                        seconds=args.seconds, rows=rows)  # fmt: skip
            if shutil.which("ab"):
                ratios = []
                for _ in range(args.rounds):
                    mine = ab(base + urls["pdf"], seconds=args.seconds)
                    ratios.append(mine / ab(f"{base}/static/{copies['pdf']}", seconds=args.seconds))
                print(
                    f"  {'paper, PDF, 200 (WhiteNoise), with ab':<46} {'':>8} {'':>8} "
                    f"{statistics.median(ratios):7.1%}  ({min(ratios):.1%} to {max(ratios):.1%})"
                )
            for name, url in urls.items():
                mine, theirs = etag(base + url), etag(f"{base}/static/{copies[name]}")
                if not mine:
                    print(f"  {names[name] + ', 304 (WhiteNoise)':<46} the portal sends no ETag")
                    continue
                compare(f"{names[name]}, 304 (WhiteNoise)", (base, url, {"If-None-Match": mine}),
                        (base, f"/static/{copies[name]}", {"If-None-Match": theirs}),
                        rounds=args.rounds, seconds=args.seconds, rows=rows)  # fmt: skip
        if not args.skip_nginx:
            # Behind nginx the portal hands the files over (X-Accel-Redirect), as in production.
            stop(gunicorn)
            gunicorn, portal_port = start_gunicorn(
                {"DJANGO_PUBLISHED_ACCEL_REDIRECT": "/_published/"}
            )
            base = f"http://127.0.0.1:{portal_port}"
            nginx, nginx_port = start_nginx(portal_port)
            front = f"http://127.0.0.1:{nginx_port}"
            for name, url in urls.items() if not args.skip_files else ():
                file_path = "/files/" + copies[name].removeprefix("bench/")
                compare(f"{names[name]}, 200 (nginx)", (front, url, None),
                        (front, file_path, None), rounds=args.rounds, seconds=args.seconds,
                        rows=rows)  # fmt: skip
            show_headers(front + urls["page"])
        if not args.skip_readers:
            readers(front if nginx else base, args)
        if not args.skip_publishing:
            publishing(front if nginx else base, args)
    finally:
        if nginx:
            stop(nginx)
        stop(gunicorn)


def show_headers(url: str) -> None:
    """What nginx sends for a page the portal handed over, to check nothing was lost."""
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        names = ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Vary",
                 "Content-Security-Policy", "X-Frame-Options")  # fmt: skip
        print(f"  through nginx, {url.split('/', 3)[-1]}: {len(body)} bytes, " + "; ".join(
            f"{name}: {response.headers.get(name)}" for name in names))  # fmt: skip


def readers(base: str, args) -> None:
    paths = reader_mix()
    one = wrk(base, paths, seconds=10, connections=1)
    print(f"\nMany readers at once, {len(paths)} public pages in turn, under gunicorn:")
    print(f"  one reader: {one['rps']:.0f} req/s, p50 {one['p50'] / 1000:.1f} ms, "
          f"p95 {one['p95'] / 1000:.1f} ms")  # fmt: skip
    for pause, label in ((True, "pausing 0.5-1.5 s"), (False, "with no pause")):
        many = wrk(base, paths, seconds=args.readers_seconds, connections=args.readers,
                   pause=pause)  # fmt: skip
        errors = many["status_errors"] + many["socket_errors"]
        print(f"  {args.readers} readers {label}: {many['rps']:.0f} req/s, {errors} errors, "
              f"p50 {many['p50'] / 1000:.1f} ms, p95 {many['p95'] / 1000:.1f} ms = "
              f"{many['p95'] / one['p50']:.1f}x the one reader's p50", flush=True)  # fmt: skip


def publish_keep_busy(stop_event) -> None:
    """An approver publishing the demo's papers again and again, as soon as each is done, so the
    worker is never idle while the readers read."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from reports.models import Report
    from reports.publishing import report_publish_request

    approver = get_user_model().objects.get(username="approver")
    papers = list(Report.objects.published().order_by("pk"))
    while not stop_event.is_set():
        for paper in papers:
            report_publish_request(report=paper, user=approver)  # joins one still running
        stop_event.wait(0.2)
    connection.close()


def queue_wait(seconds: float) -> None:
    """Waits until the worker has finished what is queued (or `seconds` pass)."""
    from django_tasks_db.models import DBTaskResult

    end = time.monotonic() + seconds
    while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        if time.monotonic() > end:
            raise SystemExit("The worker did not finish the queued publishing in time")
        time.sleep(0.5)


def publishing(base: str, args) -> None:
    """Readers' throughput while the worker publishes papers, beside their throughput with the
    worker idle: rounds alternate, an approver publishing throughout each busy round."""
    from reports.models import PaperPublishing

    paths = reader_mix()
    worker = subprocess.Popen(
        ["nice", "-n", "10", sys.executable, "manage.py", "db_worker", "--no-reload",
         "--no-startup-delay", "--interval", "0.2", "--verbosity", "0"],
        cwd=ROOT, env=os.environ.copy(),
    )  # fmt: skip
    try:
        wrk(base, paths, seconds=2, connections=8)
        ratios, idle_rps, busy_rps, published = [], [], [], 0
        for round_ in range(args.rounds):
            measured = {}
            for busy in (False, True) if round_ % 2 == 0 else (True, False):
                done_before = PaperPublishing.objects.filter(state="published").count()
                stop_event = threading.Event()
                approver = threading.Thread(target=publish_keep_busy, args=(stop_event,))
                if busy:
                    approver.start()
                    time.sleep(1)  # the worker has started on the first paper
                result = wrk(base, paths, seconds=args.seconds * 3, connections=8)
                stop_event.set()
                if busy:
                    approver.join()
                    published += (
                        PaperPublishing.objects.filter(state="published").count() - done_before
                    )
                if result["status_errors"] or result["socket_errors"]:
                    raise SystemExit(f"errors while publishing: {result}")
                measured[busy] = result["rps"]
                queue_wait(300)
            idle_rps.append(measured[False])
            busy_rps.append(measured[True])
            ratios.append(measured[True] / measured[False])
    finally:
        stop(worker)
    print(f"\nReaders while the worker publishes (an approver publishing papers without a pause; "
          f"{published} revisions published while readers read), 8 connections, "
          f"{len(paths)} public pages in turn:")  # fmt: skip
    print(f"  idle {statistics.median(idle_rps):.0f} req/s, publishing "
          f"{statistics.median(busy_rps):.0f} req/s: {statistics.median(ratios):.1%} of idle "
          f"({min(ratios):.1%} to {max(ratios):.1%})", flush=True)  # fmt: skip


def connections(args) -> None:
    """Pages read through the views with database connections kept (the default) beside a new
    connection for every request, which PostgreSQL makes costly; rounds alternate."""
    paths = [p for p in reader_mix() if not p.startswith("/reports/2")]  # views, not files
    kept, kept_port = start_gunicorn({"DJANGO_CONN_MAX_AGE": "60"})
    new, new_port = start_gunicorn({"DJANGO_CONN_MAX_AGE": "0"})
    try:
        sides = {"kept": f"http://127.0.0.1:{kept_port}", "new": f"http://127.0.0.1:{new_port}"}
        for base in sides.values():
            wrk(base, paths, seconds=2, connections=8)
        ratios, rps = [], {"kept": [], "new": []}
        for round_ in range(args.rounds):
            order = ["kept", "new"] if round_ % 2 == 0 else ["new", "kept"]
            measured = {}
            for side in order:
                result = wrk(sides[side], paths, seconds=args.seconds * 2, connections=8)
                if result["status_errors"] or result["socket_errors"]:
                    raise SystemExit(f"errors with connections {side}: {result}")
                measured[side] = result["rps"]
                rps[side].append(result["rps"])
            ratios.append(measured["new"] / measured["kept"])
    finally:
        stop(kept)
        stop(new)
    from django.db import connection

    print(f"\nDatabase connections ({connection.vendor}), {len(paths)} pages through the views, "
          "8 connections:")  # fmt: skip
    print(f"  kept (DJANGO_CONN_MAX_AGE=60) {statistics.median(rps['kept']):.0f} req/s, "
          f"a new one each request (0) {statistics.median(rps['new']):.0f} req/s: new is "
          f"{statistics.median(ratios):.1%} of kept ({min(ratios):.1%} to {max(ratios):.1%})",
          flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--readers-seconds", type=int, default=60)
    parser.add_argument("--skip-nginx", action="store_true")
    parser.add_argument("--skip-readers", action="store_true")
    parser.add_argument("--skip-publishing", action="store_true")
    parser.add_argument("--skip-files", action="store_true", help="only readers and publishing")
    parser.add_argument(
        "--postgres", action="store_true",
        help="on the DATABASE_URL of scripts/with-postgres.sh: connections kept or not, only",
    )  # fmt: skip
    args = parser.parse_args()
    for tool in ("wrk", *(() if args.skip_nginx else ("nginx",))):
        if not shutil.which(tool):
            raise SystemExit(f"The benchmark needs {tool}: apt-get install {tool}")
    try:
        prepare()
        if args.postgres:
            connections(args)
            return
        urls = targets()
        copies = copy_bytes(urls)
        serving(args, urls, copies)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
