"""Fixtures every test can use, in every app: users in each role and clients signed in as them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pcc_portal.roles import OPCC_APPROVER, OPCC_STAFF, PANEL_MEMBER

ROLE_GROUPS = {
    "anonymous": None,
    "panel member": PANEL_MEMBER,
    "staff": OPCC_STAFF,
    "approver": OPCC_APPROVER,
}


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as its database starts empty: an office profile
    cached by one test must not show in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db):
    """Makes a user holding the given role (a key of ROLE_GROUPS) and returns it."""
    counter = {"n": 0}

    def make(role: str = "staff", **fields):
        counter["n"] += 1
        username = fields.pop("username", f"{role.replace(' ', '-')}-{counter['n']}")
        user = get_user_model().objects.create_user(
            username=username, password=fields.pop("password", "correct horse battery"), **fields
        )
        if ROLE_GROUPS.get(role):
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        return user

    return make


def force_login_verified(client, user):
    """Signs `user` in on `client` with two-factor passed, as django-otp records it.

    The user gets a confirmed authenticator app if they have none, and the session names it as
    the device that verified them (what django_otp.login() stores), so the two-factor
    middleware sees a real verified sign-in: nothing is switched off for tests.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Authenticator app")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login_verified(client):
    """Signs a user in on the test client with two-factor passed (force_login_verified)."""
    return lambda user: force_login_verified(client, user)


@pytest.fixture
def client_for(client, make_user):
    """A test client signed in as a user with the given role (anonymous: not signed in).

    Staff and approvers must use two-factor, so their session has passed it.
    """

    def sign_in(role: str):
        if role in ("staff", "approver"):
            force_login_verified(client, make_user(role))
        elif role != "anonymous":
            client.force_login(make_user(role))
        return client

    return sign_in


@pytest.fixture(autouse=True)
def published_list_forgotten():
    """Each test reads the list of published files afresh: a process remembers it a moment."""
    from pcc_portal.published import published_list_forget

    published_list_forget()


@pytest.fixture
def figures(request):
    """Records a line of figures (how many requests, how long) that the run prints at its end,
    whether the test ran here or in one of pytest-xdist's worker processes."""

    def record(line: str) -> None:
        request.node.user_properties.append(("figures", line))

    return record


def pytest_terminal_summary(terminalreporter):
    reports = terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
    lines = [value for report in reports for name, value in report.user_properties
             if name == "figures"]  # fmt: skip
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)
