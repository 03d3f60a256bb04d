import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection

BASE_DIR = Path(__file__).resolve().parents[2]


def test_healthz_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def closed_port() -> int:
    # Bind and release a port: nothing listens there afterwards, so connections are refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthz_in_a_new_process(database_url: str) -> dict:
    """What /healthz answers in a fresh process whose database is `database_url`."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


UNAVAILABLE = {"status": 503, "body": {"database": "unavailable"}}


@pytest.mark.slow
def test_healthz_says_unavailable_with_503_when_the_database_is_unreachable():
    url = f"postgres://nobody@127.0.0.1:{closed_port()}/nothing"
    assert healthz_in_a_new_process(url) == UNAVAILABLE


@pytest.mark.slow
def test_healthz_says_unavailable_when_the_sqlite_file_is_gone(tmp_path):
    # SQLite makes a new, empty file on connecting: it opens, but the portal has no tables.
    missing = tmp_path / "db.sqlite3"
    assert healthz_in_a_new_process(f"sqlite:///{missing}") == UNAVAILABLE
    assert missing.exists()


def test_healthz_says_unavailable_when_a_portal_table_does_not_answer(client, db):
    def no_such_table(execute, sql, params, many, context):
        if "pcc_portal_officeprofile" in sql:
            raise OperationalError("no such table: pcc_portal_officeprofile")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(no_such_table):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}
