"""Sessions end after 30 minutes without a request and 12 hours after signing in, with a message;
both limits come from the environment."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from tests.helpers import soup, text

START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def message(response) -> str:
    return text(soup(response).find(class_="govuk-notification-banner"))


@pytest.mark.parametrize("role", ["panel member", "staff", "approver"])
def test_after_30_minutes_idle_the_next_request_is_signed_out_with_a_message(
    client_for, clock, role
):
    client = client_for(role)
    assert client.get("/accounts/").status_code == 200
    clock.shift(datetime.timedelta(minutes=30))
    response = client.get("/accounts/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/accounts/", 302)]
    assert not response.context["user"].is_authenticated
    assert (
        "You have been signed out because you had not used the portal for 30 minutes. "
        "Sign in again to carry on." in message(response)
    )
    assert client.get("/accounts/").status_code == 302


def test_using_the_portal_keeps_the_session_alive(client_for, clock):
    client = client_for("staff")
    for _ in range(6):
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get("/reports/new/").status_code == 200


def test_after_12_hours_the_session_ends_however_busy(client_for, clock):
    client = client_for("approver")
    for _ in range(47):
        clock.shift(datetime.timedelta(minutes=15))
        assert client.get("/accounts/").status_code == 200
    clock.shift(datetime.timedelta(minutes=15))  # 12 hours since signing in
    response = client.get("/reports/new/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/reports/new/", 302)]
    assert (
        "You have been signed out because you signed in more than 12 hours ago. "
        "Sign in again to carry on." in message(response)
    )


def test_signing_in_again_starts_the_clocks_again(client, make_user, clock):
    make_user("panel member", username="pat")
    credentials = {"username": "pat", "password": "correct horse battery"}
    client.post("/accounts/login/", credentials, REMOTE_ADDR="192.0.2.10")
    clock.shift(datetime.timedelta(minutes=31))
    client.get("/")
    client.post("/accounts/login/", credentials, REMOTE_ADDR="192.0.2.10")
    clock.shift(datetime.timedelta(minutes=29))
    assert client.get("/accounts/").status_code == 200


def test_the_limits_follow_the_settings(client_for, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=5)
    client = client_for("panel member")
    clock.shift(datetime.timedelta(minutes=4))
    assert client.get("/accounts/").status_code == 200
    clock.shift(datetime.timedelta(minutes=5))
    response = client.get("/accounts/", follow=True)
    assert "had not used the portal for 5 minutes" in message(response)


def settings_run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "pcc_portal.settings", "DJANGO_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_environment_sets_both_limits_and_the_cookie_lasts_the_absolute_one():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_IDLE_TIMEOUT, s.SESSION_ABSOLUTE_TIMEOUT, s.SESSION_COOKIE_AGE)"
    )
    result = settings_run(code)
    assert result.stdout.split() == ["0:30:00", "12:00:00", "43200"]
    result = settings_run(code, DJANGO_SESSION_IDLE_MINUTES="15", DJANGO_SESSION_MAX_HOURS="8")
    assert result.stdout.split() == ["0:15:00", "8:00:00", "28800"]
    result = settings_run(code, DJANGO_SESSION_IDLE_MINUTES="half an hour")
    assert result.returncode != 0
    assert "DJANGO_SESSION_IDLE_MINUTES must be a whole number above 0" in result.stderr
