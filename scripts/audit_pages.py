"""Audits the portal's main pages as the public sees them: Lighthouse, pa11y and the Nu HTML
Checker, against the demo data on a throwaway SQLite database.

Run by `make audit`, which installs Lighthouse, pa11y and the Nu checker's jar from
audit/package-lock.json first. Prints one table and exits non-zero if a page scores below 100 for
accessibility or SEO, or pa11y or the Nu checker reports an error. The browser is Debian's
Chromium (CHROMIUM); the Nu checker is `vnu` where installed, else the jar VNU_JAR names or the
one the audit installed, and is skipped where there is no Java to run it.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "audit" / "node_modules" / ".bin"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
TOOL_TIMEOUT = int(os.environ.get("AUDIT_TIMEOUT", "180"))  # seconds, for each tool run
PLAN = "2021-2025"


class Links(HTMLParser):
    """Every link's href on a page."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def first_link(base: str, path: str, pattern: str) -> str:
    parser = Links()
    parser.feed(fetch(base + path))
    for href in parser.hrefs:
        if re.fullmatch(pattern, href):
            return href
    raise SystemExit(f"No link matching {pattern} on {path}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_portal(workdir: Path) -> tuple[subprocess.Popen, str]:
    """The portal with the demo data on a new SQLite database, in its own process group."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{workdir / 'audit.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "demo", f"--password={secrets.token_urlsafe(16)}"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=TOOL_TIMEOUT * 2,
    )
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "server.log").open("w"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                fetch(base + "/")
                return server, base
            except OSError:
                if server.poll() is not None:
                    log = (workdir / "server.log").read_text()
                    raise SystemExit("The portal did not start:\n" + log) from None
                time.sleep(0.5)
        raise SystemExit("The portal did not answer within 30 seconds")
    except BaseException:
        stop(server)
        raise


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def pages(base: str) -> list[str]:
    plan = f"/plan/{PLAN}/"
    return [
        "/",
        plan,
        first_link(base, plan, rf"{plan}(?!quarters/)[\w-]+/"),
        first_link(base, plan, rf"{plan}quarters/[\w-]+/"),
        "/scrutiny/",
        "/scrutiny/meetings/",
        "/scrutiny/actions/",
        "/funding/awards/",
        "/reports/",
        first_link(base, "/reports/", r"/reports/\d+/"),
    ]


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=TOOL_TIMEOUT, **options
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 124, "", f"timed out after {TOOL_TIMEOUT}s")


def lighthouse(url: str, workdir: Path) -> tuple[dict, list[str]]:
    """The three categories' scores (0-100) and the failing audits' titles."""
    report = workdir / "lighthouse.json"
    result = run(
        [
            str(BIN / "lighthouse"),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=accessibility,seo,best-practices",
            f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if result.returncode != 0 or not report.exists():
        return {}, [f"lighthouse failed: {result.stderr.strip()[-500:]}"]
    data = json.loads(report.read_text())
    report.unlink()
    scores, failures = {}, []
    for key, category in data["categories"].items():
        scores[key] = None if category["score"] is None else round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight") and audit["score"] is not None and audit["score"] < 1:
                failures.append(f"{key}: {ref['id']}: {audit['title']}")
    return scores, failures


def pa11y(url: str, config: Path) -> tuple[int | None, list[str]]:
    """pa11y's errors (runners axe and htmlcs, WCAG2AA), through audit/pa11y.cjs."""
    result = run(["node", str(ROOT / "audit" / "pa11y.cjs"), url, str(config)])
    try:
        issues = json.loads(result.stdout)
    except ValueError:
        return None, [f"pa11y failed: {(result.stderr or result.stdout).strip()[-500:]}"]
    errors = [i for i in issues if i["type"] == "error"]
    return len(errors), [
        f"pa11y {i['runner']}: {i['code']}: {i['message']} ({i['selector']})" for i in errors
    ]


# The checker's jar comes pinned with the audit's own npm packages (vnu-jar); it needs Java.
BUNDLED_VNU_JAR = ROOT / "audit" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_checker() -> list[str] | None:
    if shutil.which("vnu"):
        return ["vnu"]
    jar = os.environ.get("VNU_JAR") or str(BUNDLED_VNU_JAR)
    if shutil.which("java") and os.path.exists(jar):
        return ["java", "-jar", jar]
    return None


def nu(url: str, checker: list[str], workdir: Path) -> tuple[int | None, list[str]]:
    document = workdir / "page.html"
    document.write_text(fetch(url))
    result = run([*checker, "--errors-only", "--format", "json", str(document)])
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        return None, [f"Nu checker failed: {result.stderr.strip()[-500:]}"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    return len(errors), [f"line {m.get('lastLine')}: {m['message']}" for m in errors]


def main() -> int:
    # Stopped from outside: leave through the `finally` that stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not os.access(CHROMIUM, os.X_OK):
        print(f"The audit needs Chromium at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 2
    checker = nu_checker()
    with tempfile.TemporaryDirectory(prefix="portal-audit-") as tmp:
        workdir = Path(tmp)
        config = workdir / "pa11y.json"
        config.write_text(
            json.dumps(
                {
                    "timeout": TOOL_TIMEOUT * 1000 // 2,
                    "chromeLaunchConfig": {
                        "executablePath": CHROMIUM,
                        "args": [f for f in CHROMIUM_FLAGS if not f.startswith("--headless")],
                    },
                }
            )
        )
        server, base = start_portal(workdir)
        try:
            rows, problems = [], []
            for path in pages(base):
                print(f"Auditing {path}", file=sys.stderr, flush=True)
                scores, failures = lighthouse(base + path, workdir)
                pa11y_errors, pa11y_found = pa11y(base + path, config)
                if checker:
                    nu_errors, nu_found = nu(base + path, checker, workdir)
                else:
                    nu_errors, nu_found = "skipped", []
                rows.append(
                    [
                        path,
                        scores.get("accessibility"),
                        scores.get("seo"),
                        scores.get("best-practices"),
                        pa11y_errors,
                        nu_errors,
                    ]
                )
                failed = (
                    scores.get("accessibility") != 100
                    or scores.get("seo") != 100
                    or pa11y_errors != 0
                    or (checker and nu_errors != 0)
                )
                if failed or failures:
                    problems.append((path, failures + pa11y_found + nu_found, failed))
        finally:
            stop(server)
    for path, found, _ in problems:
        print(f"\n{path}")
        for line in dict.fromkeys(found):
            print(f"  - {line}")
    headings = ["Page", "Accessibility", "SEO", "Best practices", "pa11y errors", "Nu errors"]
    table = [headings] + [["-" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headings))]
    print()
    for n, row in enumerate(table):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if n == 0:
            print("  ".join("-" * width for width in widths))
    failing = [path for path, _, failed in problems if failed]
    if failing:
        print(f"\n{len(failing)} of {len(rows)} pages fail the audit.")
        return 1
    print(f"\nAll {len(rows)} pages pass.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
