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


@pytest.fixture
def client_for(client, make_user):
    """A test client signed in as a user with the given role (anonymous: not signed in)."""

    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(make_user(role))
        return client

    return sign_in
