"""The decision workflow, role by role: draft, submitted, signed, published; returned with a
reason; and the reference a decision gets when it is signed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from decisions import services
from decisions.models import Decision, ReferenceCounter
from decisions.tests.factories import make_decision, publish_decision
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db


def test_a_draft_has_no_reference_and_signing_gives_one(make_user):
    approver = make_user("approver")
    decision = make_decision(decision_date=datetime.date(2021, 6, 3))
    assert decision.reference is None
    services.decision_submit(decision=decision, user=make_user("staff"))
    signed = services.decision_sign(decision=decision, user=approver)
    assert signed.reference == "2021/001"
    assert signed.status == Decision.Status.SIGNED
    assert reverse("decisions:decision", args=["2021/001"]) == "/decisions/2021/001/"


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2022, 3, 31), 2021),
        (datetime.date(2022, 4, 1), 2022),
        (datetime.date(2021, 4, 1), 2021),
        (datetime.date(2024, 2, 29), 2023),
    ],
)
def test_references_are_numbered_per_financial_year(make_user, day, year):
    approver = make_user("approver")
    first = publish_decision(make_decision(decision_date=day), approver)
    second = publish_decision(make_decision(decision_date=day), approver)
    assert (first.reference, second.reference) == (f"{year}/001", f"{year}/002")


def test_numbering_restarts_each_year_across_31_march_and_1_april(make_user):
    approver = make_user("approver")
    march = publish_decision(make_decision(decision_date=datetime.date(2022, 3, 31)), approver)
    april = publish_decision(make_decision(decision_date=datetime.date(2022, 4, 1)), approver)
    march2 = publish_decision(make_decision(decision_date=datetime.date(2022, 3, 30)), approver)
    assert [march.reference, april.reference, march2.reference] == [
        "2021/001", "2022/001", "2021/002",
    ]  # fmt: skip


def test_a_number_is_never_reused_after_a_deletion(make_user):
    approver, staff = make_user("approver"), make_user("staff")
    day = datetime.date(2021, 5, 1)
    publish_decision(make_decision(decision_date=day), approver)
    second = make_decision(decision_date=day)
    services.decision_submit(decision=second, user=staff)
    second = services.decision_sign(decision=second, user=approver)
    assert second.reference == "2021/002"
    # Returned after signing, then deleted as a draft would be: its number stays taken.
    services.decision_return(decision=second, user=approver, reason="Wrong budget line")
    services.decision_delete(decision=Decision.objects.get(pk=second.pk), user=staff)
    draft = make_decision(decision_date=day)
    services.decision_delete(decision=draft, user=staff)  # a draft has no number to free
    third = publish_decision(make_decision(decision_date=day), approver)
    assert third.reference == "2021/003"
    assert ReferenceCounter.objects.get(financial_year=2021).last_number == 3


def test_signing_again_after_a_return_keeps_the_reference(make_user):
    approver, staff = make_user("approver"), make_user("staff")
    decision = make_decision(decision_date=datetime.date(2021, 5, 1))
    services.decision_submit(decision=decision, user=staff)
    services.decision_sign(decision=decision, user=approver)
    services.decision_return(decision=decision, user=approver, reason="Add the options")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RETURNED
    services.decision_submit(decision=decision, user=staff)
    assert services.decision_sign(decision=decision, user=approver).reference == "2021/001"


def test_signing_needs_a_date_and_the_decision(make_user):
    decision = make_decision(decision_date=None, decision_text="")
    services.decision_submit(decision=decision, user=make_user("staff"))
    with pytest.raises(ValidationError) as error:
        services.decision_sign(decision=decision, user=make_user("approver"))
    assert "Enter the date of the decision before it is signed." in error.value.messages
    decision.refresh_from_db()
    assert decision.reference is None and decision.status == Decision.Status.SUBMITTED


def test_staff_cannot_sign_or_publish(make_user):
    staff = make_user("staff")
    decision = make_decision()
    services.decision_submit(decision=decision, user=staff)
    with pytest.raises(PermissionDenied):
        services.decision_sign(decision=decision, user=staff)
    with pytest.raises(PermissionDenied):
        services.decision_publish(decision=decision, user=staff)


def test_a_return_needs_a_reason(make_user):
    decision = make_decision()
    services.decision_submit(decision=decision, user=make_user("staff"))
    with pytest.raises(ValidationError):
        services.decision_return(decision=decision, user=make_user("approver"), reason="  ")


# Who sees the decision at each step: (status, role, HTTP status of its page).
ROLE_TABLE = [
    ("draft", "anonymous", 404),
    ("draft", "panel member", 404),
    ("draft", "staff", 200),
    ("draft", "approver", 200),
    ("submitted", "anonymous", 404),
    ("submitted", "panel member", 404),
    ("submitted", "staff", 200),
    ("signed", "anonymous", 404),
    ("signed", "panel member", 404),
    ("signed", "approver", 200),
    ("published", "anonymous", 200),
    ("published", "panel member", 200),
    ("published", "staff", 200),
    ("published", "approver", 200),
]


def _at(status, make_user) -> Decision:
    approver, staff = make_user("approver"), make_user("staff")
    decision = make_decision(decision_date=datetime.date(2021, 7, 1))
    if status in ("submitted", "signed", "published"):
        decision = services.decision_submit(decision=decision, user=staff)
    if status in ("signed", "published"):
        decision = services.decision_sign(decision=decision, user=approver)
    if status == "published":
        decision = services.decision_publish(decision=decision, user=approver)
    return Decision.objects.get(pk=decision.pk)


@pytest.mark.parametrize(("status", "role", "code"), ROLE_TABLE)
def test_who_sees_the_decision_at_each_step(client_for, make_user, status, role, code):
    decision = _at(status, make_user)
    client = client_for(role)
    url = decision.get_absolute_url()
    response = client.get(url, follow=True)
    assert response.status_code == code
    listed = client.get(reverse("decisions:decisions"))
    assert (decision.title in listed.content.decode()) == (code == 200)


# Which steps each role may take: (role, step, allowed).
STEP_TABLE = [
    ("anonymous", "submit", False),
    ("panel member", "submit", False),
    ("staff", "submit", True),
    ("approver", "submit", True),
    ("anonymous", "sign", False),
    ("panel member", "sign", False),
    ("staff", "sign", False),
    ("approver", "sign", True),
]


@pytest.mark.parametrize(("role", "step", "allowed"), STEP_TABLE)
def test_who_may_take_each_step(client_for, make_user, role, step, allowed):
    decision = make_decision(decision_date=datetime.date(2021, 7, 1))
    if step == "sign":
        decision = services.decision_submit(decision=decision, user=make_user("staff"))
    client = client_for(role)
    response = client.post(
        reverse(f"decisions:decision_{step}", args=[decision.pk]), {"version": decision.version}
    )
    decision.refresh_from_db()
    expected = {"submit": "submitted", "sign": "signed"}[step]
    assert (decision.status == expected) == allowed
    if not allowed:
        assert response.status_code in (302, 403)


def test_publish_page_publishes_and_the_public_then_read_it(client_for, make_user):
    decision = _at("signed", make_user)
    client = client_for("approver")
    page = client.get(reverse("decisions:decision_publish", args=[decision.pk]))
    assert "Publish the decision" in page.content.decode()
    response = client.post(reverse("decisions:decision_publish", args=[decision.pk]))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.is_published and decision.published_at is not None


def test_corrections_to_a_published_decision_wait_for_an_approver(client_for, make_user):
    decision = _at("published", make_user)
    staff = make_user("staff")
    decision.title = "A corrected title"
    held = services.decision_save(decision=decision, user=staff, expected_version=decision.version)
    assert held.held_for_approval
    assert Decision.objects.get(pk=decision.pk).title != "A corrected title"
    services.decision_publish(decision=decision, user=make_user("approver"))
    fresh = Decision.objects.get(pk=decision.pk)
    assert fresh.title == "A corrected title" and fresh.reference == "2021/001"


def test_returned_decision_shows_the_reason_to_staff(client_for, make_user):
    decision = _at("submitted", make_user)
    services.decision_return(decision=decision, user=make_user("approver"), reason="Add costs")
    page = client_for("staff").get(decision.get_absolute_url())
    assert "Reason: Add costs" in text(soup(page))


def test_the_history_records_each_step_and_who_took_it(make_user):
    staff, approver = make_user("staff"), make_user("approver")
    decision = make_decision(decision_date=datetime.date(2021, 7, 1))
    services.decision_submit(decision=decision, user=staff)
    services.decision_sign(decision=decision, user=approver)
    services.decision_publish(decision=decision, user=approver)
    steps = [
        (record.history_change_reason, record.history_user)
        for record in Decision.history.filter(id=decision.pk).order_by("history_date")
    ][1:]
    assert steps == [
        ("Submitted to be signed", staff),
        ("Signed as 2021/001", approver),
        ("Published", approver),
    ]


def test_two_people_editing_a_draft_the_second_sees_the_conflict(client_for, make_user):
    decision = make_decision(title="Original")
    client = client_for("staff")
    data = {
        "title": "Mine", "summary": "A summary.", "decision_maker": "commissioner",
        "version": decision.version,
    }  # fmt: skip
    decision.title = "Theirs"
    services.decision_save(decision=decision, user=make_user("staff"), expected_version=1)
    response = client.post(reverse("decisions:decision_edit", args=[decision.pk]), data)
    assert response.status_code == 409
    assert Decision.objects.get(pk=decision.pk).title == "Theirs"
    assert "Mine" in response.content.decode()
