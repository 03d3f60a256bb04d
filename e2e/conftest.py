"""The browser: Debian's Chromium driven by Playwright, against pytest-django's live server."""

import io
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

PASSWORD = "lancashire-demo"
RESULTS = Path(__file__).resolve().parent.parent / "test-results"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def demo_made(tmp_path_factory):
    """The demo as the first journey made it: its SQLite database and its files, copied into
    each later journey instead of making the demo again (about six seconds each)."""
    return {"database": None, "files": tmp_path_factory.mktemp("demo-files")}


@pytest.fixture
def portal(transactional_db, live_server, settings, tmp_path, demo_made):
    """The portal with the Lancashire data, the demo accounts and the published papers."""
    settings.MEDIA_ROOT = tmp_path
    if connection.vendor != "sqlite":
        call_command("demo", "--password", PASSWORD, "--allow-production", stdout=io.StringIO())
    elif demo_made["database"] is None:
        call_command("demo", "--password", PASSWORD, "--allow-production", stdout=io.StringIO())
        demo_made["database"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(demo_made["database"])
        shutil.copytree(tmp_path, demo_made["files"], dirs_exist_ok=True)
    else:
        demo_made["database"].backup(connection.connection)
        shutil.copytree(demo_made["files"], tmp_path, dirs_exist_ok=True)
        ContentType.objects.clear_cache()  # the flush after the last journey made new ids
    return live_server.url


def two_factor_code(username: str) -> str | None:
    """For an account that must use two-factor: a single-use recovery code to sign in with.

    The account gets an authenticator app if it has none, so sign-in asks for a code. A
    recovery code, unlike an app's code, can be used by several browsers in the same
    30 seconds (an app's code works once).
    """
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pcc_portal.twofactor import two_factor_required

    user = get_user_model().objects.get(username=username)
    if not two_factor_required(user):
        return None
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    return device.token_set.create(token=StaticToken.random_token()).token


@pytest.fixture
def shots(request):
    """Saves a screenshot under test-results/<test>/<name>.png."""
    folder = RESULTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str, part=None):
        """The whole page, or only `part` (a locator) of it."""
        if part is not None:
            part.screenshot(path=str(folder / f"{name}.png"))
        else:
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shot


@pytest.fixture
def open_as(browser, portal):
    """A new browser context signed in as a demo account (or signed out for None)."""
    contexts = []

    def open_page(username: str | None, **options):
        context = browser.new_context(base_url=portal, accept_downloads=True, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            code = two_factor_code(username)
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.press("#id_password", "Enter")  # forms submit with Enter
            if code:
                page.wait_for_url(re.compile(r".*/accounts/two-factor/\?next=.*"))
                page.fill("#id_code", code)
                page.press("#id_code", "Enter")
            page.wait_for_url(re.compile(r".*/$"))
        return page

    yield open_page
    for context in contexts:
        context.close()
