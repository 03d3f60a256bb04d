"""Signing decisions at the same moment gives each its own number (PostgreSQL, where decisions
are signed in production: the year's counter row is locked with SELECT ... FOR UPDATE)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from decisions import services
from decisions.models import Decision, ReferenceCounter
from decisions.tests.factories import make_decision

SIGNINGS = 6

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (SELECT ... FOR UPDATE): it locks the whole database "
        "for each write, so concurrent signing is tested on PostgreSQL (make test-postgres).",
    ),
]


def test_decisions_signed_at_once_get_different_numbers(make_user):
    approver = make_user("approver")
    decisions = [
        services.decision_submit(
            decision=make_decision(title=f"Decision {n}", decision_date=datetime.date(2021, 6, 1)),
            user=approver,
        )
        for n in range(SIGNINGS)
    ]
    start, errors = threading.Barrier(SIGNINGS), []

    def sign(decision):
        try:
            start.wait()
            services.decision_sign(decision=decision, user=approver)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(d,)) for d in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    references = sorted(Decision.objects.values_list("reference", flat=True))
    assert references == [f"2021/{n:03d}" for n in range(1, SIGNINGS + 1)]
    assert ReferenceCounter.objects.get(financial_year=2021).last_number == SIGNINGS
