"""Uploads kept between a preview and a confirmation, and imports sent to an approver.

An uploaded spreadsheet is kept in the file storage, in a folder never served
(`imports-pending/`), under a random token, with its SHA-256, until it is imported, cancelled or
sent. Records of a kind marked `public` (pcc_portal.transfer) are public the moment they are
written, so staff who may not confirm them send the file to an approver: an ImportRequest. An
approver sees the file's fresh preview and confirms it (the import is written as the approver,
its history naming who sent it) or declines it with a reason; the sender may withdraw it while
it waits.

`import_uploads_clear()` deletes kept files that nothing waits for: those older than a day not
named by a waiting request, and those of decided requests. It runs after each new upload and
from `manage.py clear_imports` (cron).
"""

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from pcc_portal.models import ImportRequest
from pcc_portal.people import display_name
from pcc_portal.permissions import CONFIRM_IMPORT
from pcc_portal.transfer import IMPORT_REASON, Preview, Result, transfer_import, transfer_kind

KEPT_FOR = datetime.timedelta(hours=24)  # an upload nobody confirmed, cancelled or sent


# --- the kept files --------------------------------------------------------------------------
KEPT_FOLDER = "imports-pending"


def kept_name(token) -> str:
    return f"{KEPT_FOLDER}/{token}"


def upload_keep(data: bytes) -> tuple[str, str]:
    """Keeps an uploaded file; returns its token and SHA-256. Clears old uploads as it goes."""
    token = secrets.token_hex(16)
    default_storage.save(kept_name(token), ContentFile(data))  # 128 random bits: a new name
    import_uploads_clear()
    return token, hashlib.sha256(data).hexdigest()


def upload_read(token, sha256) -> bytes | None:
    """The kept file's bytes, or None when it is gone or not the one kept."""
    if not str(token).isalnum():
        return None
    try:
        with default_storage.open(kept_name(token), "rb") as kept:
            data = kept.read()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def upload_discard(token) -> None:
    if str(token).isalnum():
        default_storage.delete(kept_name(token))


def import_uploads_clear(older_than: datetime.timedelta = KEPT_FOR, now=None) -> int:
    """Deletes kept uploads older than `older_than` that no waiting request names, and the files
    of decided requests whatever their age; returns how many were deleted. One query, one
    listing of the folder and a look at the age of each file nothing waits for."""
    try:
        _, tokens = default_storage.listdir(KEPT_FOLDER)
    except FileNotFoundError:  # nothing was ever kept
        return 0
    cutoff = (now or timezone.now()) - older_than
    requested = dict(ImportRequest.objects.values_list("token", "status"))
    deleted = 0
    for token in tokens:
        status = requested.get(token)
        if status == ImportRequest.Status.SENT:
            continue
        name = kept_name(token)
        if status is None and default_storage.get_modified_time(name) > cutoff:
            continue
        default_storage.delete(name)
        deleted += 1
    return deleted


def fingerprint(preview: Preview) -> str:
    """What a preview shows, as a short digest: a confirmation must do the same."""
    shown = {
        "created": [r.row for r in preview.created],  # a new record's name may hold its number
        "changed": [(r.row, r.name, list(r.columns)) for r in preview.changed],
        "unchanged": [(r.row, r.name) for r in preview.unchanged],
        "errors": [str(e) for e in preview.errors],
        "held": preview.held,
    }
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


def summary_of(result: Preview) -> dict:
    return {
        "created": len(result.created),
        "changed": len(result.changed),
        "unchanged": len(result.unchanged),
        "held": result.held,
        "held_in": result.held_in,
    }


# --- requests ----------------------------------------------------------------------------
def may_decide(user) -> bool:
    return user.has_perm(CONFIRM_IMPORT)


def import_request_send(*, user, kind: str, fmt: str, name: str, token: str, sha256: str,
                        note: str = "") -> ImportRequest:  # fmt: skip
    """Sends a kept upload to an approver: the file stays kept until the request is decided."""
    spec = transfer_kind(kind)
    if not all(user.has_perm(p) for p in spec.permissions):
        raise PermissionDenied(f"You cannot import {spec.label.lower()}.")
    if upload_read(token, sha256) is None:
        raise ValidationError("The uploaded file is no longer kept: upload it again.")
    return ImportRequest.objects.create(
        kind=kind, format=fmt, file_name=Path(name).name[:200], token=token, sha256=sha256,
        note=note.strip(), sent_by=user,
    )  # fmt: skip


def _locked(request: ImportRequest) -> ImportRequest:
    """The request, locked for the decision; refused unless it still waits."""
    locked = ImportRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.waiting:
        raise ValidationError(f"This request is no longer waiting: {locked.get_status_display()}.")
    return locked


@dataclass
class Confirmation:
    result: Result | None  # None when the file is gone
    done: bool  # written, and exactly what the preview showed


def import_request_confirm(*, request: ImportRequest, user, seen: str) -> Confirmation:
    """Imports the request's file as `user` (an approver), in one transaction, if it still does
    what the preview `seen` (its fingerprint) showed; the history names who sent it."""
    if not may_decide(user):
        raise PermissionDenied("Only an approver confirms an import.")
    with transaction.atomic():
        locked = _locked(request)
        data = upload_read(locked.token, locked.sha256)
        if data is None:
            return Confirmation(None, False)
        sender = display_name(locked.sent_by) if locked.sent_by else "someone no longer here"
        reason = f"{IMPORT_REASON}, sent by {sender}, confirmed by {display_name(user)}"
        result = transfer_import(locked.kind, data, locked.format, user, reason=reason)
        if not (result.written and fingerprint(result) == seen):
            transaction.set_rollback(True)
            return Confirmation(result, False)
        locked.status = ImportRequest.Status.IMPORTED
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.summary = result.summary()
        locked.save()
    upload_discard(locked.token)  # decided: the file is not needed again
    request.refresh_from_db()
    return Confirmation(result, True)


def import_request_decline(*, request: ImportRequest, user, reason: str) -> ImportRequest:
    if not may_decide(user):
        raise PermissionDenied("Only an approver declines an import.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the import is declined"})
    return _decide(request, user, ImportRequest.Status.DECLINED, decline_reason=reason.strip())


def import_request_withdraw(*, request: ImportRequest, user) -> ImportRequest:
    if request.sent_by_id != user.pk:
        raise PermissionDenied("Only the person who sent it withdraws a request.")
    return _decide(request, user, ImportRequest.Status.WITHDRAWN)


def _decide(request, user, status, **fields) -> ImportRequest:
    with transaction.atomic():
        locked = _locked(request)
        locked.status = status
        locked.decided_by, locked.decided_at = user, timezone.now()
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
    upload_discard(locked.token)
    request.refresh_from_db()
    return request


def home_import_tasks(*, user):
    """For approvers, the imports waiting for their confirmation (one query); else nothing."""
    from django.urls import reverse

    from pcc_portal.slots import Task, tasks_part

    if not user.is_authenticated or not may_decide(user):
        return None
    waiting = ImportRequest.objects.waiting().count()
    if not waiting:
        return None
    text = f"{waiting} import{'s wait' if waiting != 1 else ' waits'} for your confirmation"
    return tasks_part([Task(text, reverse("import_requests") + "?status=sent")])
