"""Two-factor sign-in in a real browser: a staff member sets up an authenticator app, keeps the
recovery codes, signs out, and signs in again with password and code. Every page on the way is
checked with axe and at 320px wide."""

import re
from base64 import b32decode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import expect

from e2e.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SERIOUS = {"serious", "critical"}


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app holding `secret` shows now (or `steps_ahead` codes later)."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def check_page(page, problems: list[str]) -> None:
    """axe finds nothing serious, and nothing scrolls sideways at 320px (400% zoom)."""
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] in SERIOUS:
            problems.append(f"{page.url}: {violation['id']} ({violation['impact']})")
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        problems.append(f"{page.url}: {width}px wide at 320px")
    page.set_viewport_size(size)


def sign_in_with_password(page, username: str) -> None:
    page.goto("/accounts/login/?next=/plan/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")


def test_two_factor_staff_member_sets_up_an_app_then_signs_in_with_password_and_code(
    open_as, shots
):
    problems: list[str] = []
    page = open_as(None)

    # The password leads a staff member without an app to set one up, and nowhere else.
    sign_in_with_password(page, "staff")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/set-up/\?next=%2Fplan%2F$"))
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    expect(page.locator("main img[src^='data:image/svg+xml']")).to_be_visible()
    check_page(page, problems)
    shots(page, "set-up")
    page.goto("/reports/new/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/set-up/\?next=%2Freports%2Fnew%2F$"))
    page.goto("/accounts/two-factor/set-up/?next=/plan/")

    # A wrong code is refused in the error summary; the code the app shows is accepted.
    page.fill("#id_code", "12345")
    page.press("#id_code", "Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 6-digit code")
    check_page(page, problems)
    secret = page.locator("#two-factor-secret").inner_text()
    page.fill("#id_code", app_code(secret))
    page.get_by_role("button", name="Confirm").click()

    # Ten recovery codes, shown once.
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Two-factor authentication is on."
    )
    check_page(page, problems)
    shots(page, "recovery-codes")
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/plan/$"))
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have been signed out.")

    # Signing in again: the password, then the code. The code just used works once, so the
    # app's next code is typed (the portal allows one step of clock difference).
    sign_in_with_password(page, "staff")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next=%2Fplan%2F$"))
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    check_page(page, problems)
    shots(page, "code")
    page.fill("#id_code", app_code(secret, steps_ahead=1))
    page.press("#id_code", "Enter")
    expect(page).to_have_url(re.compile(r"/plan/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You are signed in as staff."
    )

    # Now the staff pages open, and the account page says two-factor is on.
    page.goto("/reports/new/")
    expect(page.locator("h1")).not_to_contain_text("two-factor")
    page.goto("/accounts/")
    expect(page.locator(".govuk-summary-list")).to_contain_text("On: an authenticator app")
    shots(page, "account")
    assert not problems, "\n".join(problems)
