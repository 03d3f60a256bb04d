"""The decisions the demo loads: those the seed documents mention, with only what they say,
and the illustrative ones, which say so."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from decisions import services
from decisions.models import Decision
from decisions.tests.factories import make_decision
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        call_command("demo", "--password=correct-horse-battery", verbosity=0)


def test_the_demo_loads_the_seeded_and_illustrative_decisions(demo, client, make_user):
    seeded = Decision.objects.filter(pk__lte=4)
    assert seeded.count() == 4
    assert all(d.reference is None and d.decision_date is None for d in seeded)
    street = Decision.objects.get(pk=2)
    assert street.awards.count() == 5
    page = text(soup(client.get(street.get_absolute_url())))
    assert "Decision, reference not recorded" in page
    assert "Total £45,490" in page  # computed from the five awards
    assert "Date of the decision Not recorded" in page
    for decision in Decision.objects.exclude(pk__lte=4):
        assert "Illustrative" in decision.title and "Illustrative demo entry" in decision.summary
    listed = text(soup(client.get(reverse("decisions:decisions"))))
    assert "2021/001: Illustrative" in listed and "waiting to be signed" not in listed
    forward = text(soup(client.get(reverse("decisions:forward_plan"))))
    assert "Illustrative: the precept proposal for next year" in forward
    # Each published decision has its notice's first revision (rendered once it commits).
    for decision in Decision.objects.published():
        assert [r.revision for r in decision.revisions.all()] == [1], decision
    # The demo's counter knows 2021/001 is taken: the next decision of 2021/22 is 2021/002.
    approver = make_user("approver")
    decision = services.decision_submit(
        decision=make_decision(decision_date=datetime.date(2021, 9, 1)), user=approver
    )
    assert services.decision_sign(decision=decision, user=approver).reference == "2021/002"
