"""Emails about quarterly updates: approvers told when updates are submitted, whoever submitted
an update told when it is returned, and everyone who worked on a quarter told when it is fully
approved. Sent after the commit, once per action, to those who still want them."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pcc_portal.models import EmailOptOut
from plan import notifications, services
from plan.models import MeasureUpdate
from plan.tests.factories import make_period, make_plan_with_measures, make_update

REVIEW = "http://127.0.0.1:8000/plan/{plan}/quarters/2021-q3/review/"


@pytest.fixture
def people(make_user):
    """Two approvers and two staff, each with an email address, and a panel member."""
    return {
        "amy": make_user("approver", email="amy@example.org", first_name="Amy", last_name="Ash"),
        "abe": make_user("approver", email="abe@example.org"),
        "sam": make_user("staff", email="sam@example.org", first_name="Sam", last_name="Sage"),
        "sue": make_user("staff", email="sue@example.org"),
        "pat": make_user("panel member", email="pat@example.org"),
    }


@pytest.fixture
def quarter(db, people):
    """A plan of six measures; in Q3 2021/22 every one has a complete draft entered by Sam."""
    plan, measures = make_plan_with_measures(title="Police and Crime Plan", slug="pcp")
    period = make_period(2021, 3)
    updates = [
        make_update(m, period, created_by=people["sam"], commentary=f"On {m.short_label}.")
        for m in measures
    ]
    return plan, period, updates


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs the code given after its transaction commits, and returns the emails sent."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        run.result = result
        return {tuple(m.to): m for m in mail.outbox}

    return run


def submit_all(plan, period, user):
    return services.quarter_updates_submit(plan=plan, period=period, user=user)


def submit_one(update, user):
    update.refresh_from_db()
    return services.measure_update_submit(update=update, user=user, expected_version=update.version)


def review(plan, period, user, decisions):
    """decisions: update -> (action, reason)."""
    for update in decisions:
        update.refresh_from_db()
    return services.quarter_updates_review(
        plan=plan,
        period=period,
        user=user,
        decisions={u.pk: (action, reason, u.version) for u, (action, reason) in decisions.items()},
    )


# --- Submitted: to the approvers ---------------------------------------------------------------


def test_submitting_a_whole_quarter_sends_each_approver_one_email(quarter, people, sent):
    plan, period, _ = quarter
    emails = sent(lambda: submit_all(plan, period, people["sam"]))
    assert set(emails) == {("amy@example.org",), ("abe@example.org",)}  # not 6 each
    assert len(mail.outbox) == 2
    email = emails[("amy@example.org",)]
    assert email.subject == "Updates to approve: Q3 2021/22, Police and Crime Plan"
    assert email.body.startswith(
        "Sam Sage submitted 6 quarterly updates of Police and Crime Plan for Quarter 3 "
        "2021/22 (1 October to 31 December 2021) for approval.\n\n"
        "6 updates of that quarter now wait for approval. Review them here:\n"
        + REVIEW.format(plan="pcp")
    )


def test_submitting_one_update_says_how_many_wait_in_all(quarter, people, sent):
    _plan, _period, updates = quarter
    submit_one(updates[0], people["sam"])
    emails = sent(lambda: submit_one(updates[1], people["sue"]))
    assert set(emails) == {("amy@example.org",), ("abe@example.org",)}
    body = emails[("abe@example.org",)].body
    assert "submitted 1 quarterly update of Police and Crime Plan" in body
    assert "2 updates of that quarter now wait for approval" in body


def test_submitting_from_the_update_page_tells_the_approvers(quarter, people, sent):
    _plan, period, updates = quarter
    update = updates[0]
    emails = sent(
        lambda: services.measure_update_save(
            measure=update.measure,
            period=period,
            user=people["sue"],
            update=update,
            data={"commentary": "Better."},
            expected_version=update.version,
            submit=True,
        )
    )
    assert set(emails) == {("amy@example.org",), ("abe@example.org",)}
    assert REVIEW.format(plan="pcp") in emails[("amy@example.org",)].body


def test_saving_a_draft_or_submitting_nothing_sends_nothing(quarter, people, sent):
    plan, period, updates = quarter
    update = updates[0]
    sent(
        lambda: services.measure_update_save(
            measure=update.measure,
            period=period,
            user=people["sam"],
            update=update,
            data={"commentary": "Draft."},
            expected_version=update.version,
        )
    )
    submit_all(plan, period, people["sam"])
    mail.outbox.clear()
    sent(lambda: submit_all(plan, period, people["sam"]))  # all submitted already
    assert mail.outbox == []


def test_an_approver_who_submits_is_not_told_of_it_but_the_other_approver_is(quarter, people, sent):
    plan, period, _ = quarter
    emails = sent(lambda: submit_all(plan, period, people["amy"]))
    assert set(emails) == {("abe@example.org",)}


# --- Returned: to whoever submitted it ---------------------------------------------------------


def test_returning_an_update_tells_who_submitted_it_why_and_where_to_fix_it(quarter, people, sent):
    _plan, _period, updates = quarter
    submit_one(updates[0], people["sue"])
    update = updates[0]
    update.refresh_from_db()
    mail.outbox.clear()
    emails = sent(
        lambda: services.measure_update_return(
            update=update,
            user=people["amy"],
            reason="Add the figures for December.",
            expected_version=update.version,
        )
    )
    assert list(emails) == [("sue@example.org",)]  # not Sam, who entered it
    email = emails[("sue@example.org",)]
    label = update.measure.short_label
    assert email.subject == f"Update returned to you: {label}, Q3 2021/22"
    assert email.body.startswith(
        "Amy Ash returned an update you submitted, with this reason. Change it and submit it "
        f"again.\n\n{label} (Q3 2021/22)\n"
        "Reason: Add the figures for December.\n"
        f"Change it here: http://127.0.0.1:8000/plan/updates/{update.pk}/edit/\n"
    )


def test_returning_many_at_once_sends_each_submitter_one_email_listing_theirs(
    quarter, people, sent
):
    plan, period, updates = quarter
    for update in updates[:2]:
        submit_one(update, people["sam"])
    for update in updates[2:]:
        submit_one(update, people["sue"])
    mail.outbox.clear()
    emails = sent(
        lambda: review(
            plan,
            period,
            people["amy"],
            {
                updates[0]: ("return", "Reason one."),
                updates[1]: ("return", "Reason two."),
                updates[2]: ("return", "Reason three."),
                updates[3]: ("approve", ""),
            },
        )
    )
    assert set(emails) == {("sam@example.org",), ("sue@example.org",)}
    sam = emails[("sam@example.org",)]
    assert sam.subject == "2 of your updates were returned: Q3 2021/22"
    assert "returned 2 updates you submitted, with these reasons" in sam.body
    for update, reason in [(updates[0], "Reason one."), (updates[1], "Reason two.")]:
        assert f"{update.measure.short_label} (Q3 2021/22)\nReason: {reason}\n" in sam.body
        assert f"/plan/updates/{update.pk}/edit/" in sam.body
    assert "Reason three." not in sam.body
    sue = emails[("sue@example.org",)]
    assert "Reason three." in sue.body and "Reason one." not in sue.body


# --- A quarter fully approved ------------------------------------------------------------------


def test_approving_the_quarters_last_update_tells_who_worked_on_it_and_the_approvers(
    quarter, people, sent
):
    plan, period, updates = quarter
    submit_all(plan, period, people["sue"])
    review(plan, period, people["abe"], dict.fromkeys(updates[:-1], ("approve", "")))
    assert not [m for m in mail.outbox if "fully approved" in m.subject]
    mail.outbox.clear()
    last = updates[-1]
    last.refresh_from_db()
    emails = sent(
        lambda: services.measure_update_approve(
            update=last, user=people["amy"], expected_version=last.version
        )
    )
    # Sam entered them, Sue submitted them, Abe approves; Amy did it; Pat is on the panel.
    assert set(emails) == {("sam@example.org",), ("sue@example.org",), ("abe@example.org",)}
    email = emails[("sam@example.org",)]
    assert email.subject == "Q3 2021/22 fully approved: Police and Crime Plan"
    assert email.body.startswith(
        "Every one of the 6 outcome measures of Police and Crime Plan now has an approved "
        "update for Quarter 3 2021/22 (1 October to 31 December 2021). Amy Ash approved the last "
        "of them.\n\nSee the quarter here:\nhttp://127.0.0.1:8000/plan/pcp/quarters/2021-q3/\n"
    )


def test_approving_a_whole_quarter_at_once_sends_one_such_email_each(quarter, people, sent):
    plan, period, updates = quarter
    submit_all(plan, period, people["sam"])
    mail.outbox.clear()
    emails = sent(
        lambda: review(plan, period, people["amy"], dict.fromkeys(updates, ("approve", "")))
    )
    assert set(emails) == {("sam@example.org",), ("abe@example.org",)}
    assert len(mail.outbox) == 2


def test_no_quarter_email_while_a_measure_still_lacks_an_approved_update(quarter, people, sent):
    plan, period, updates = quarter
    submit_all(plan, period, people["sam"])
    mail.outbox.clear()
    sent(
        lambda: review(
            plan,
            period,
            people["amy"],
            {**dict.fromkeys(updates[:-1], ("approve", "")), updates[-1]: ("return", "No.")},
        )
    )
    assert [m.subject for m in mail.outbox] == [
        f"Update returned to you: {updates[-1].measure.short_label}, Q3 2021/22"
    ]


# --- Who does not get them ---------------------------------------------------------------------


def test_nobody_who_turned_the_kind_off_on_the_preferences_page_is_sent_it(
    quarter, people, sent, login_verified
):
    plan, period, _ = quarter
    login_verified(people["abe"]).post(
        "/accounts/email/", {"receive": [notifications.QUARTER_APPROVED]}
    )
    assert EmailOptOut.objects.filter(user=people["abe"]).exists()
    emails = sent(lambda: submit_all(plan, period, people["sam"]))
    assert set(emails) == {("amy@example.org",)}


def test_no_email_is_sent_when_the_work_is_rolled_back(quarter, people, sent):
    plan, period, _ = quarter

    class Undo(Exception):
        pass

    def submit_then_fail():
        with pytest.raises(Undo), transaction.atomic():
            submit_all(plan, period, people["sam"])
            raise Undo

    assert sent(submit_then_fail) == {}


def test_inactive_users_and_those_without_the_permission_are_not_sent_it(quarter, people, sent):
    plan, period, updates = quarter
    people["abe"].is_active = False
    people["abe"].save()
    submit_one(updates[0], people["sue"])
    people["sue"].groups.clear()  # left the office since she submitted it
    update = updates[0]
    update.refresh_from_db()
    mail.outbox.clear()
    emails = sent(
        lambda: services.measure_update_return(
            update=update, user=people["amy"], reason="Why.", expected_version=update.version
        )
    )
    assert emails == {}
    emails = sent(lambda: submit_all(plan, period, people["sam"]))
    assert set(emails) == {("amy@example.org",)}


# --- A fixed number of queries, however many updates -------------------------------------------


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_the_emails_cost_the_same_queries_for_one_update_as_for_many(quarter, people):
    plan, period, updates = quarter
    submit_all(plan, period, people["sam"])
    # Approved, so the quarter's email is built in full; submitted_by stays for the returns.
    MeasureUpdate.objects.filter(pk__in=[u.pk for u in updates]).update(status="approved")
    amy = people["amy"]
    for update in updates:
        update.refresh_from_db()
    costs = {
        count: (
            queries(
                lambda n=count: notifications.updates_submitted_notify(
                    plan=plan, period=period, count=n, user=amy
                )
            ),
            queries(
                lambda n=count: notifications.updates_returned_notify(
                    update_ids=[u.pk for u in updates[:n]], user=amy
                )
            ),
            queries(
                lambda n=count: notifications.quarter_approved_notify(
                    plan=plan,
                    period=period,
                    approved_measure_ids=[u.measure_id for u in updates[:n]],
                    user=amy,
                )
            ),
        )
        for count in (1, 6)
    }
    assert costs[1] == costs[6]
    print(f"Queries the emails add (submitted, returned, quarter approved): {costs[6]}")
