"""The pages: manage per role and by the emailed link, remove, delete everything, budgets."""

import pytest
from django.urls import reverse

from alerts.models import Alert, Subscriber
from alerts.tests.helpers import confirmed_alert
from plan.tests.factories import make_plan_with_measures

pytestmark = pytest.mark.django_db


def test_a_wrong_token_is_not_found(client):
    confirmed_alert()
    for name, args in (
        ("alerts:manage_public", ["nope"]),
        ("alerts:unsubscribe", ["nope"]),
        ("alerts:delete", ["nope"]),
        ("alerts:confirm", ["nope", 1]),
        ("alerts:remove", ["nope", 1]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
        assert client.post(reverse(name, args=args)).status_code == 404
    assert Alert.objects.count() == 1


def test_the_manage_page_by_token_lists_the_alerts_with_a_remove_each(client):
    _plan, measures = make_plan_with_measures(priorities=1, measures_each=1)
    alert = confirmed_alert(what="priority", priority_id=measures[0].priority.pk)
    confirmed_alert(what="search", query="knife crime")
    confirmed_alert(email="other@example.org", what="search", query="someone else's")
    page = client.get(reverse("alerts:manage_public", args=[alert.subscriber.secret]))
    text = page.content.decode()
    assert "reader@example.org" in text
    assert f"Anything new about the priority “{measures[0].priority}”" in text
    assert "knife crime" in text and "someone else" not in text
    assert text.count(">Remove<") == 2
    assert "Delete your address and alerts" in text


def test_removing_an_alert_asks_first_and_only_the_subscribers_own(client):
    alert = confirmed_alert()
    stranger = confirmed_alert(email="other@example.org")
    secret = alert.subscriber.secret
    url = reverse("alerts:remove", args=[secret, alert.pk])
    assert "Stop sending" in client.get(url).content.decode()
    assert Alert.objects.filter(pk=alert.pk).exists()
    # Another address's alert, through this address's link: not found.
    assert client.post(reverse("alerts:remove", args=[secret, stranger.pk])).status_code == 404
    response = client.post(url)
    assert response.status_code == 302
    assert not Alert.objects.filter(pk=alert.pk).exists()
    assert Alert.objects.filter(pk=stranger.pk).exists()


def test_delete_everything_asks_then_deletes_the_address_and_its_alerts(client):
    alert = confirmed_alert()
    confirmed_alert(what="search", query="burglary")
    url = reverse("alerts:delete", args=[alert.subscriber.secret])
    assert "Delete everything" in client.get(url).content.decode()
    assert Subscriber.objects.count() == 1
    response = client.post(url, follow=True)
    assert "Everything is deleted" in response.content.decode()
    assert not Subscriber.objects.exists() and not Alert.objects.exists()


@pytest.mark.parametrize("role", ["panel member", "staff", "approver"])
def test_signed_in_users_manage_their_own_alerts_at_alerts(client_for, role):
    confirmed_alert(what="search", query="someone else's")
    client = client_for(role)
    page = client.get(reverse("alerts:manage")).content.decode()
    assert "You have no email alerts" in page and "someone else" not in page
    user = Subscriber.objects.model._meta.get_field("user").related_model.objects.last()
    confirmed_alert(user=user, what="search", query="my own words")
    page = client.get(reverse("alerts:manage")).content.decode()
    assert "my own words" in page and "someone else" not in page


def test_the_manage_page_asks_the_signed_out_to_sign_in(client):
    response = client.get(reverse("alerts:manage"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_account_page_links_to_manage_alerts(client_for):
    page = client_for("panel member").get(reverse("account")).content.decode()
    assert reverse("alerts:manage") in page and "Manage alerts" in page


def test_pages_offer_email_alerts(client):
    from scrutiny.tests.factories import make_panel_meeting

    _plan, measures = make_plan_with_measures(priorities=1, measures_each=1)
    priority = measures[0].priority
    page = client.get(priority.get_absolute_url()).content.decode()
    assert "Get email alerts about this priority" in page
    assert f"priority={priority.pk}" in page
    meeting = make_panel_meeting()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Get email alerts for new panel papers" in page
    page = client.get(reverse("search:search"), {"q": "knife"}).content.decode()
    assert "Get email alerts for this search" in page and "q=knife" in page
    page = client.get(reverse("search:search")).content.decode()
    assert "Get email alerts" not in page  # nothing to follow yet


@pytest.mark.parametrize("count", [1, 10])
def test_the_manage_page_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, count
):
    _plan, measures = make_plan_with_measures(priorities=1, measures_each=1)
    first = confirmed_alert(what="priority", priority_id=measures[0].priority.pk)
    for n in range(count - 1):
        confirmed_alert(what="search", query=f"words {n}")
    with django_assert_max_num_queries(4):
        page = client.get(reverse("alerts:manage_public", args=[first.subscriber.secret]))
    assert page.content.decode().count(">Remove<") == count


@pytest.mark.parametrize("count", [1, 10])
def test_the_signed_in_manage_page_runs_a_bounded_number_of_queries(
    client, make_user, django_assert_max_num_queries, count
):
    user = make_user("panel member", email="member@example.org")
    client.force_login(user)
    for n in range(count):
        confirmed_alert(user=user, what="search", query=f"words {n}")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("alerts:manage"))
    assert page.content.decode().count(">Remove<") == count
