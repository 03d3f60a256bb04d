"""A subscriber's life: subscribe, confirm, be told of a new paper, unsubscribe in one click."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alerts.models import Alert, Subscriber
from alerts.tests.helpers import committed, emails_to, published_paper

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"


def link_in(body: str, name: str) -> str:
    """The path of the first portal link in an email whose path has `name` in it."""
    for url in re.findall(r"https?://\S+", body):
        path = "/" + url.split("/", 3)[3]
        if name in path:
            return path
    raise AssertionError(f"No {name} link in:\n{body}")


def subscribe(client, **data):
    fields = {"what": "papers", "frequency": "immediate", "email": ADDRESS, **data}
    with committed():
        return client.post(reverse("alerts:new"), fields)


def test_the_public_subscribe_confirm_get_a_paper_and_unsubscribe_in_one_click(client, approver):
    response = subscribe(client)
    assert response.status_code == 302
    assert client.get(response.url).content.decode().count("Check your email")
    alert = Alert.objects.get()
    assert alert.confirmed_at is None
    (confirmation,) = emails_to(ADDRESS)
    assert "Confirm your email alerts" in confirmation.subject
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Unconfirmed, a new paper sends nothing.
    published_paper(approver, title="Before confirming")
    assert len(emails_to(ADDRESS)) == 1

    # Opening the link (as a link scanner would) confirms nothing; the button does.
    confirm = link_in(confirmation.body, "/confirm/")
    page = client.get(confirm)
    assert "Confirm" in page.content.decode()
    alert.refresh_from_db()
    assert alert.confirmed_at is None
    assert client.post(confirm).status_code == 302
    alert.refresh_from_db()
    assert alert.confirmed_at is not None

    mail.outbox.clear()
    report = published_paper(approver, title="Knife crime in Burnley")
    (news,) = emails_to(ADDRESS)
    assert "Knife crime in Burnley" in news.body
    assert report.get_absolute_url() in news.body
    assert "#p" not in news.body  # the paper once, at its own address
    assert "Before confirming" not in news.body
    raw = news.message().as_string()
    assert "\nList-Unsubscribe: <http://" in raw  # the link as it is, not encoded words
    assert "\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in raw
    unsubscribe = news.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and unsubscribe.endswith(">")
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/" in link_in(news.body, "/alerts/")

    # RFC 8058: a POST with no token and no more questions unsubscribes.
    path = "/" + unsubscribe.strip("<>").split("/", 3)[3]
    mail_client = Client(enforce_csrf_checks=True)  # a mail client has no cookie nor token
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    assert "You are unsubscribed" in mail_client.get(response.url).content.decode()
    assert not Alert.objects.exists()
    mail.outbox.clear()
    published_paper(approver, title="After leaving")
    assert emails_to(ADDRESS) == []


def test_a_get_of_the_unsubscribe_link_only_asks(client):
    subscribe(client)
    subscriber = Subscriber.objects.get()
    response = client.get(reverse("alerts:unsubscribe", args=[subscriber.secret]))
    assert "Stop every alert email" in response.content.decode()
    assert Alert.objects.count() == 1


def test_no_second_confirmation_within_the_hour(client, approver):
    subscribe(client)
    subscribe(client)
    assert len(emails_to(ADDRESS)) == 1
    assert Alert.objects.count() == 1
    alert = Alert.objects.get()
    alert.confirmation_sent_at -= datetime.timedelta(hours=2)
    alert.save()
    subscribe(client)
    assert len(emails_to(ADDRESS)) == 2
    assert Alert.objects.count() == 1


def test_a_signed_in_user_is_confirmed_at_once_with_their_own_address(client, make_user):
    client.force_login(make_user("panel member", email="member@example.org"))
    response = subscribe(client, email="someone-else@example.org")
    assert response.status_code == 302
    assert response.url == reverse("alerts:manage")
    alert = Alert.objects.get()
    assert alert.confirmed_at is not None
    assert alert.subscriber.user is not None
    assert alert.subscriber.email == "member@example.org"
    assert mail.outbox == []
    assert Subscriber.objects.count() == 1
    page = client.get(reverse("alerts:manage")).content.decode()
    assert "New papers for panel meetings" in page


def test_bad_input_shows_errors_and_saves_nothing(client):
    response = subscribe(client, email="not an address", frequency="hourly")
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter a valid email address" in page
    assert not Subscriber.objects.exists() and not Alert.objects.exists()
    response = subscribe(client, what="search", q="  ** ")
    assert "Enter words to search for" in response.content.decode()
    response = subscribe(client, what="priority", priority="999999")
    assert "priority cannot be followed" in response.content.decode()
    assert not Subscriber.objects.exists() and not Alert.objects.exists()
    assert mail.outbox == []


def test_the_subscribe_page_is_prefilled_from_a_search(client):
    page = client.get(reverse("alerts:new"), {"what": "search", "q": "knife crime"}).content
    page = page.decode()
    assert "New results for the search “knife crime”" in page
    assert 'value="knife crime"' in page
    assert 'for="id_email"' in page and 'for="id_q"' in page


def test_a_signed_in_user_without_an_address_is_told_so(client, make_user):
    client.force_login(make_user("panel member"))
    response = subscribe(client)
    assert "Your account has no email address" in response.content.decode()
    assert not Alert.objects.exists()


def test_delete_everything_needs_the_pages_own_button(client):
    subscribe(client)
    subscriber = Subscriber.objects.get()
    forged = Client(enforce_csrf_checks=True).post(
        reverse("alerts:delete", args=[subscriber.secret])
    )
    assert forged.status_code == 403
    assert Subscriber.objects.exists()
