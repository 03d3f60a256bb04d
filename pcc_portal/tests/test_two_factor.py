"""Two-factor sign-in: an authenticator app (TOTP) with single-use recovery codes, required of
staff, approvers and superusers, optional for panel members; demo accounts exempt only in DEBUG."""

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import force_login_verified
from pcc_portal.twofactor import recovery_codes_replace
from tests.helpers import soup, text

PASSWORD = "correct horse battery"
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
BASE_DIR = Path(__file__).resolve().parents[2]


def sign_in(client, username, password=PASSWORD, next_url=""):
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR="192.0.2.10", follow=True
    )


def code_for(device) -> str:
    """The code the user's app shows now, computed from the device's key as the app would."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def summary_text(response) -> str:
    return text(soup(response).find(class_="govuk-error-summary"))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- Who must use it -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "fields"),
    [
        ("staff", {}),
        ("approver", {}),
        ("none", {"is_superuser": True, "is_staff": True}),
    ],
    ids=["staff", "approver", "superuser"],
)
def test_roles_that_must_use_two_factor_are_sent_to_set_it_up_after_the_password(
    client, make_user, role, fields
):
    make_user(role, username="sam", **fields)
    response = sign_in(client, "sam", next_url="/plan/")
    assert response.redirect_chain[-1] == ("/accounts/two-factor/set-up/?next=%2Fplan%2F", 302)
    page = soup(response)
    assert page.h1.text == "Set up two-factor authentication"
    assert "Your role must sign in with two-factor authentication" in text(page.main)
    assert "You are signed in" not in text(page.main)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/plan/",
        "/reports/new/",
        "/accounts/",
        "/accounts/password_change/",
        "/accounts/two-factor/recovery-codes/",
        "/admin/",
    ],
)
def test_until_set_up_a_staff_member_reaches_nothing_but_the_set_up_page(client, make_user, url):
    client.force_login(make_user("staff"))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/set-up/?next=")


def test_until_set_up_posts_are_refused_too_but_sign_out_works(client, make_user):
    client.force_login(make_user("approver"))
    response = client.post("/reports/new/", {"title": "Anything"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/set-up/"
    response = client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated


def test_panel_member_without_an_app_signs_in_with_the_password_alone(client, make_user):
    make_user("panel member", username="pat")
    response = sign_in(client, "pat")
    assert response.redirect_chain == [("/", 302)]
    assert "You are signed in as pat." in text(soup(response).main)
    assert client.get("/accounts/").status_code == 200


# --- Setting up an app ---------------------------------------------------------------------


def test_staff_member_sets_up_an_app_with_its_code_and_sees_ten_recovery_codes_once(
    client, make_user, frozen
):
    user = make_user("staff", username="sam")
    sign_in(client, "sam", next_url="/plan/")
    page = soup(client.get("/accounts/two-factor/set-up/?next=/plan/"))
    secret = page.find(id="two-factor-secret").get_text(strip=True)
    qr = page.find("img", src=re.compile(r"^data:image/svg\+xml"))
    assert qr is not None and "QR code" in qr["alt"]
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert secret.replace(" ", "") == device.config_url.split("secret=")[1].split("&")[0]

    response = client.post(
        "/accounts/two-factor/set-up/?next=/plan/", {"code": code_for(device)}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/recovery-codes/")
    page = soup(response)
    assert "Two-factor authentication is on." in text(page.find(class_="govuk-notification-banner"))
    codes = [li.get_text(strip=True) for li in page.find(id="recovery-codes").find_all("li")]
    assert len(codes) == 10 == len(set(codes))
    assert "shown only once" in text(page.main)
    assert page.find("a", string="Continue")["href"] == "/plan/"
    device.refresh_from_db()
    assert device.confirmed
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )

    # The session has passed two-factor: the portal opens; the codes are not shown again.
    assert client.get("/plan/").status_code == 200
    again = soup(client.get("/accounts/two-factor/recovery-codes/"))
    assert again.find(id="recovery-codes") is None
    assert "You have 10 unused recovery codes" in text(again.main)


def test_a_wrong_code_does_not_set_up_the_app(client, make_user, frozen):
    user = make_user("staff", username="sam")
    sign_in(client, "sam")
    client.get("/accounts/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/set-up/", {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in summary_text(response)
    assert soup(response).title.text.startswith("Error:")
    response = client.post("/accounts/two-factor/set-up/", {"code": "12ab"})
    assert "Enter the 6-digit code your authenticator app shows" in summary_text(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/plan/")["Location"].startswith("/accounts/two-factor/set-up/")


def test_reloading_the_set_up_page_keeps_the_same_secret(client, make_user):
    make_user("staff", username="sam")
    sign_in(client, "sam")
    first = soup(client.get("/accounts/two-factor/set-up/")).find(id="two-factor-secret").text
    second = soup(client.get("/accounts/two-factor/set-up/")).find(id="two-factor-secret").text
    assert first == second
    assert TOTPDevice.objects.count() == 1


# --- Signing in with a code ----------------------------------------------------------------


def test_with_an_app_the_password_leads_to_the_code_and_the_code_signs_in(
    client, make_user, frozen
):
    user = make_user("staff", username="sam")
    device = app_for(user)
    response = sign_in(client, "sam", next_url="/plan/")
    assert response.redirect_chain == [("/accounts/two-factor/?next=%2Fplan%2F", 302)]
    assert soup(response).h1.text == "Enter the code from your authenticator app"
    assert client.get("/plan/")["Location"] == "/accounts/two-factor/?next=%2Fplan%2F"

    response = client.post(
        "/accounts/two-factor/?next=/plan/", {"code": code_for(device)}, follow=True
    )
    assert response.redirect_chain == [("/plan/", 302)]
    assert "You are signed in as sam." in text(soup(response).main)
    assert client.get("/reports/new/").status_code == 200


def test_a_code_signs_in_once_and_never_to_another_site(client, make_user, frozen):
    user = make_user("approver", username="alex")
    device = app_for(user)
    sign_in(client, "alex")
    code = code_for(device)
    response = client.post("/accounts/two-factor/?next=https://evil.example.com/", {"code": code})
    assert response["Location"] == "/"
    client.post("/accounts/logout/")

    sign_in(client, "alex")
    response = client.post("/accounts/two-factor/", {"code": code})
    assert response.status_code == 200
    assert "That code is not right" in summary_text(response)


def test_the_session_key_changes_when_two_factor_is_passed(client, make_user, frozen):
    user = make_user("staff", username="sam")
    device = app_for(user)
    sign_in(client, "sam")
    before = client.session.session_key
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert client.session.session_key != before


def test_wrong_codes_are_throttled_with_a_clear_message(client, make_user, frozen):
    user = make_user("staff", username="sam")
    device = app_for(user)
    sign_in(client, "sam")
    for _ in range(3):
        frozen.shift(datetime.timedelta(seconds=10))
        client.post("/accounts/two-factor/", {"code": "000000"})
    # Three wrong codes in a row: the right one is refused for 4 seconds.
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert "You have entered too many wrong codes. Wait 4 seconds, then try again" in (
        summary_text(response)
    )
    frozen.shift(datetime.timedelta(seconds=5))
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_password_lockout_still_applies_to_users_with_two_factor(client, make_user):
    app_for(make_user("staff", username="sam"))
    for _ in range(5):
        response = sign_in(client, "sam", "wrong password")
    assert response.status_code == 429
    assert sign_in(client, "sam").status_code == 429


# --- Recovery codes ------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once(client, make_user):
    user = make_user("staff", username="sam")
    app_for(user)
    codes = recovery_codes_replace(user=user)
    sign_in(client, "sam")
    response = client.post("/accounts/two-factor/", {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You used a recovery code. You have 9 left" in text(soup(response).main)
    client.post("/accounts/logout/")

    sign_in(client, "sam")
    response = client.post("/accounts/two-factor/", {"code": codes[0]})
    assert response.status_code == 200
    assert "That code is not right" in summary_text(response)
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, make_user):
    user = make_user("staff", username="sam")
    old = recovery_codes_replace(user=user)
    force_login_verified(client, user)
    page = soup(client.get("/accounts/two-factor/recovery-codes/"))
    assert page.find("button", string="Make new recovery codes") is not None
    response = client.post("/accounts/two-factor/recovery-codes/", follow=True)
    new = [li.get_text(strip=True) for li in soup(response).find(id="recovery-codes")("li")]
    assert len(new) == 10 and not set(new) & set(old)
    assert "The old ones no longer work" in text(soup(response).main)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        set(new)
    )


def test_a_session_verified_with_a_recovery_code_stays_verified_after_new_codes(client, make_user):
    user = make_user("staff", username="sam")
    app_for(user)
    codes = recovery_codes_replace(user=user)
    sign_in(client, "sam")
    client.post("/accounts/two-factor/", {"code": codes[0]})
    client.post("/accounts/two-factor/recovery-codes/")
    assert client.get("/plan/").status_code == 200


# --- Changing and turning off ----------------------------------------------------------------


def test_a_password_alone_cannot_replace_the_app(client, make_user):
    app_for(make_user("staff", username="sam"))
    sign_in(client, "sam")
    response = client.get("/accounts/two-factor/set-up/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Faccounts%2Ftwo-factor%2Fset-up%2F"
    assert client.post("/accounts/two-factor/set-up/", {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.count() == 1


def test_a_verified_staff_member_replaces_the_app_and_the_old_one_stops_working(
    client, make_user, frozen
):
    user = make_user("staff", username="sam")
    old = app_for(user)
    force_login_verified(client, user)
    client.get("/accounts/two-factor/set-up/")
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/two-factor/set-up/", {"code": code_for(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get("/plan/").status_code == 200


def test_panel_member_turns_two_factor_on_then_needs_a_code_then_turns_it_off(
    client, make_user, frozen
):
    user = make_user("panel member", username="pat")
    sign_in(client, "pat")
    account = soup(client.get("/accounts/"))
    assert "Off" in text(account.find(class_="govuk-summary-list"))
    link = account.find("a", href="/accounts/two-factor/set-up/")
    assert "Turn on" in link.text
    assert "Your role must" not in text(soup(client.get(link["href"])).main)
    device = TOTPDevice.objects.get(user=user)
    client.post("/accounts/two-factor/set-up/", {"code": code_for(device)})
    client.post("/accounts/logout/")

    frozen.shift(datetime.timedelta(seconds=60))
    response = sign_in(client, "pat")
    assert response.redirect_chain == [("/accounts/two-factor/?next=%2F", 302)]
    client.post("/accounts/two-factor/", {"code": code_for(device)})

    response = client.post("/accounts/two-factor/turn-off/", {"password": "wrong"})
    assert "Your password is not right" in summary_text(response)
    response = client.post("/accounts/two-factor/turn-off/", {"password": PASSWORD}, follow=True)
    assert "Two-factor authentication is off." in text(soup(response).main)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    client.post("/accounts/logout/")
    assert sign_in(client, "pat").redirect_chain == [("/", 302)]


@pytest.mark.parametrize("role", ["staff", "approver"])
def test_roles_that_must_use_two_factor_cannot_turn_it_off(client_for, role):
    client = client_for(role)
    assert client.get("/accounts/two-factor/turn-off/").status_code == 403
    assert client.post("/accounts/two-factor/turn-off/", {"password": PASSWORD}).status_code == 403
    assert TOTPDevice.objects.count() == 1
    assert "Turn off" not in text(soup(client.get("/accounts/")).main)


# --- Who may open each page ----------------------------------------------------------------

PAGES = [
    "/accounts/",
    "/accounts/password_change/",
    "/accounts/two-factor/set-up/",
    "/accounts/two-factor/recovery-codes/",
    "/accounts/two-factor/turn-off/",
    "/accounts/two-factor/",
]


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # The panel member has no app: codes and turning off lead back to the account page.
        ("panel member", [200, 200, 200, 302, 302, 302]),
        ("staff", [200, 200, 200, 200, 403, 302]),
        ("approver", [200, 200, 200, 200, 403, 302]),
    ],
)
def test_each_role_reaches_its_account_pages(client_for, role, expected):
    client = client_for(role)
    assert [client.get(url).status_code for url in PAGES] == expected


def test_panel_member_with_two_factor_reaches_every_account_page(client, make_user):
    user = make_user("panel member")
    recovery_codes_replace(user=user)
    force_login_verified(client, user)
    assert [client.get(url).status_code for url in PAGES[:5]] == [200] * 5


def test_account_page_shows_the_two_factor_state(client_for):
    page = soup(client_for("staff").get("/accounts/"))
    assert page.h1.text == "Your account"
    rows = text(page.find(class_="govuk-summary-list"))
    assert "On: an authenticator app" in rows
    assert page.find("a", href="/accounts/password_change/") is not None
    assert page.find("a", href="/accounts/two-factor/recovery-codes/") is not None


def test_the_administration_pages_need_two_factor_too(client, make_user):
    admin = make_user("none", is_superuser=True, is_staff=True)
    app_for(admin)
    client.force_login(admin)
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    force_login_verified(client, admin)
    assert client.get("/admin/").status_code == 200


# --- Demo accounts in development ----------------------------------------------------------


def test_demo_accounts_sign_in_without_two_factor_only_while_debug_is_on(
    client, make_user, settings
):
    make_user("staff", username="staff")
    settings.TWO_FACTOR_EXEMPT_USERNAMES = ["staff"]

    settings.DEBUG = True
    page = soup(client.get("/accounts/login/"))
    assert "Demo accounts sign in without two-factor while the portal runs in development mode" in (
        text(page.main)
    )
    assert sign_in(client, "staff").redirect_chain == [("/", 302)]
    assert client.get("/plan/").status_code == 200
    client.post("/accounts/logout/")

    settings.DEBUG = False
    assert "Demo accounts" not in text(soup(client.get("/accounts/login/")).main)
    response = sign_in(client, "staff")
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/set-up/")


def settings_value(expression: str, debug: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         f"from django.conf import settings; print({expression})"],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "pcc_portal.settings",
             "DJANGO_DEBUG": debug, "DJANGO_SECRET_KEY": "x" * 50,
             "DJANGO_ALLOWED_HOSTS": "portal.example.org"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_production_exempts_no_one_and_development_only_the_demo_accounts():
    from pcc_portal.management.commands.demo import DEMO_ACCOUNTS

    assert settings_value("settings.TWO_FACTOR_EXEMPT_USERNAMES", debug="0") == "[]"
    development = settings_value("sorted(settings.TWO_FACTOR_EXEMPT_USERNAMES)", debug="1")
    assert development == str(sorted(username for username, _, _ in DEMO_ACCOUNTS))
