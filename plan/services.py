"""Writes to the plan: saving quarterly updates, their sign-off, and locking quarters.

Every function checks who may do what, runs in one transaction, records history with the user,
and refuses to overwrite an update that changed since the user opened it.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pcc_portal.people import display_name
from pcc_portal.services import StaleRecord, record_save
from plan.models import MeasureUpdate, OutcomeMeasure, Plan, ReportingPeriod
from plan.permissions import APPROVE_MEASUREUPDATE, CHANGE_MEASUREUPDATE, LOCK_REPORTINGPERIOD

Status = MeasureUpdate.Status


def locked_refusal(period: ReportingPeriod) -> str | None:
    if not period.locked:
        return None
    by = f" by {display_name(period.locked_by)}" if period.locked_by_id else ""
    return (
        f"{period.label} is locked{by}, so its updates cannot be changed. "
        "An approver can unlock the quarter if a change is needed."
    )


def edit_refusal(*, update: MeasureUpdate | None, period: ReportingPeriod, user) -> str | None:
    """Why `user` may not edit this update (or create one for this quarter); None if they may."""
    if refusal := locked_refusal(period):
        return refusal
    if not user.has_perm(CHANGE_MEASUREUPDATE):
        return "Only office staff can enter or change quarterly updates."
    if update is None or update.status in (Status.DRAFT, Status.RETURNED):
        return None
    if update.status == Status.SUBMITTED:
        if user.has_perm(APPROVE_MEASUREUPDATE):
            return None
        return "This update has been submitted for approval, so only an approver can change it."
    return "This update is approved, so it cannot be changed unless an approver reopens it."


def _transition_refusal(update: MeasureUpdate, user, *, to: str) -> str | None:
    if refusal := locked_refusal(update.period):
        return refusal
    allowed_from = {
        Status.SUBMITTED: (Status.DRAFT, Status.RETURNED),
        Status.APPROVED: (Status.SUBMITTED,),
        Status.RETURNED: (Status.SUBMITTED,),
        Status.DRAFT: (Status.APPROVED,),  # reopening
    }[to]
    needs = CHANGE_MEASUREUPDATE if to == Status.SUBMITTED else APPROVE_MEASUREUPDATE
    if not user.has_perm(needs):
        return (
            "Only office staff can submit updates."
            if to == Status.SUBMITTED
            else "Only an approver can approve, return or reopen an update."
        )
    if update.status not in allowed_from:
        return f"This update is {update.get_status_display().lower()}, so that cannot be done now."
    return None


def allowed_actions(*, update: MeasureUpdate, user) -> dict[str, bool]:
    """What the user may do with this update now, for the page to offer."""
    return {
        "edit": edit_refusal(update=update, period=update.period, user=user) is None,
        "submit": _transition_refusal(update, user, to=Status.SUBMITTED) is None,
        "approve": _transition_refusal(update, user, to=Status.APPROVED) is None,
        "return": _transition_refusal(update, user, to=Status.RETURNED) is None,
        "reopen": _transition_refusal(update, user, to=Status.DRAFT) is None,
    }


def _saved(period: ReportingPeriod) -> ReportingPeriod:
    """The quarter's saved row: a page may offer a quarter nobody has written to yet."""
    if period.pk:
        return period
    return ReportingPeriod.get_or_create_for(period.financial_year, period.quarter)


def _save(update: MeasureUpdate, user, reason: str, expected_version: int | None) -> MeasureUpdate:
    """Saves through the shared writer, which refuses a stale version (StaleRecord). A form
    that sent no version matches none: the save is refused, never made unchecked. An update's
    own sign-off is its approval, so it is never held as a pending change."""
    update.updated_by = user
    return record_save(
        instance=update, user=user, reason=reason, gate=False,
        expected_version=-1 if expected_version is None else expected_version,
    )  # fmt: skip


@transaction.atomic
def measure_update_save(
    *,
    measure: OutcomeMeasure,
    period: ReportingPeriod,
    user,
    data: dict[str, Any],
    update: MeasureUpdate | None = None,
    expected_version: int | None = None,
    submit: bool = False,
) -> MeasureUpdate:
    """Creates or edits the update of `measure` for `period` (saving the quarter first if it
    is new), optionally submitting it.

    Raises PermissionDenied (with the reason) when the user may not, and StaleRecord when the
    update changed since `expected_version` was read.
    """
    period = ReportingPeriod.objects.select_related("locked_by").get(pk=_saved(period).pk)
    if update is not None:
        update = MeasureUpdate.objects.select_related("period").get(pk=update.pk)
    if refusal := edit_refusal(update=update, period=period, user=user):
        raise PermissionDenied(refusal)
    if update is None:
        existing = MeasureUpdate.objects.filter(measure=measure, period=period).first()
        if existing is not None:  # someone created it since this user opened the page
            raise StaleRecord(existing)
        update = MeasureUpdate(measure=measure, period=period, created_by=user)
    for field, value in data.items():
        setattr(update, field, value)
    reason = "Saved"
    if submit:
        if update.status not in (Status.DRAFT, Status.RETURNED):
            raise PermissionDenied("This update has already been submitted.")
        update.status = Status.SUBMITTED
        update.submitted_by, update.submitted_at = user, timezone.now()
        reason = "Submitted for approval"
    try:
        with transaction.atomic():
            return _save(update, user, reason, expected_version)
    except IntegrityError as exc:  # created at the same moment by someone else
        raise StaleRecord(MeasureUpdate.objects.get(measure=measure, period=period)) from exc


@transaction.atomic
def _transition(
    *, update: MeasureUpdate, user, to: str, expected_version: int, reason: str, **fields
) -> MeasureUpdate:
    update = MeasureUpdate.objects.select_related("period__locked_by").get(pk=update.pk)
    if refusal := _transition_refusal(update, user, to=to):
        raise PermissionDenied(refusal)
    update.status = to
    for field, value in fields.items():
        setattr(update, field, value)
    return _save(update, user, reason, expected_version)


def measure_update_submit(*, update: MeasureUpdate, user, expected_version: int) -> MeasureUpdate:
    """Draft or returned -> submitted, by staff."""
    return _transition(
        update=update,
        user=user,
        to=Status.SUBMITTED,
        expected_version=expected_version,
        reason="Submitted for approval",
        submitted_by=user,
        submitted_at=timezone.now(),
    )


def measure_update_approve(*, update: MeasureUpdate, user, expected_version: int) -> MeasureUpdate:
    """Submitted -> approved, by an approver. Approved updates are what everyone sees."""
    return _transition(
        update=update,
        user=user,
        to=Status.APPROVED,
        expected_version=expected_version,
        reason="Approved",
        approved_by=user,
        approved_at=timezone.now(),
        return_reason="",
    )


def measure_update_return(
    *, update: MeasureUpdate, user, reason: str, expected_version: int
) -> MeasureUpdate:
    """Submitted -> returned to staff with a reason, by an approver."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the update is being returned"})
    return _transition(
        update=update,
        user=user,
        to=Status.RETURNED,
        expected_version=expected_version,
        reason=f"Returned: {reason.strip()}",
        returned_by=user,
        returned_at=timezone.now(),
        return_reason=reason.strip(),
    )


def measure_update_reopen(*, update: MeasureUpdate, user, expected_version: int) -> MeasureUpdate:
    """Approved -> draft, by an approver, so that staff can correct it. Recorded in history."""
    return _transition(
        update=update,
        user=user,
        to=Status.DRAFT,
        expected_version=expected_version,
        reason="Reopened",
        approved_by=None,
        approved_at=None,
    )


@transaction.atomic
def reporting_period_set_lock(*, period: ReportingPeriod, user, locked: bool) -> ReportingPeriod:
    """Locks (or unlocks) a quarter, saving it first if it is new: while locked, none of its
    updates can change."""
    if not user.has_perm(LOCK_REPORTINGPERIOD):
        raise PermissionDenied("Only an approver can lock or unlock a quarter.")
    period = ReportingPeriod.objects.select_for_update().get(pk=_saved(period).pk)
    period.locked = locked
    period.locked_by = user if locked else None
    period.locked_at = timezone.now() if locked else None
    period.save(update_fields=["locked", "locked_by", "locked_at"])
    return period


@dataclass
class QuarterReview:
    """What one review of a quarter did: the updates approved and returned, and those refused
    because they changed since the approver opened the page (as they are saved now)."""

    approved: list[MeasureUpdate] = dataclass_field(default_factory=list)
    returned: list[MeasureUpdate] = dataclass_field(default_factory=list)
    stale: list[MeasureUpdate] = dataclass_field(default_factory=list)


APPROVE, RETURN = "approve", "return"


@transaction.atomic
def quarter_updates_review(
    *,
    plan: Plan,
    period: ReportingPeriod,
    user,
    decisions: dict[int, tuple[str, str, int]],
) -> QuarterReview:
    """Approves or returns many of a quarter's submitted updates at once.

    `decisions` maps an update's pk to ("approve" | "return", reason, the version the approver
    opened). A row that changed since that version is refused (in `stale`) while the others are
    done. Returning needs a reason: if any row still to be done lacks one, ValidationError
    (keyed `reason_<pk>`) and nothing at all is done. Each row goes through the same rules as
    approving or returning one update (`measure_update_approve`, `measure_update_return`).
    """
    if not user.has_perm(APPROVE_MEASUREUPDATE):
        raise PermissionDenied("Only an approver can approve or return updates.")
    if refusal := locked_refusal(period):
        raise PermissionDenied(refusal)
    unknown = {action for action, _, _ in decisions.values()} - {APPROVE, RETURN}
    if unknown:
        raise ValidationError(f"Choose approve or return, not {', '.join(sorted(unknown))}.")
    updates = {
        u.pk: u
        for u in MeasureUpdate.objects.filter(
            pk__in=decisions, period__pk=period.pk, measure__priority__plan=plan
        ).select_related("measure", "updated_by")
    }
    if missing := set(decisions) - set(updates):
        raise ValidationError(
            f"{len(missing)} of the updates chosen are not in {period.short_label} of this plan."
        )
    outcome = QuarterReview()
    current = {}
    for pk, (action, reason, version) in decisions.items():
        if updates[pk].version != version:
            outcome.stale.append(updates[pk])
        else:
            current[pk] = (action, reason.strip(), version)
    blank = {
        f"reason_{pk}": f"Enter why {updates[pk].measure.short_label} is being returned"
        for pk, (action, reason, _) in current.items()
        if action == RETURN and not reason
    }
    if blank:
        raise ValidationError(blank)
    for pk, (action, reason, version) in current.items():
        update = updates[pk]
        try:
            if action == APPROVE:
                outcome.approved.append(
                    measure_update_approve(update=update, user=user, expected_version=version)
                )
            else:
                outcome.returned.append(
                    measure_update_return(
                        update=update, user=user, reason=reason, expected_version=version
                    )
                )
        except StaleRecord as stale:  # changed between reading it above and saving it
            outcome.stale.append(stale.current)
    return outcome
