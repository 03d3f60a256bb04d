"""Signing in and out, and the throttling of failed sign-ins."""

import pytest
from axes.models import AccessAttempt

from tests.helpers import soup

PASSWORD = "correct horse battery"


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        follow=True,
    )


def test_sign_in_page_labels_every_input(client, db):
    page = soup(client.get("/accounts/login/"))
    assert page.h1.get_text(strip=True) == "Sign in"
    assert page.main.find("a", href="/accounts/password_reset/").get_text(strip=True) == (
        "Forgotten your password?"
    )
    for name in ("username", "password"):
        field = page.find("input", attrs={"name": name})
        label = page.find("label", attrs={"for": field["id"]})
        assert label is not None and label.get_text(strip=True)
    assert page.find("input", attrs={"name": "password"})["type"] == "password"


def test_panel_member_without_two_factor_signs_in_with_a_password_and_is_told_so(client, make_user):
    make_user("panel member", username="pat")
    response = sign_in(client, "pat", PASSWORD)
    assert response.redirect_chain[-1] == ("/", 302)
    page = soup(response)
    assert "You are signed in as pat." in page.find(class_="govuk-notification-banner").text
    assert "Signed in as" in page.header.text
    assert page.header.find("a", href="/accounts/").get_text(strip=True) == "Your account"
    assert response.context["user"].username == "pat"


def test_sign_in_returns_to_the_page_asked_for(client, make_user):
    make_user("panel member", username="pat")
    response = client.post(
        "/accounts/login/?next=/accessibility/", {"username": "pat", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accessibility/"


def test_sign_in_never_redirects_to_another_site(client, make_user):
    make_user("panel member", username="pat")
    response = client.post(
        "/accounts/login/?next=https://evil.example.com/",
        {"username": "pat", "password": PASSWORD},
    )
    assert response["Location"] == "/"


def test_wrong_password_is_reported_in_the_error_summary(client, make_user):
    make_user("staff", username="sam")
    response = sign_in(client, "sam", "wrong password")
    assert response.status_code == 200
    page = soup(response)
    summary = page.find(class_="govuk-error-summary")
    assert "Enter a correct user name and password" in summary.text
    assert page.title.text.startswith("Error:")
    assert page.find("input", attrs={"name": "username"})["value"] == "sam"
    assert not response.context["user"].is_authenticated


def test_empty_sign_in_says_what_is_missing(client, db):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    summary = soup(response).find(class_="govuk-error-summary")
    assert "Enter your user name" in summary.text
    assert "Enter your password" in summary.text


def test_sign_out_is_a_post_and_says_so(client, make_user):
    client.force_login(make_user("panel member"))
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated
    assert (
        "You have been signed out." in soup(response).find(class_="govuk-notification-banner").text
    )


def test_signed_in_user_visiting_sign_in_goes_home(client, make_user):
    client.force_login(make_user("panel member"))
    response = client.get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("failures", [4])
def test_fewer_than_five_failures_do_not_lock_and_success_clears_them(client, make_user, failures):
    make_user("staff", username="sam")
    for _ in range(failures):
        assert sign_in(client, "sam", "nope").status_code == 200
    response = sign_in(client, "sam", PASSWORD)
    assert response.context["user"].is_authenticated
    assert not AccessAttempt.objects.filter(username="sam").exists()


def test_five_failures_lock_that_user_from_that_address_with_a_clear_message(client, make_user):
    make_user("staff", username="sam")
    for _ in range(4):
        sign_in(client, "sam", "nope")
    locked = sign_in(client, "sam", "nope")
    assert locked.status_code == 429
    page = soup(locked)
    assert page.h1.text == "Sign-in locked"
    assert "5 failed attempts" in page.main.text
    assert "locked for 30 minutes" in page.main.text
    assert "Traceback" not in locked.content.decode()

    # Even the right password is refused while locked...
    again = sign_in(client, "sam", PASSWORD)
    assert again.status_code == 429
    assert not again.context["user"].is_authenticated


def test_lockout_is_for_that_user_and_that_address_only(client, make_user):
    make_user("staff", username="sam")
    make_user("staff", username="kim")
    for _ in range(5):
        sign_in(client, "sam", "nope")
    # Another user from the same address, and the same user from elsewhere, still sign in.
    assert sign_in(client, "kim", PASSWORD).context["user"].username == "kim"
    client.post("/accounts/logout/")
    assert (
        sign_in(client, "sam", PASSWORD, address="198.51.100.7").context["user"].username == "sam"
    )
