import pytest
from django.core import mail
from django.test import TestCase

from alerts.models import Alert, Subscriber
from reports.models import Report
from reports.tests.factories import add_section, make_report, publish


def committed():
    """Runs what waits for the commit (the index, then the alerts), as a real request would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def published_paper(approver, *, title="Serious violence", exempt=False, body="") -> Report:
    report = make_report(title=title, is_exempt=exempt)
    add_section(report, body=body or "Burglary fell in Preston.\n\nKnife crime fell in Burnley.")
    publish(report, approver)
    return Report.objects.get(pk=report.pk)


def confirmed_alert(*, email="reader@example.org", user=None, **fields) -> Alert:
    from django.utils import timezone

    subscriber = (
        Subscriber.objects.get_or_create(user=user, defaults={"email": user.email})[0]
        if user
        else Subscriber.objects.get_or_create(email=email, user=None)[0]
    )
    values = {"what": Alert.What.PAPERS, "frequency": Alert.Frequency.IMMEDIATE}
    values.update(fields)
    return Alert.objects.create(subscriber=subscriber, confirmed_at=timezone.now(), **values)


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def approver(make_user):
    return make_user("approver")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
