"""What an email tells: new things once, by audience, never drafts, grouped by kind."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Alert, Found, Subscriber
from alerts.services import alerts_send
from alerts.tests.helpers import committed, confirmed_alert, emails_to, published_paper
from decisions.tests.factories import make_decision, publish_decision
from plan.tests.factories import make_plan_with_measures
from reports.tests.factories import add_section, make_report
from search.index import search_rebuild

pytestmark = pytest.mark.django_db

DAILY = Alert.Frequency.DAILY
PUBLIC_ADDRESS = "resident@example.org"


def test_a_daily_digest_lists_each_new_paper_once_grouped_and_never_twice(approver):
    confirmed_alert(email=PUBLIC_ADDRESS, frequency=DAILY)
    # A second alert the same paper matches: the paper is still listed once.
    confirmed_alert(email=PUBLIC_ADDRESS, frequency=DAILY, what="search", query="burglary")
    first = published_paper(approver, title="Serious violence")
    second = published_paper(approver, title="Police budget", body="Burglary rose.")
    assert mail.outbox == []  # daily alerts wait for the daily run

    call_command("alerts_send_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (digest,) = emails_to(PUBLIC_ADDRESS)
    assert "2 new items" in digest.subject
    assert digest.body.count("Police budget") == 1
    assert digest.body.count(first.get_absolute_url()) == 1
    assert digest.body.count(second.get_absolute_url()) == 1
    assert "\nPapers\n" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    mail.outbox.clear()
    assert alerts_send(DAILY) == 0  # nothing new since
    third = published_paper(approver, title="Road safety")
    alerts_send(DAILY)
    (digest,) = emails_to(PUBLIC_ADDRESS)
    assert third.get_absolute_url() in digest.body
    assert first.get_absolute_url() not in digest.body


def test_a_panel_members_alert_includes_an_exempt_paper_and_the_publics_never(approver, make_user):
    member = make_user("panel member", email="member@example.org")
    confirmed_alert(user=member)
    confirmed_alert(email=PUBLIC_ADDRESS)
    exempt = published_paper(approver, title="Exempt procurement", exempt=True)
    (members,) = emails_to("member@example.org")
    assert exempt.get_absolute_url() in members.body
    assert emails_to(PUBLIC_ADDRESS) == []
    public = published_paper(approver, title="Open paper")
    (told,) = emails_to(PUBLIC_ADDRESS)
    assert public.get_absolute_url() in told.body
    assert "Exempt procurement" not in told.body


def test_drafts_are_never_news_and_a_rebuild_makes_nothing_new(approver):
    confirmed_alert(email=PUBLIC_ADDRESS)
    draft = make_report(title="A draft paper")
    with committed():
        add_section(draft, body="Knife crime.")
    assert not Found.objects.filter(object_id=draft.pk).exists()
    assert mail.outbox == []

    paper = published_paper(approver, title="Told once")
    assert len(emails_to(PUBLIC_ADDRESS)) == 1
    with committed():
        paper.save()  # re-indexed: its rows replaced
        search_rebuild()
    alerts_send(Alert.Frequency.IMMEDIATE)
    assert len(emails_to(PUBLIC_ADDRESS)) == 1


def test_what_a_rebuild_meets_first_is_recorded_as_not_new(approver):
    paper = published_paper(approver, title="Indexed before alerts were kept")
    Found.objects.all().delete()
    mail.outbox.clear()
    confirmed_alert(email=PUBLIC_ADDRESS)
    with committed():
        search_rebuild()
    assert Found.objects.get(object_id=paper.pk, kind="paper").is_news is False
    assert alerts_send(Alert.Frequency.IMMEDIATE) == 0
    assert mail.outbox == []


def test_a_priority_alert_tells_of_a_decision_about_it_and_not_of_others(approver):
    _plan, measures = make_plan_with_measures(priorities=2, measures_each=1)
    followed, other = (m.priority for m in measures)
    confirmed_alert(email=PUBLIC_ADDRESS, what="priority", priority_id=followed.pk)
    about = make_decision(title="Grants for safer streets")
    about.priorities.add(followed)
    elsewhere = make_decision(title="Grants for rural crime")
    elsewhere.priorities.add(other)
    with committed():
        publish_decision(about, approver)
        publish_decision(elsewhere, approver)
    bodies = "\n".join(m.body for m in emails_to(PUBLIC_ADDRESS))
    assert "Grants for safer streets" in bodies
    assert "Grants for rural crime" not in bodies
    assert f"“{followed}”" in bodies


def test_a_priority_alert_tells_of_a_paper_reporting_on_it_and_not_of_others(approver):
    from plan.tests.factories import make_period
    from reports.tests.factories import publish

    plan, measures = make_plan_with_measures(priorities=2, measures_each=1)
    followed, other = (m.priority for m in measures)
    confirmed_alert(email=PUBLIC_ADDRESS, what="priority", priority_id=followed.pk)
    for title, priority in (("Violence in the night time economy", followed),
                            ("Rural crime", other)):  # fmt: skip
        report = make_report(title=title, period=make_period(2021, 2), plan=plan)
        add_section(report, body="What the measures show.")
        add_section(report, kind="outcome_measures", params={"priorities": [priority.pk]})
        publish(report, approver)
    bodies = "\n".join(m.body for m in emails_to(PUBLIC_ADDRESS))
    assert "Violence in the night time economy" in bodies
    assert "Rural crime" not in bodies


def test_a_saved_search_tells_only_of_what_matches_its_words(approver):
    confirmed_alert(email=PUBLIC_ADDRESS, what="search", query="policing")
    published_paper(approver, title="Neighbourhood police teams")  # stemmed: police(ing)
    published_paper(approver, title="Road safety", body="Speeding on the A59.")
    (told,) = emails_to(PUBLIC_ADDRESS)
    assert "Neighbourhood police teams" in told.body
    assert "Road safety" not in told.body


def test_alerts_not_confirmed_within_7_days_are_deleted_with_a_lonely_address():
    old = timezone.now() - datetime.timedelta(days=8)
    stale = Subscriber.objects.create(email="stale@example.org")
    Alert.objects.create(subscriber=stale, what="papers", frequency=DAILY)
    recent = Subscriber.objects.create(email="recent@example.org")
    Alert.objects.create(subscriber=recent, what="papers", frequency=DAILY)
    kept = confirmed_alert(email="kept@example.org", frequency=DAILY)
    Alert.objects.all().update(created_at=old)
    Subscriber.objects.all().update(created_at=old)
    Alert.objects.filter(subscriber=recent).update(created_at=timezone.now())
    call_command("alerts_send_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "recent@example.org",
        "kept@example.org",
    }
    assert set(Alert.objects.values_list("pk", flat=True)) == {
        kept.pk,
        Alert.objects.get(subscriber=recent).pk,
    }


def test_a_signed_in_subscriber_is_emailed_at_their_accounts_address_as_it_is_now(
    approver, make_user
):
    member = make_user("panel member", email="old@example.org")
    confirmed_alert(user=member)
    member.email = "new@example.org"
    member.save()
    published_paper(approver, title="Told at the new address")
    assert emails_to("old@example.org") == []
    (told,) = emails_to("new@example.org")
    assert "Told at the new address" in told.body


def test_a_failed_sending_marks_nothing_sent_and_the_news_waits(approver, monkeypatch):
    from alerts import services

    alert = confirmed_alert(email=PUBLIC_ADDRESS, frequency=DAILY)
    published_paper(approver, title="Waiting for the mail server")

    def down(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(services, "_send", down)
    assert alerts_send(DAILY) == 0
    alert.refresh_from_db()
    assert alert.last_sent_at is None
    monkeypatch.undo()
    assert alerts_send(DAILY) == 1
    (told,) = emails_to(PUBLIC_ADDRESS)
    assert "Waiting for the mail server" in told.body
