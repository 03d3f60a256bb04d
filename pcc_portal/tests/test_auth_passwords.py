"""Passwords: at least 12 characters, changed by the signed-in user, reset by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from tests.helpers import soup, text

PASSWORD = "correct horse battery"
NEW_PASSWORD = "kettle orchard lantern moss"


@pytest.fixture
def office(db):
    from django.core.management import call_command

    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)


def summary_text(response) -> str:
    return text(soup(response).find(class_="govuk-error-summary"))


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(
        "/accounts/password_change/",
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
    )


# --- The 12-character rule -----------------------------------------------------------------


def test_an_eleven_character_password_is_refused_and_twelve_are_accepted(db):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Xq7!mPz2#vL")
    assert validate_password("Xq7!mPz2#vLk") is None


# --- Changing it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["panel member", "staff", "approver"])
def test_every_signed_in_role_changes_their_password(client_for, role):
    client = client_for(role)
    page = soup(client.get("/accounts/password_change/"))
    assert page.h1.text == "Change your password"
    for name, label in [
        ("old_password", "Current password"),
        ("new_password1", "New password"),
        ("new_password2", "Confirm new password"),
    ]:
        field = page.find("input", attrs={"name": name})
        assert field["type"] == "password"
        assert page.find("label", attrs={"for": field["id"]}).get_text(strip=True) == label
    response = change(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    page = soup(client.get("/accounts/"))
    assert "Your password has been changed." in text(page.find(class_="govuk-notification-banner"))
    user = get_user_model().objects.get()
    assert user.check_password(NEW_PASSWORD)


def test_changing_the_password_keeps_this_session_and_two_factor(client_for):
    client = client_for("staff")
    change(client)
    assert client.get("/reports/new/").status_code == 200


def test_a_short_new_password_is_refused_in_the_error_summary(client_for):
    client = client_for("staff")
    response = change(client, new="short-pass1")
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in (
        summary_text(response)
    )
    assert soup(response).title.text.startswith("Error:")
    assert get_user_model().objects.get().check_password(PASSWORD)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"old": "not my password"}, "Your current password is not right. Enter it again"),
        ({"again": "something else entirely"}, "The new passwords do not match"),
        ({"new": "123456789012345"}, "This password is entirely numeric."),
        ({"new": "password12345"}, "This password is too common."),
        ({"old": "", "new": "", "again": ""}, "Enter your current password"),
    ],
)
def test_wrong_change_attempts_say_what_to_fix(client_for, fields, message):
    client = client_for("panel member")
    response = change(client, **fields)
    assert message in summary_text(response)
    assert get_user_model().objects.get().check_password(PASSWORD)


# --- Resetting it by email -----------------------------------------------------------------


def ask_for_reset(client, email):
    return client.post("/accounts/password_reset/", {"email": email}, follow=True)


def test_reset_emails_a_link_that_names_the_portal_and_sets_a_new_password(
    client, make_user, office
):
    user = make_user("staff", username="sam", email="sam@example.org")
    page = soup(client.get("/accounts/password_reset/"))
    assert page.h1.text == "Reset your password"
    response = ask_for_reset(client, "SAM@example.org")
    assert response.redirect_chain == [("/accounts/password_reset/done/", 302)]
    assert soup(response).h1.text == "Check your email"

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@example.org"]
    assert email.subject == "Reset your password for the Lancashire Police and Crime Panel portal"
    assert "Lancashire Police and Crime Panel portal" in email.body
    assert '"sam"' in email.body and "works once, for 1 hour" in email.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body).group(1)

    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    assert soup(response).h1.text == "Choose a new password"
    response = client.post(form_url, {"new_password1": "too short", "new_password2": "too short"})
    assert "at least 12 characters" in summary_text(response)
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert soup(response).h1.text == "Your password has been changed"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once.
    response = client.get(link, follow=True)
    assert soup(response).h1.text == "This link does not work"


def test_reset_never_reveals_whether_an_address_has_an_account(client, make_user, office):
    make_user("staff", username="sam", email="sam@example.org")
    known = ask_for_reset(client, "sam@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    assert len(mail.outbox) == 1
    assert known.redirect_chain == unknown.redirect_chain
    assert text(soup(known).main) == text(soup(unknown).main)
    assert "If that email address belongs to an account" in text(soup(unknown).main)


def test_reset_form_says_what_is_wrong_with_the_address(client, db):
    response = client.post("/accounts/password_reset/", {"email": "not an address"})
    assert "Enter an email address in the correct format" in summary_text(response)
    response = client.post("/accounts/password_reset/", {"email": ""})
    assert "Enter your email address" in summary_text(response)
    assert mail.outbox == []


def test_a_made_up_reset_link_says_it_does_not_work(client, db):
    response = client.get("/accounts/reset/MQ/bad-token/", follow=True)
    assert response.status_code == 200
    assert soup(response).h1.text == "This link does not work"
    assert soup(response).find(class_="govuk-error-summary") is None


def test_a_reset_password_still_needs_the_code_for_staff(client, make_user, office):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("staff", username="sam", email="sam@example.org")
    TOTPDevice.objects.create(user=user, name="Authenticator app")
    ask_for_reset(client, "sam@example.org")
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post(
        "/accounts/login/",
        {"username": "sam", "password": NEW_PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response["Location"] == "/accounts/two-factor/?next=%2F"


@pytest.mark.parametrize("url", ["/accounts/password_reset/", "/accounts/password_reset/done/"])
def test_reset_pages_open_to_everyone(client, db, url):
    assert client.get(url).status_code == 200
