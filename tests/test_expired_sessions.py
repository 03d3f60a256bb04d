"""A session that has ended carries out nothing: a form posted to an app after the timeout
saves nothing there."""

import datetime

import pytest
import time_machine

START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_post_after_the_timeout_is_not_carried_out(client_for, clock):
    client = client_for("staff")
    clock.shift(datetime.timedelta(hours=1))
    response = client.post("/reports/new/", {"title": "A paper"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    from reports.models import Report

    assert not Report.objects.exists()
