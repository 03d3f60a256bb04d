"""Writes to the plan: saving quarterly updates, their sign-off, and locking quarters.

Every function checks who may do what, runs in one transaction, records history with the user,
and refuses to overwrite an update that changed since the user opened it.
"""

import dataclasses
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pcc_portal.people import display_name
from pcc_portal.services import StaleRecord, record_save
from pcc_portal.templatetags.portal import long_date
from plan.models import MeasureUpdate, OutcomeMeasure, Plan, ReportingPeriod
from plan.notifications import (
    plan_of,
    quarter_approved_notify,
    updates_returned_notify,
    updates_submitted_notify,
)
from plan.permissions import (
    APPROVE_MEASUREUPDATE,
    CHANGE_MEASUREUPDATE,
    CHANGE_OUTCOMEMEASURE,
    LOCK_REPORTINGPERIOD,
    PUBLISH_PLAN,
)
from plan.selectors import plan_contents

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
    for name, value in data.items():
        setattr(update, name, value)
    update.copied_forward = False  # edited: no longer what was copied from last quarter
    reason = "Saved"
    if submit:
        if update.status not in (Status.DRAFT, Status.RETURNED):
            raise PermissionDenied("This update has already been submitted.")
        update.measure = measure
        if missing := update.rating_explanation_missing():
            raise ValidationError({"rating_explanation": missing})
        update.status = Status.SUBMITTED
        update.submitted_by, update.submitted_at = user, timezone.now()
        reason = "Submitted for approval"
    try:
        with transaction.atomic():
            saved = _save(update, user, reason, expected_version)
    except IntegrityError as exc:  # created at the same moment by someone else
        raise StaleRecord(MeasureUpdate.objects.get(measure=measure, period=period)) from exc
    if submit:
        updates_submitted_notify(plan=plan_of(saved), period=period, count=1, user=user)
    return saved


@transaction.atomic
def _transition(
    *, update: MeasureUpdate, user, to: str, expected_version: int, reason: str, **fields
) -> MeasureUpdate:
    update = MeasureUpdate.objects.select_related("period__locked_by", "measure").get(pk=update.pk)
    if refusal := _transition_refusal(update, user, to=to):
        raise PermissionDenied(refusal)
    if to == Status.SUBMITTED and (missing := update.rating_explanation_missing()):
        raise ValidationError({"rating_explanation": missing})
    update.status = to
    for field, value in fields.items():
        setattr(update, field, value)
    return _save(update, user, reason, expected_version)


@transaction.atomic
def measure_update_submit(*, update: MeasureUpdate, user, expected_version: int) -> MeasureUpdate:
    """Draft or returned -> submitted, by staff; the approvers are emailed. A rating that differs
    from the one the measure's target suggests needs a sentence saying why (ValidationError
    without one). A returned update is submitted even if nobody changed it since its return:
    the person chose this one update (perhaps having answered the reason elsewhere), unlike
    "Submit all for approval", which leaves such updates out (`quarter_updates_submit`)."""
    submitted = _submit(update, user, expected_version)
    updates_submitted_notify(plan=plan_of(submitted), period=submitted.period, count=1, user=user)
    return submitted


def _submit(update: MeasureUpdate, user, expected_version: int) -> MeasureUpdate:
    return _transition(
        update=update,
        user=user,
        to=Status.SUBMITTED,
        expected_version=expected_version,
        reason="Submitted for approval",
        submitted_by=user,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def measure_update_approve(*, update: MeasureUpdate, user, expected_version: int) -> MeasureUpdate:
    """Submitted -> approved, by an approver. Approved updates are what everyone sees. If that
    was the quarter's last, everyone who worked on it is emailed."""
    approved = _approve(update, user, expected_version)
    quarter_approved_notify(
        plan=plan_of(approved), period=approved.period,
        approved_measure_ids=[approved.measure_id], user=user,
    )  # fmt: skip
    return approved


def _approve(update: MeasureUpdate, user, expected_version: int) -> MeasureUpdate:
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


@transaction.atomic
def measure_update_return(
    *, update: MeasureUpdate, user, reason: str, expected_version: int
) -> MeasureUpdate:
    """Submitted -> returned to staff with a reason, by an approver; whoever submitted it is
    emailed the reason."""
    returned = _return(update, user, reason, expected_version)
    updates_returned_notify(update_ids=[returned.pk], user=user)
    return returned


def _return(update: MeasureUpdate, user, reason: str, expected_version: int) -> MeasureUpdate:
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


SIGN_OFF_DECISIONS = ("approve", "return")


@transaction.atomic
def measure_update_sign_off(
    *,
    update: MeasureUpdate,
    user,
    decision: str,
    data: dict[str, Any],
    expected_version: int | None,
    reason: str = "",
) -> MeasureUpdate:
    """An approver's decision on a submitted update ("approve", or "return" with a reason)
    taken with the changes they made on its page: the changes are saved first (only if there
    are any), then the decision, in one transaction, so a refused decision saves nothing.

    Raises what `measure_update_save` and the decision raise: PermissionDenied, StaleRecord,
    ValidationError (a return without a reason).
    """
    if decision not in SIGN_OFF_DECISIONS:
        raise ValueError(f"Unknown decision {decision!r}")
    if decision == "return" and not reason.strip():
        raise ValidationError({"reason": "Enter why the update is being returned"})
    current = MeasureUpdate.objects.select_related("measure", "period").get(pk=update.pk)
    version = -1 if expected_version is None else expected_version
    if not _same_values(current, data):
        current = measure_update_save(
            measure=current.measure, period=current.period, user=user, data=data,
            update=current, expected_version=version,
        )  # fmt: skip
        version = current.version
    if decision == "approve":
        return measure_update_approve(update=current, user=user, expected_version=version)
    return measure_update_return(update=current, user=user, reason=reason, expected_version=version)


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
                outcome.approved.append(_approve(update, user, version))
            else:
                outcome.returned.append(_return(update, user, reason, version))
        except StaleRecord as stale:  # changed between reading it above and saving it
            outcome.stale.append(stale.current)
    updates_returned_notify(update_ids=[u.pk for u in outcome.returned], user=user)
    if outcome.approved:
        quarter_approved_notify(
            plan=plan, period=period,
            approved_measure_ids=[u.measure_id for u in outcome.approved], user=user,
        )  # fmt: skip
    return outcome


# --- The quarter in one screen: every measure's update saved, copied forward or submitted at once.

GRID_FIELDS = (
    "rag",
    "direction",
    "value",
    "comparator_value",
    "comparator_label",
    "commentary",
    "rating_explanation",
)
# Only rows of measures with a target have an explanation: a row without it keeps the saved one.
OPTIONAL_GRID_FIELDS = ("rating_explanation",)


def _row_fields(data: dict[str, Any]) -> tuple[str, ...]:
    return tuple(n for n in GRID_FIELDS if n not in OPTIONAL_GRID_FIELDS or n in data)


@dataclass
class GridRow:
    """One row the user changed in the quarter's grid: the measure, what they typed, and the
    version of its update they opened (None: it had no update then)."""

    measure: OutcomeMeasure
    data: dict[str, Any]
    expected_version: int | None = None


@dataclass
class GridSaved:
    saved: list[MeasureUpdate] = dataclasses.field(default_factory=list)
    # Rows someone else changed since the page was opened: (the row, the update as saved now).
    stale: list[tuple[GridRow, MeasureUpdate]] = dataclasses.field(default_factory=list)


@dataclass
class GridSubmitted:
    submitted: list[MeasureUpdate] = dataclasses.field(default_factory=list)
    # Measures whose update was not submitted, each with why: (measure, reason).
    not_submitted: list[tuple[OutcomeMeasure, str]] = dataclasses.field(default_factory=list)


def _grid_period(period: ReportingPeriod, user) -> ReportingPeriod:
    """The quarter's saved row, after checking the user may enter updates in it at all."""
    period = ReportingPeriod.objects.select_related("locked_by").get(pk=_saved(period).pk)
    if refusal := edit_refusal(update=None, period=period, user=user):
        raise PermissionDenied(refusal)
    return period


def _plan_measures(plan) -> list[OutcomeMeasure]:
    return list(
        OutcomeMeasure.objects.active()
        .filter(priority__plan=plan)
        .select_related("priority")
        .order_by("priority__kind", "priority__order", "order")
    )


def _same_values(update: MeasureUpdate, data: dict[str, Any]) -> bool:
    def plain(value):  # browsers send a textarea's line breaks as \r\n
        return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value

    return all(plain(getattr(update, name)) == plain(data.get(name)) for name in _row_fields(data))


def update_incomplete_reason(update: MeasureUpdate) -> str | None:
    """Why a draft cannot be submitted yet, or None when it is complete.

    Complete means a RAG rating (Red, Amber or Green, not "Not rated") and a direction of
    travel chosen ("Not known" counts: it is a statement about the quarter). Value, comparator
    and commentary stay optional, as on the single update's form. A rating that differs from
    the one the measure's target suggests needs a sentence saying why.
    """
    missing = []
    if update.rag in ("", MeasureUpdate.Rag.NOT_RATED):
        missing.append("RAG rating")
    if not update.direction:
        missing.append("direction of travel")
    if missing:
        return f"it has no {' and no '.join(missing)}"
    if unexplained := update.rating_explanation_missing():
        return unexplained[0].lower() + unexplained[1:]
    return None


def returned_unchanged(updates) -> set[int]:
    """The pks of those of `updates` that were returned and that nobody has saved since.

    Read from the history, one query: an update is unchanged since its return when its present
    version is the one the return made (that version is returned, the one before it submitted);
    any save after the return, in the grid or on the update's own form, makes a newer version.
    An update with no history of its present version (loaded as data) is judged by its times:
    unchanged when it was last saved no later than it was returned.
    """
    returned = [u for u in updates if u.status == Status.RETURNED]
    if not returned:
        return set()
    statuses = {
        (pk, version): status
        for pk, version, status in MeasureUpdate.history.filter(
            id__in=[u.pk for u in returned]
        ).values_list("id", "version", "status")
    }
    unchanged = set()
    for update in returned:
        now = statuses.get((update.pk, update.version))
        if now is None:
            same = update.returned_at is not None and update.updated_at <= update.returned_at
        else:
            same = now == Status.RETURNED and (
                statuses.get((update.pk, update.version - 1)) == Status.SUBMITTED
            )
        if same:
            unchanged.add(update.pk)
    return unchanged


def returned_unchanged_reason(update: MeasureUpdate) -> str:
    """Why submitting all left out a returned update nobody changed since."""
    when = f" on {long_date(update.returned_at)}" if update.returned_at else ""
    return f"returned{when} and not changed since: {update.return_reason or 'no reason given'}"


@transaction.atomic
def quarter_updates_save(*, plan, period: ReportingPeriod, user, rows: list[GridRow]) -> GridSaved:
    """Saves the rows the user changed in the quarter's grid as drafts, in one transaction.

    New updates are created as drafts; drafts and returned updates are changed (a returned one
    keeps its status and reason until resubmitted). A row whose values equal the saved ones is
    left alone (no new version, no history). A row someone else changed since the page was
    opened is refused and returned in `stale` while the other rows save. Raises
    PermissionDenied when the user may not enter updates, the quarter is locked, or a row's
    update is submitted or approved; ValidationError (saving nothing) when a row is invalid.
    """
    period = _grid_period(period, user)
    measure_ids = {m.pk for m in _plan_measures(plan)}
    existing = {
        u.measure_id: u
        for u in MeasureUpdate.objects.filter(
            period=period, measure_id__in=[row.measure.pk for row in rows]
        ).select_related("period", "updated_by")
    }
    result = GridSaved()
    for row in rows:
        if row.measure.pk not in measure_ids:
            raise PermissionDenied(f"{row.measure} is not an outcome measure of this plan.")
        update = existing.get(row.measure.pk)
        if update is not None and _same_values(update, row.data):
            continue  # untouched, or changed to what is already saved
        if update is not None and update.version != row.expected_version:
            result.stale.append((row, update))
            continue
        if update is None and row.expected_version is not None:
            # It had an update when the page was opened that is gone now: create it again.
            row.expected_version = None
        if update is not None and (
            refusal := edit_refusal(update=update, period=period, user=user)
        ):
            raise PermissionDenied(f"{row.measure}: {refusal}")
        if update is not None and update.status not in (Status.DRAFT, Status.RETURNED):
            raise PermissionDenied(
                f"{row.measure}: this update is {update.get_status_display().lower()}, "
                "so it cannot be changed here."
            )
        if update is None:
            update = MeasureUpdate(measure=row.measure, period=period, created_by=user)
        for name in _row_fields(row.data):
            setattr(update, name, row.data.get(name))
        update.copied_forward = False
        try:
            with transaction.atomic():
                result.saved.append(_save(update, user, "Saved", row.expected_version))
        except StaleRecord as stale:  # changed between reading it above and saving
            result.stale.append((row, stale.current))
        except IntegrityError:  # created at the same moment by someone else
            result.stale.append(
                (row, MeasureUpdate.objects.get(measure=row.measure, period=period))
            )
        except ValidationError as error:
            raise ValidationError({row.measure.pk: error.messages}) from error
    return result


@transaction.atomic
def quarter_updates_copy_forward(*, plan, period: ReportingPeriod, user) -> list[MeasureUpdate]:
    """Fills each measure of the plan with no update this quarter from the previous quarter's
    approved update (rating, direction, value, comparator and commentary), as a draft marked
    as copied until someone edits it. Returns the drafts made."""
    period = _grid_period(period, user)
    year, quarter = period.previous()
    measures = {m.pk: m for m in _plan_measures(plan)}
    taken = set(
        MeasureUpdate.objects.filter(period=period, measure_id__in=measures).values_list(
            "measure_id", flat=True
        )
    )
    previous = (
        MeasureUpdate.objects.approved()
        .filter(period__financial_year=year, period__quarter=quarter, measure_id__in=measures)
        .exclude(measure_id__in=taken)
    )
    copied = []
    for old in previous:
        update = MeasureUpdate(
            measure=measures[old.measure_id],
            period=period,
            created_by=user,
            copied_forward=True,
            **{name: getattr(old, name) for name in GRID_FIELDS},
        )
        try:
            with transaction.atomic():
                copied.append(_save(update, user, "Copied from last quarter", None))
        except IntegrityError:  # someone entered this measure at the same moment: keep theirs
            continue
    return copied


@transaction.atomic
def quarter_updates_submit(*, plan, period: ReportingPeriod, user) -> GridSubmitted:
    """Submits for approval every complete draft or returned update of the plan's measures
    this quarter, in one transaction, and says of every other measure not yet submitted or
    approved why it was not submitted (not started, or what it lacks).

    A returned update that nobody changed since it was returned (`returned_unchanged`) is not
    resubmitted: sending it back as it was would ignore the approver's reason, so it is listed
    with the date and reason of its return. Its own page's "Submit" still submits it, because
    there the person chose that one update (`measure_update_submit`)."""
    period = _grid_period(period, user)
    measures = _plan_measures(plan)
    updates = {
        u.measure_id: u
        for u in MeasureUpdate.objects.filter(period=period, measure__in=measures).select_related(
            "period__locked_by"
        )
    }
    unchanged = returned_unchanged(updates.values())
    result = GridSubmitted()
    for measure in measures:
        update = updates.get(measure.pk)
        if update is None:
            result.not_submitted.append((measure, "it has not been started"))
            continue
        update.measure = measure  # for its target, without another query
        if update.status not in (Status.DRAFT, Status.RETURNED):
            continue  # already submitted or approved
        if update.pk in unchanged:
            result.not_submitted.append((measure, returned_unchanged_reason(update)))
            continue
        if reason := update_incomplete_reason(update):
            result.not_submitted.append((measure, reason))
            continue
        try:
            result.submitted.append(_submit(update, user, update.version))
        except StaleRecord:  # saved by someone else between reading and submitting
            result.not_submitted.append((measure, "it was changed by someone else just now"))
    # One email for the whole quarter, not one for each update.
    updates_submitted_notify(plan=plan, period=period, count=len(result.submitted), user=user)
    return result


@transaction.atomic
def quarter_deadline_set(
    *, period: ReportingPeriod, user, updates_due, expected_version: int | None
) -> ReportingPeriod:
    """Sets the day the quarter's updates are due (or clears it with None), saving the quarter
    first if it is new. Quarters are the approvers' to govern, as locking them is.

    Raises PermissionDenied unless the user may lock quarters, and StaleRecord when the
    quarter changed since `expected_version` was read (a form that sent none matches none).
    """
    if not user.has_perm(LOCK_REPORTINGPERIOD):
        raise PermissionDenied("Only an approver can set or clear a quarter's deadline.")
    period = ReportingPeriod.objects.get(pk=_saved(period).pk)
    period.updates_due = updates_due
    return record_save(
        instance=period,
        user=user,
        reason="Deadline set" if updates_due else "Deadline cleared",
        expected_version=-1 if expected_version is None else expected_version,
        gate=False,
    )


@transaction.atomic
def outcome_measure_save(
    *,
    measure: OutcomeMeasure,
    user,
    lead,
    target_value,
    amber_tolerance,
    expected_version: int | None,
) -> OutcomeMeasure:
    """Sets a measure's lead (the member of staff who enters its updates, or None), its target
    and its Amber tolerance. The target is shown to the public, so only approvers set it.

    Raises PermissionDenied unless the user may; ValidationError (nothing saved) when the
    measure's rules are broken (a target needs a direction, a tolerance needs a target, the
    lead must be active office staff); StaleRecord when the measure changed since
    `expected_version` was read (a form that sent none matches none).
    """
    if not user.has_perm(CHANGE_OUTCOMEMEASURE):
        raise PermissionDenied("Only an approver can change a measure's target and lead.")
    measure = OutcomeMeasure.objects.get(pk=measure.pk)
    measure.lead, measure.target_value, measure.amber_tolerance = (
        lead,
        target_value,
        amber_tolerance,
    )
    return record_save(
        instance=measure,
        user=user,
        reason="Target and lead changed",
        expected_version=-1 if expected_version is None else expected_version,
        gate=False,  # the approver's own change: nobody else to approve it
    )


IMPORT_REASON = "Imported from a spreadsheet"


def measure_update_import_refusal(*, update: MeasureUpdate, user) -> str | None:
    """Why a spreadsheet row may not create or change `update` (None if it may): only drafts
    and returned updates in an unlocked quarter are written, as in the quarter's grid; an
    update submitted or approved is the approvers' to reopen first. `user` is None for the
    management commands, which the server's operator runs."""
    period = ReportingPeriod.objects.select_related("locked_by").get(pk=update.period_id)
    if refusal := locked_refusal(period):
        return refusal
    if user is not None and not user.has_perm(CHANGE_MEASUREUPDATE):
        return "Only office staff can enter or change quarterly updates."
    if update.pk is None:
        return None
    status = MeasureUpdate.objects.filter(pk=update.pk).values_list("status", flat=True).first()
    if status in (Status.DRAFT, Status.RETURNED, None):
        return None
    label = Status(status).label.lower()
    return (
        f"{update.measure} for {period.short_label} is {label}, so the import leaves it as "
        "it is: an approver can reopen it, or leave this row as the export wrote it"
    )


def measure_update_import_save(*, update: MeasureUpdate, user) -> MeasureUpdate:
    """Saves a quarterly figure read from a spreadsheet as a draft (a returned update keeps
    its status), after the same checks as `measure_update_import_refusal`: raises
    PermissionDenied with the reason otherwise."""
    if refusal := measure_update_import_refusal(update=update, user=user):
        raise PermissionDenied(refusal)
    if update.pk is None:
        update.created_by = user
        update.status = Status.DRAFT
    update.updated_by = user
    update.copied_forward = False
    return record_save(instance=update, user=user, reason=IMPORT_REASON, gate=False)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def plan_publish_refusal(plan: Plan, contents=None) -> str | None:
    """Why the plan cannot be published now, in words, or None."""
    if plan.is_published:
        return f"The {plan.period_label} plan is already published."
    contents = contents or plan_contents(plan)
    if not contents.priorities:
        return (
            f"The {plan.period_label} plan has no priorities yet: import its priorities, "
            "commitments and measures before publishing it."
        )
    return None


def plan_unpublish_refusal(plan: Plan, contents=None) -> str | None:
    """Why the plan cannot go back to draft, in words, or None. Once the public has been shown
    a plan's approved figures, or papers reporting on it, withdrawing it would take them back
    (its quarters and priorities would vanish from under the papers): only a plan nothing
    public rests on yet (one published by mistake) can be withdrawn."""
    if not plan.is_published:
        return f"The {plan.period_label} plan is a draft already."
    contents = contents or plan_contents(plan)
    reasons = []
    if contents.approved_updates:
        reasons.append(
            _plural(contents.approved_updates, "approved quarterly update of its measures is",
                    "approved quarterly updates of its measures are") + " public"
        )  # fmt: skip
    if contents.published_papers:
        reasons.append(
            _plural(contents.published_papers, "published paper reports", "published papers report")
            + " on its quarters"
        )
    if reasons:
        return (
            f"The {plan.period_label} plan cannot be withdrawn: {' and '.join(reasons)}. "
            "Withdrawing it would hide from the public what it has already been shown."
        )
    return None


@transaction.atomic
def plan_publish(*, plan: Plan, user) -> Plan:
    """Publishes a draft plan (an imported plan arrives as one): the public sees its
    priorities, measures and approved updates. Records who published it, and when."""
    if not user.has_perm(PUBLISH_PLAN):
        raise PermissionDenied("Only an approver can publish a plan.")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if refusal := plan_publish_refusal(plan):
        raise ValidationError(refusal)
    plan.status = Plan.Status.PUBLISHED
    plan.published_by = user
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    return plan


@transaction.atomic
def plan_unpublish(*, plan: Plan, user) -> Plan:
    """Withdraws a published plan to draft, where nothing public rests on it yet
    (plan_unpublish_refusal): only office staff see it again."""
    if not user.has_perm(PUBLISH_PLAN):
        raise PermissionDenied("Only an approver can withdraw a plan.")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if refusal := plan_unpublish_refusal(plan):
        raise ValidationError(refusal)
    plan.status = Plan.Status.DRAFT
    plan.published_by = None
    plan.published_at = None
    plan.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    return plan
