"""Writes to HMICFRS inspections and their recommendations, and raising an action in the
action tracker from a recommendation."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from decisions.inspections import Inspection, InspectionRecommendation
from decisions.permissions import ADD_INSPECTION, CHANGE_INSPECTION, DELETE_INSPECTION
from pcc_portal.models import PendingChange
from pcc_portal.publication import record_delete_now
from pcc_portal.services import record_delete, record_save
from scrutiny.models import Action
from scrutiny.permissions import ADD_ACTION
from scrutiny.services import action_save


@transaction.atomic
def inspection_save(*, inspection: Inspection, user, **options) -> Inspection:
    """Saves an inspection report and its comments; once an approver has published the
    office's part, the change waits for an approver. `options` go on to record_save."""
    needed = CHANGE_INSPECTION if inspection.pk else ADD_INSPECTION
    if not user.has_perm(needed):
        raise PermissionDenied("Only office staff can record inspections.")
    return record_save(instance=inspection, user=user, **options)


@transaction.atomic
def recommendation_save(
    *, recommendation: InspectionRecommendation, user, **options
) -> InspectionRecommendation:
    """Saves a recommendation or area for improvement; while its inspection is published,
    the change waits for an approver."""
    if not user.has_perm(CHANGE_INSPECTION):
        raise PermissionDenied("Only office staff can record recommendations.")
    return record_save(instance=recommendation, user=user, **options)


def recommendation_delete(*, recommendation: InspectionRecommendation, user) -> bool:
    """Deletes a recommendation (True), or holds the deletion for an approver while its
    inspection is published (False)."""
    if not user.has_perm(DELETE_INSPECTION):
        raise PermissionDenied("Only office staff can delete recommendations.")
    return record_delete(instance=recommendation, user=user)


def inspection_deletion_refusal(inspection: Inspection) -> str | None:
    """Why the inspection cannot be deleted, or None. As with decisions, a record the public
    has seen the office's part of is not deleted: unpublish it first."""
    if inspection.published:
        return (
            "The office's responses to this inspection are published: an approver unpublishes "
            "them before it can be deleted."
        )
    return None


@transaction.atomic
def inspection_delete(*, inspection: Inspection, user) -> None:
    """Deletes an unpublished inspection whole, its recommendations and areas for improvement
    with it. Actions raised for them stay in the action tracker, no longer naming them."""
    if not user.has_perm(DELETE_INSPECTION):
        raise PermissionDenied("Only office staff can delete inspections.")
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if refusal := inspection_deletion_refusal(inspection):
        raise PermissionDenied(refusal)
    PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Inspection), object_id=inspection.pk
    ).delete()
    record_delete_now(inspection, user)


@transaction.atomic
def recommendation_action_raise(
    *, recommendation: InspectionRecommendation, action: Action, user
) -> Action:
    """Raises `action` in the action tracker for a recommendation. An action belongs to a
    scrutiny meeting (or a task group): the caller gives the meeting staff chose. The action
    is linked to the recommendation, so each page names the other."""
    if not (user.has_perm(ADD_ACTION) and user.has_perm(CHANGE_INSPECTION)):
        raise PermissionDenied("Only office staff can raise actions.")
    action = action_save(action=action, user=user)
    recommendation.actions.add(action)
    return action
