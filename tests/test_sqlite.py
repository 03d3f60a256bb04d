"""SQLite as the portal's embedded database: many people saving at once get no errors.

The test suite's own database is in memory, where SQLite's file locking never happens. These
tests run the portal in a separate process on a database file, as `make run` does, and save
from many connections at the same moment.
"""

import http.client
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
SAVES = 20

pytestmark = pytest.mark.slow
only_on_sqlite = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's file locking only: this run's database is not SQLite",
)

# Staff, a scrutiny meeting and a signed-in session, made in the database file.
SETUP = """
import datetime, json
import django
django.setup()
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.utils import timezone
from pcc_portal.roles import OPCC_STAFF
from scrutiny.models import ScrutinyMeeting

user = User.objects.create_user("staff", password="correct horse battery")
user.groups.add(Group.objects.get(name=OPCC_STAFF))
meeting = ScrutinyMeeting.objects.create(
    title="Strategic Scrutiny meeting", starts_at=timezone.now(), status="held", published=True
)
# Signed in with two-factor passed, as django_otp.login() records it (staff must use it).
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
device = TOTPDevice.objects.create(user=user, name="Authenticator app")
client = Client()
client.force_login(user)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
print(json.dumps({
    "session": client.cookies["sessionid"].value,
    "meeting": meeting.pk,
    "journal_mode": journal_mode,
}))
"""

# Django's own threaded development server (what `runserver` uses) on 127.0.0.1. It stops by
# itself when the test closes its standard input, or after five minutes whatever happens.
SERVER = """
import os, sys, threading
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

class Server(ThreadedWSGIServer):
    request_queue_size = 128  # queue the whole burst, as a production server's backlog would

server = Server(("127.0.0.1", 0), WSGIRequestHandler)
server.set_app(WSGIHandler())
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
threading.Timer(300, os._exit, [0]).start()
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def portal_env(database: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
    )
    return env


def run_python(args: list[str], env: dict) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def database_options(database_url: str) -> dict:
    script = "import json; from django.conf import settings as s; print(json.dumps(s.DATABASES))"
    env = portal_env(Path("unused"))
    env["DATABASE_URL"] = database_url
    return json.loads(run_python(["-c", script], env).strip().splitlines()[-1])["default"]


def test_sqlite_waits_for_the_lock_and_postgresql_is_left_as_it_was():
    sqlite = database_options("sqlite:///portal.sqlite3")["OPTIONS"]
    assert sqlite["transaction_mode"] == "IMMEDIATE"
    assert sqlite["timeout"] == 20
    assert "journal_mode=WAL" in sqlite["init_command"]
    postgres = database_options("postgres://portal@127.0.0.1:5432/portal")
    assert postgres.get("OPTIONS", {}) == {}


@pytest.fixture
def portal(tmp_path):
    """The portal serving a migrated database file on 127.0.0.1, with a staff session."""
    database = tmp_path / "portal.sqlite3"
    env = portal_env(database)
    run_python(["manage.py", "migrate", "--verbosity", "0"], env)
    made = json.loads(run_python(["-c", SETUP], env).strip().splitlines()[-1])
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        port = int(server.stdout.readline())
        yield {**made, "port": port, "database": database}
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def csrf_token(port: int, session: str, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie"):
        cookies.load(header)
    return cookies["csrftoken"].value


@only_on_sqlite
def test_twenty_simultaneous_saves_all_succeed_on_a_database_file(portal, figures):
    port, session = portal["port"], portal["session"]
    path = f"/scrutiny/meetings/{portal['meeting']}/actions/new/"
    token = csrf_token(port, session, path)
    due = time.localtime(time.time() + 365 * 86400)
    start = threading.Barrier(SAVES)
    statuses: list[int] = []
    failures: list[str] = []

    def save(n: int):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "description": f"Action {n}",
                "owner": "Chief Constable",
                "due_date_0": due.tm_mday,
                "due_date_1": due.tm_mon,
                "due_date_2": due.tm_year,
                "status": "open",
            }
        )
        headers = {
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        except OSError as error:
            failures.append(repr(error))

    began = time.monotonic()
    threads = [threading.Thread(target=save, args=(n,)) for n in range(SAVES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began

    errors = sum(status >= 500 for status in statuses)
    figures(f"{SAVES} simultaneous saves: {errors} answered 5xx, in {seconds:.1f} s")
    assert not failures
    assert errors == 0, sorted(statuses)
    assert sorted(statuses) == [302] * SAVES
    with sqlite3.connect(portal["database"]) as db:
        saved = db.execute("SELECT COUNT(*) FROM scrutiny_action").fetchone()[0]
    assert saved == SAVES


@only_on_sqlite
def test_the_database_file_is_in_write_ahead_log_mode(portal):
    # Readers do not wait for a writer, and a writer does not wait for readers.
    assert portal["journal_mode"] == "wal"
