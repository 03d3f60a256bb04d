"""Emails about people's work: sent after the commit through the task, one message per
recipient, only to those who should get them, and each kind turned off on one page."""

import json

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from pcc_portal import notifications
from pcc_portal.checks import portal_base_url_check
from pcc_portal.models import EmailOptOut
from pcc_portal.notifications import EmailKind, email_enqueue, email_send
from pcc_portal.permissions import VIEW_EXEMPT
from plan.notifications import QUARTER_APPROVED, UPDATE_RETURNED, UPDATES_SUBMITTED
from plan.permissions import APPROVE_MEASUREUPDATE
from reports.notifications import PAPER_NOT_PUBLISHED, PAPER_RETURNED, PAPER_SUBMITTED
from tests.helpers import soup, text

NEWS = EmailKind(
    key="test_news",
    label="Test news",
    hint="When something happens in a test.",
    audience="everyone signed in",
    permission=VIEW_EXEMPT,
)
FOR_APPROVERS = EmailKind(
    key="test_approvals",
    label="Test approvals",
    hint="When an approver is needed in a test.",
    audience="approvers",
    permission=APPROVE_MEASUREUPDATE,
)


@pytest.fixture
def kinds(monkeypatch):
    """Two kinds of email of the tests' own, beside those the apps register."""
    monkeypatch.setitem(notifications._kinds, NEWS.key, NEWS)
    monkeypatch.setitem(notifications._kinds, FOR_APPROVERS.key, FOR_APPROVERS)


def send(kind=NEWS.key, users=(), subject="Something happened", body="It did."):
    return email_send.enqueue(
        kind=kind, user_ids=[u.pk for u in users], subject=subject, body=body
    ).return_value


# --- The task ------------------------------------------------------------------------------


def test_each_recipient_gets_a_message_of_their_own_naming_nobody_else(kinds, make_user):
    ann = make_user("staff", email="ann@example.org")
    bob = make_user("panel member", email="bob@example.org")
    assert send(users=[ann, bob], subject="News", body="Something happened.") == 2
    assert sorted(message.to for message in mail.outbox) == [
        ["ann@example.org"],
        ["bob@example.org"],
    ]
    for message in mail.outbox:
        assert message.subject == "News"
        assert message.cc == [] and message.bcc == []
        assert message.body.startswith("Something happened.\n")
        assert "You get “Test news” emails from the portal" in message.body
        assert "http://127.0.0.1:8000/accounts/email/" in message.body
        assert "ann@" not in message.body and "bob@" not in message.body


def test_the_message_reads_as_written_in_its_raw_form(kinds, make_user):
    """Sent as 8-bit UTF-8, not quoted-printable: `make run`'s console prints it readably."""
    ann = make_user("staff", email="ann@example.org")
    body = "Q3 2021/22 was returned: “Say why the figure fell”, as the approver’s reason says."
    send(users=[ann], body=body)
    [message] = mail.outbox
    assert message.body.startswith(body)
    raw = message.message()
    assert raw["Content-Transfer-Encoding"] == "8bit"
    assert raw.get_content_charset() == "utf-8"
    footer = "You get “Test news” emails from the portal."
    for written in (raw.as_string(), raw.as_bytes().decode()):
        assert body in written and footer in written
        assert "=E2=80" not in written


def test_a_line_too_long_for_smtp_is_left_to_pythons_encoding(kinds, make_user):
    ann = make_user("staff", email="ann@example.org")
    send(users=[ann], body="“" + "x" * 1000)
    raw = mail.outbox[0].message()
    assert raw["Content-Transfer-Encoding"] in ("quoted-printable", "base64")
    assert raw.get_content().startswith("“" + "x" * 1000)


def test_nobody_inactive_without_an_address_or_the_permission_is_sent_it(kinds, make_user):
    approver = make_user("approver", email="approver@example.org")
    inactive = make_user("approver", email="gone@example.org", is_active=False)
    no_address = make_user("approver", email="")
    staff = make_user("staff", email="staff@example.org")  # not an approver
    superuser = make_user("anonymous", email="admin@example.org", is_superuser=True)
    sent = send(FOR_APPROVERS.key, users=[approver, inactive, no_address, staff, superuser])
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.org", "approver@example.org"]


def test_a_user_who_turned_the_kind_off_is_not_sent_it(kinds, make_user):
    ann = make_user("staff", email="ann@example.org")
    bob = make_user("staff", email="bob@example.org")
    EmailOptOut.objects.create(user=bob, kind=NEWS.key)
    EmailOptOut.objects.create(user=ann, kind=FOR_APPROVERS.key)  # another kind: no matter
    assert send(users=[ann, bob]) == 1
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]


def test_the_task_finds_its_recipients_in_one_query_however_many(kinds, make_user):
    users = [make_user("staff", email=f"u{i}@example.org") for i in range(12)]
    counts = []
    for some in (users[:1], users):
        with CaptureQueriesContext(connection) as queries:
            send(users=some)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 1


# --- After the commit, and only then ---------------------------------------------------------


def test_an_email_is_sent_only_once_the_transaction_commits(
    kinds, make_user, django_capture_on_commit_callbacks
):
    ann = make_user("staff", email="ann@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_enqueue(kind=NEWS.key, user_ids=[ann.pk], subject="News", body="Done.")
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]


def test_nothing_is_sent_when_the_transaction_rolls_back(
    kinds, make_user, django_capture_on_commit_callbacks
):
    ann = make_user("staff", email="ann@example.org")

    class Undo(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Undo),
        transaction.atomic(),
    ):
        email_enqueue(kind=NEWS.key, user_ids=[ann.pk], subject="News", body="Undone.")
        raise Undo
    assert callbacks == []
    assert mail.outbox == []


def test_the_task_is_given_only_plain_json(
    kinds, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    handed = []

    class Recorder:
        def enqueue(self, **kwargs):
            handed.append(kwargs)

    monkeypatch.setattr(notifications, "email_send", Recorder())
    ann = make_user("staff", email="ann@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(kind=NEWS.key, user_ids=[ann.pk, ann.pk], subject="S", body="B")
    assert handed == [{"kind": NEWS.key, "user_ids": [ann.pk], "subject": "S", "body": "B"}]
    assert json.loads(json.dumps(handed[0])) == handed[0]


def test_each_recipient_is_a_task_of_their_own_so_a_retry_sends_to_nobody_twice(
    kinds, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    handed = []

    class Recorder:
        def enqueue(self, **kwargs):
            handed.append(kwargs["user_ids"])

    monkeypatch.setattr(notifications, "email_send", Recorder())
    ann = make_user("staff", email="ann@example.org")
    bob = make_user("staff", email="bob@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(kind=NEWS.key, user_ids=[bob.pk, ann.pk], subject="S", body="B")
    assert handed == [[ann.pk], [bob.pk]]


def test_an_unknown_kind_is_refused_where_it_is_enqueued(db):
    with pytest.raises(LookupError, match="no kind of email named 'nonsense'"):
        email_enqueue(kind="nonsense", user_ids=[1], subject="S", body="B")


def test_nobody_to_send_to_queues_nothing(kinds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        email_enqueue(kind=NEWS.key, user_ids=[], subject="S", body="B")
    assert callbacks == []


# --- The preferences page ------------------------------------------------------------------

URL = "/accounts/email/"


def checkboxes(response) -> dict[str, bool]:
    """Each checkbox's label (with its hint) -> ticked."""
    page = soup(response)
    found = {}
    for box in page.select("input[type=checkbox][name=receive]"):
        label = text(page.find("label", attrs={"for": box["id"]}))
        hint = text(page.find(id=box["aria-describedby"]))
        found[f"{label}: {hint}"] = box.has_attr("checked")
    return found


@pytest.mark.parametrize(
    "role, expected",
    [
        ("panel member", []),
        ("staff", [UPDATE_RETURNED, QUARTER_APPROVED, PAPER_RETURNED]),
        (
            "approver",
            [
                UPDATES_SUBMITTED,
                UPDATE_RETURNED,
                QUARTER_APPROVED,
                PAPER_SUBMITTED,
                PAPER_RETURNED,
                PAPER_NOT_PUBLISHED,
            ],
        ),
    ],
)
def test_each_role_is_offered_the_emails_it_can_receive(client_for, role, expected):
    response = client_for(role).get(URL)
    assert response.status_code == 200
    page = soup(response)
    assert text(page.h1) == "Email preferences"
    offered = [box["value"] for box in page.select("input[type=checkbox][name=receive]")]
    assert offered == expected
    assert all(checkboxes(response).values())  # every kind is on until turned off
    if not expected:
        assert "sends no emails to your role" in text(page.main)
        assert page.main.find("form") is None


def test_anonymous_visitors_are_sent_to_sign_in(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert client.post(URL, {"receive": []}).status_code == 302
    assert not EmailOptOut.objects.exists()


def test_each_checkbox_says_what_the_email_is_and_who_it_is_for(client_for):
    boxes = checkboxes(client_for("approver").get(URL))
    assert (
        "Updates submitted for approval: When staff submit quarterly updates: how many wait for "
        "approval, with a link to review them. For approvers."
    ) in boxes


def test_the_account_page_links_to_the_preferences(client_for):
    link = soup(client_for("panel member").get("/accounts/")).find("a", href=URL)
    assert text(link) == "Email preferences"


def test_unticking_turns_a_kind_off_and_ticking_turns_it_on_again(client_for):
    client = client_for("approver")
    response = client.post(URL, {"receive": [UPDATES_SUBMITTED]}, follow=True)
    assert "Your email preferences are saved." in text(soup(response).main)
    user = response.context["user"]
    assert set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True)) == {
        UPDATE_RETURNED,
        QUARTER_APPROVED,
        PAPER_SUBMITTED,
        PAPER_RETURNED,
        PAPER_NOT_PUBLISHED,
    }
    ticked = {
        box["value"]: box.has_attr("checked")
        for box in soup(response).select("input[type=checkbox][name=receive]")
    }
    assert ticked == {
        UPDATES_SUBMITTED: True, UPDATE_RETURNED: False, QUARTER_APPROVED: False,
        PAPER_SUBMITTED: False, PAPER_RETURNED: False, PAPER_NOT_PUBLISHED: False,
    }  # fmt: skip

    client.post(URL, {"receive": [UPDATE_RETURNED, QUARTER_APPROVED, PAPER_SUBMITTED,
                                  PAPER_RETURNED, PAPER_NOT_PUBLISHED]})  # fmt: skip
    assert list(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True)) == [
        UPDATES_SUBMITTED
    ]
    client.post(URL, {})  # nothing ticked: all off
    assert EmailOptOut.objects.filter(user=user).count() == 6


@pytest.mark.parametrize("value", ["no_such_email", UPDATES_SUBMITTED, "", "\u202e" * 3])
def test_an_email_not_offered_is_refused_with_an_error_and_nothing_saved(client_for, value):
    client = client_for("staff")  # staff are not offered the approvers' email
    response = client.post(URL, {"receive": [UPDATE_RETURNED, value]})
    assert response.status_code == 400
    summary = soup(response).find(class_="govuk-error-summary")
    assert "Choose from the emails listed" in text(summary)
    assert summary.find("a")["href"].startswith("#id_receive")
    assert not EmailOptOut.objects.exists()


def test_a_kind_turned_off_before_losing_a_role_stays_off(make_user, login_verified):
    user = make_user("staff")
    EmailOptOut.objects.create(user=user, kind=UPDATES_SUBMITTED)  # when they were an approver
    login_verified(user).post(URL, {"receive": [UPDATE_RETURNED]})
    assert set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True)) == {
        UPDATES_SUBMITTED,
        QUARTER_APPROVED,
        PAPER_RETURNED,
    }


def test_a_user_without_an_address_is_told_nothing_can_be_sent(make_user, login_verified):
    page = soup(login_verified(make_user("staff", email="")).get(URL))
    assert "has no email address for you" in text(page.main)


@pytest.mark.parametrize("role", ["panel member", "staff", "approver"])
def test_the_page_runs_a_fixed_number_of_queries(client_for, role, django_assert_max_num_queries):
    client = client_for(role)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


# --- Production --------------------------------------------------------------------------------


def test_the_deploy_check_warns_while_links_would_point_at_a_development_address():
    with override_settings(PORTAL_BASE_URL="http://127.0.0.1:8000"):
        assert [w.id for w in portal_base_url_check(None)] == ["pcc_portal.W001"]
    with override_settings(PORTAL_BASE_URL="https://portal.example.org"):
        assert portal_base_url_check(None) == []
