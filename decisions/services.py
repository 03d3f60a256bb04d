"""Writes to decisions and the forward plan: saving, the workflow (submit, return, sign,
publish), the reference a signed decision gets, and recording a planned decision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from decisions.models import Decision, ForwardPlanEntry, ReferenceCounter
from decisions.notices import revision_make
from decisions.permissions import ADD_DECISION, CHANGE_DECISION, DELETE_DECISION, PUBLISH_DECISION
from pcc_portal.publication import pending_publish
from pcc_portal.searchable import search_changed
from pcc_portal.services import record_delete, record_save, version_claim
from plan.periods import financial_year_of

Status = Decision.Status
EDITABLE_BY_STAFF = (Status.DRAFT, Status.RETURNED)


def decision_edit_refusal(*, decision: Decision, user) -> str | None:
    """Why `user` may not change this decision now; None if they may. Staff change drafts and
    decisions returned to them; once submitted or signed, only an approver (the decision maker)
    may; a published decision's changes wait for an approver to publish them."""
    if not user.has_perm(CHANGE_DECISION):
        return "Only office staff can change decisions."
    if decision.status in (Status.SUBMITTED, Status.SIGNED) and not user.has_perm(PUBLISH_DECISION):
        return (
            "This decision has been submitted to the decision maker, so only an approver can "
            "change it until it is published or returned."
        )
    return None


def _check_editable(decision: Decision, user) -> None:
    if decision.pk is None:
        if not user.has_perm(ADD_DECISION):
            raise PermissionDenied("Only office staff can record decisions.")
        return
    saved = Decision.objects.only("status").get(pk=decision.pk)
    if refusal := decision_edit_refusal(decision=saved, user=user):
        raise PermissionDenied(refusal)


@transaction.atomic
def decision_save(*, decision: Decision, user, **options) -> Decision:
    """Saves a decision (and its many-to-many `m2m`); `options` are `record_save`'s. While it is
    published, the change waits for an approver."""
    _check_editable(decision, user)
    return record_save(instance=decision, user=user, **options)


def allowed_actions(*, decision: Decision, user) -> dict[str, bool]:
    approver = user.has_perm(PUBLISH_DECISION)
    return {
        "edit": decision_edit_refusal(decision=decision, user=user) is None,
        "submit": user.has_perm(CHANGE_DECISION) and decision.status in EDITABLE_BY_STAFF,
        "return": approver and decision.status in (Status.SUBMITTED, Status.SIGNED),
        "sign": approver and decision.status == Status.SUBMITTED,
        "publish": approver and decision.status in (Status.SIGNED, Status.PUBLISHED),
        "delete": user.has_perm(DELETE_DECISION) and decision.status in EDITABLE_BY_STAFF,
    }


def _locked(decision: Decision, expected_version: int | None) -> Decision:
    """The decision as saved now, locked; its version moves on (StaleRecord if it moved)."""
    fresh = Decision.objects.select_for_update().get(pk=decision.pk)
    version_claim(fresh, expected_version)
    return fresh


@transaction.atomic
def decision_submit(*, decision: Decision, user, expected_version: int | None = None) -> Decision:
    """Staff send a draft (or a returned decision) to the decision maker to sign."""
    if not user.has_perm(CHANGE_DECISION):
        raise PermissionDenied("Only office staff can submit decisions.")
    decision = _locked(decision, expected_version)
    if decision.status not in EDITABLE_BY_STAFF:
        raise PermissionDenied("Only a draft or returned decision can be submitted.")
    decision.status = Status.SUBMITTED
    decision.submitted_by, decision.submitted_at = user, timezone.now()
    return record_save(instance=decision, user=user, reason="Submitted to be signed", gate=False)


@transaction.atomic
def decision_return(
    *, decision: Decision, user, reason: str, expected_version: int | None = None
) -> Decision:
    """An approver returns a submitted (or signed, not yet published) decision to staff, with
    a reason. A signed decision keeps its reference: a number once given is never reused."""
    if not user.has_perm(PUBLISH_DECISION):
        raise PermissionDenied("Only an approver can return a decision.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the decision is returned"})
    decision = _locked(decision, expected_version)
    if decision.status not in (Status.SUBMITTED, Status.SIGNED):
        raise PermissionDenied("Only a decision waiting to be signed or published can be returned.")
    decision.status = Status.RETURNED
    decision.returned_by, decision.returned_at = user, timezone.now()
    decision.return_reason = reason.strip()
    return record_save(instance=decision, user=user, reason="Returned", gate=False)


def sign_problems(decision: Decision) -> list[str]:
    """Why the decision cannot be signed as it stands (empty when it can)."""
    problems = []
    if decision.decision_date is None:
        problems.append("Enter the date of the decision before it is signed.")
    if not decision.decision_text.strip():
        problems.append("Enter the decision before it is signed.")
    if decision.significant_public_interest is None:
        problems.append("Say whether it is a decision of significant public interest.")
    return problems


def reference_next(financial_year: int) -> tuple[int, str]:
    """The next number of the financial year and its reference ("2021/014"), taken: the year's
    counter row is locked (select_for_update) until the transaction ends, so concurrent
    signings wait for each other; the number is never given again."""
    ReferenceCounter.objects.get_or_create(financial_year=financial_year)
    counter = ReferenceCounter.objects.select_for_update().get(financial_year=financial_year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, f"{financial_year}/{counter.last_number:03d}"


@transaction.atomic
def decision_sign(*, decision: Decision, user, expected_version: int | None = None) -> Decision:
    """The decision maker (an approver) signs a submitted decision; it gets its reference,
    numbered in the financial year of its date, unless it had one already (signed, returned
    and signed again)."""
    if not user.has_perm(PUBLISH_DECISION):
        raise PermissionDenied("Only an approver can sign a decision.")
    decision = _locked(decision, expected_version)
    if decision.status != Status.SUBMITTED:
        raise PermissionDenied("Only a decision submitted to be signed can be signed.")
    if problems := sign_problems(decision):
        raise ValidationError(problems)
    if decision.reference is None:
        year = financial_year_of(decision.decision_date)
        decision.number, decision.reference = reference_next(year)
        decision.financial_year = year
    decision.status = Status.SIGNED
    decision.signed_by, decision.signed_at = user, timezone.now()
    return record_save(
        instance=decision, user=user, reason=f"Signed as {decision.reference}", gate=False
    )


@transaction.atomic
def decision_publish(*, decision: Decision, user, reviewed: int | None = None) -> Decision:
    """Publishes a signed decision, or a published one's changes waiting for approval; either
    makes the notice's next revision (decisions.notices)."""
    if not user.has_perm(PUBLISH_DECISION):
        raise PermissionDenied("Only an approver can publish a decision.")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status not in (Status.SIGNED, Status.PUBLISHED):
        raise ValidationError("Only a signed decision can be published.")
    first = decision.status == Status.SIGNED
    count = pending_publish(root=decision, user=user, reviewed=reviewed)
    if not first and not count:
        raise ValidationError("There are no changes waiting to be published.")
    decision.refresh_from_db()
    decision.status = Status.PUBLISHED
    if first:
        decision.published_by, decision.published_at = user, timezone.now()
    decision = record_save(
        instance=decision,
        user=user,
        reason="Published" if first else "Corrections published",
        gate=False,
    )
    # The notice as published now: a new revision, its PDFs rendered after the commit.
    revision_make(decision=decision, user=user, note="first published" if first else "corrected")
    # Its priorities may have changed with the corrections (no save of the decision says so).
    search_changed.send(sender=Decision, instance=decision)
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, user) -> None:
    """Deletes a draft or returned decision. Its reference, if it had one, is not reused."""
    if not user.has_perm(DELETE_DECISION):
        raise PermissionDenied("Only office staff can delete decisions.")
    if decision.status not in EDITABLE_BY_STAFF:
        raise PermissionDenied("Only a draft or returned decision can be deleted.")
    record_delete(instance=decision, user=user)


@transaction.atomic
def entry_save(*, entry: ForwardPlanEntry, user, **options) -> ForwardPlanEntry:
    """Saves a forward plan entry; while it is published, the change waits for an approver."""
    return record_save(instance=entry, user=user, **options)


@transaction.atomic
def entry_record(*, entry: ForwardPlanEntry, user) -> Decision:
    """ "Record the decision": a draft decision with the entry's title, summary, decision
    maker, public interest and priorities, which the entry then points to. Once only."""
    if not user.has_perm(ADD_DECISION):
        raise PermissionDenied("Only office staff can record decisions.")
    entry = ForwardPlanEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.decision_id is not None:
        raise ValidationError("The decision has been recorded already.")
    decision = Decision(
        title=entry.title,
        summary=entry.summary,
        decision_maker=entry.decision_maker,
        significant_public_interest=entry.significant_public_interest,
    )
    record_save(
        instance=decision,
        user=user,
        reason="Recorded from the forward plan",
        m2m={"priorities": list(entry.priorities.all())},
    )
    ForwardPlanEntry.objects.filter(pk=entry.pk).update(decision=decision)
    return decision
