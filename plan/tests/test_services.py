"""The quarterly update workflow: who may do what, when, and what is recorded."""

import pytest
from django.core.exceptions import PermissionDenied

from pcc_portal.services import StaleRecord
from plan import services
from plan.models import MeasureUpdate
from plan.tests.factories import make_period, make_plan_with_measures, make_update

DATA = {
    "rag": "amber",
    "direction": "stable",
    "value": None,
    "comparator_value": None,
    "comparator_label": "",
    "commentary": "Progress is steady.",
}


@pytest.fixture
def measure(db):
    _, measures = make_plan_with_measures(priorities=1, measures_each=1)
    return measures[0]


@pytest.fixture
def period(db):
    return make_period(2021, 2)


def save(user, measure, period, update=None, submit=False, **data):
    return services.measure_update_save(
        measure=measure,
        period=period,
        user=user,
        data={**DATA, **data},
        update=update,
        expected_version=update.version if update else None,
        submit=submit,
    )


def test_staff_create_a_draft_and_history_records_who(make_user, measure, period):
    staff = make_user("staff")
    update = save(staff, measure, period)
    assert update.status == "draft" and update.version == 1
    assert update.created_by == staff and update.updated_by == staff
    record = update.history.get()
    assert record.history_user == staff and record.history_type == "+"


def test_full_workflow_submit_return_resubmit_approve_records_each_step(make_user, measure, period):
    staff, approver = make_user("staff"), make_user("approver")
    update = save(staff, measure, period, submit=True)
    assert update.status == "submitted" and update.submitted_by == staff
    update = services.measure_update_return(
        update=update, user=approver, reason="Add the figures.", expected_version=update.version
    )
    assert update.status == "returned" and update.return_reason == "Add the figures."
    update = save(staff, measure, period, update=update, value=12)
    assert update.status == "returned"  # a saved draft keeps the reason until resubmitted
    update = services.measure_update_submit(
        update=update, user=staff, expected_version=update.version
    )
    update = services.measure_update_approve(
        update=update, user=approver, expected_version=update.version
    )
    assert update.status == "approved" and update.approved_by == approver
    reasons = [r.history_change_reason for r in update.history.order_by("history_id")]
    assert reasons == [
        "Submitted for approval",
        "Returned: Add the figures.",
        "Saved",
        "Submitted for approval",
        "Approved",
    ]
    users = [r.history_user for r in update.history.order_by("history_id")]
    assert users == [staff, approver, staff, staff, approver]


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_public_and_panel_members_cannot_create_updates(make_user, measure, period, role):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if role == "anonymous" else make_user(role)
    with pytest.raises(PermissionDenied, match="Only office staff"):
        save(user, measure, period)
    assert not MeasureUpdate.objects.exists()


def test_staff_cannot_approve_or_return(make_user, measure, period):
    staff = make_user("staff")
    update = save(staff, measure, period, submit=True)
    with pytest.raises(PermissionDenied, match="Only an approver"):
        services.measure_update_approve(update=update, user=staff, expected_version=update.version)
    with pytest.raises(PermissionDenied, match="Only an approver"):
        services.measure_update_return(
            update=update, user=staff, reason="x", expected_version=update.version
        )
    assert MeasureUpdate.objects.get().status == "submitted"


def test_submitted_update_is_editable_by_approvers_only(make_user, measure, period):
    staff, approver = make_user("staff"), make_user("approver")
    update = save(staff, measure, period, submit=True)
    with pytest.raises(PermissionDenied, match="only an approver can change it"):
        save(staff, measure, period, update=update, commentary="Changed by staff")
    update = save(approver, measure, period, update=update, commentary="Tidied by approver")
    assert update.status == "submitted" and update.commentary == "Tidied by approver"


def test_approved_update_is_read_only_until_an_approver_reopens_it(make_user, measure, period):
    staff, approver = make_user("staff"), make_user("approver")
    update = make_update(measure, period, status="approved")
    for user in (staff, approver):
        with pytest.raises(PermissionDenied, match="approved"):
            save(user, measure, period, update=update)
    with pytest.raises(PermissionDenied):
        services.measure_update_reopen(update=update, user=staff, expected_version=update.version)
    update = services.measure_update_reopen(
        update=update, user=approver, expected_version=update.version
    )
    assert update.status == "draft" and update.approved_by is None
    assert update.history.latest().history_change_reason == "Reopened"
    assert save(staff, measure, period, update=update, commentary="Corrected").status == "draft"


def test_cannot_approve_a_draft_or_submit_twice(make_user, measure, period):
    staff, approver = make_user("staff"), make_user("approver")
    update = save(staff, measure, period)
    with pytest.raises(PermissionDenied, match="draft"):
        services.measure_update_approve(update=update, user=approver, expected_version=1)
    update = services.measure_update_submit(update=update, user=staff, expected_version=1)
    with pytest.raises(PermissionDenied, match="submitted"):
        services.measure_update_submit(update=update, user=staff, expected_version=update.version)


def test_locked_quarter_refuses_every_change_and_says_why(make_user, measure, period):
    staff, approver = make_user("staff", first_name="Sam"), make_user("approver")
    update = save(staff, measure, period, submit=True)
    services.reporting_period_set_lock(period=period, user=approver, locked=True)
    with pytest.raises(PermissionDenied, match="is locked by"):
        save(approver, measure, period, update=update)
    with pytest.raises(PermissionDenied, match="locked"):
        services.measure_update_approve(
            update=update, user=approver, expected_version=update.version
        )
    services.reporting_period_set_lock(period=period, user=approver, locked=False)
    services.measure_update_approve(update=update, user=approver, expected_version=update.version)


def test_only_approvers_lock_quarters(make_user, period):
    with pytest.raises(PermissionDenied):
        services.reporting_period_set_lock(period=period, user=make_user("staff"), locked=True)
    period.refresh_from_db()
    assert not period.locked


def test_stale_save_is_refused_and_changes_nothing(make_user, measure, period):
    first, second = make_user("staff"), make_user("staff")
    opened = save(first, measure, period, commentary="Original")
    # Both open version 1; the first saves, then the second saves from version 1.
    save(first, measure, period, update=opened, commentary="First's change")
    with pytest.raises(StaleRecord) as stale:
        services.measure_update_save(
            measure=measure,
            period=period,
            user=second,
            update=opened,
            expected_version=1,
            data={**DATA, "commentary": "Second's change"},
        )
    assert stale.value.current.commentary == "First's change"
    saved = MeasureUpdate.objects.get()
    assert saved.commentary == "First's change" and saved.version == 2
    assert saved.history.count() == 2


def test_creating_an_update_someone_else_just_created_is_stale(make_user, measure, period):
    save(make_user("staff"), measure, period, commentary="First")
    with pytest.raises(StaleRecord):
        save(make_user("staff"), measure, period, commentary="Second")
    assert MeasureUpdate.objects.get().commentary == "First"


def test_returning_needs_a_reason(make_user, measure, period):
    from django.core.exceptions import ValidationError

    update = save(make_user("staff"), measure, period, submit=True)
    with pytest.raises(ValidationError):
        services.measure_update_return(
            update=update, user=make_user("approver"), reason="  ", expected_version=2
        )
    assert MeasureUpdate.objects.get().status == "submitted"
