"""Importing and exporting records as spreadsheets in the browser, for office staff.

The index lists the kinds of record the user may import (`pcc_portal.transfer`), with their
templates and exports to download, and the upload form. An upload is kept on the server (a
file of a random name in a private folder, named only in the session with its SHA-256), then
previewed; confirming imports it in one transaction, only if it would do exactly what the
preview showed: when other changes came in between, the new preview is shown instead.
"""

import hashlib
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from pcc_portal.mixins import PageMixin
from pcc_portal.transfer import (
    TransferError,
    transfer_export,
    transfer_import,
    transfer_kind,
    transfer_kinds,
    transfer_preview,
    transfer_template,
)
from pcc_portal.transfer_forms import ImportForm

PENDING = "pending_import"  # the session's note of the uploaded file waiting to be confirmed
DONE = "import_done"  # what the last confirmed import did, for its result page
SHOWN = 100  # rows listed in each table of a preview; the rest are counted
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def importable_kinds(user) -> list:
    """The kinds `user` holds every permission to import."""
    return [k for k in transfer_kinds() if all(user.has_perm(p) for p in k.permissions)]


def _kind_for(user, key: str):
    try:
        kind = transfer_kind(key)
    except TransferError:
        raise Http404("There is no such kind of record to import.") from None
    if not all(user.has_perm(p) for p in kind.permissions):
        raise PermissionDenied
    return kind


def _list_url(kind) -> str:
    try:
        return reverse(kind.list_url) if kind.list_url else ""
    except NoReverseMatch:
        return ""


class StaffImportMixin:
    """For those who may import at least one kind: the signed-out sign in, others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.kinds = importable_kinds(request.user)
        if not self.kinds:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- the uploaded file, kept between the preview and the confirmation ------------------------
def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports-pending"


def _store(request, *, kind: str, fmt: str, name: str, data: bytes) -> None:
    _discard(request)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    (folder / token).write_bytes(data)
    request.session[PENDING] = {
        "kind": kind,
        "format": fmt,
        "name": Path(name).name[:200],
        "token": token,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _pending(request):
    """The session's pending upload and its bytes, or (None, None) when there is none or the
    file is gone or not the one uploaded."""
    note = request.session.get(PENDING)
    if not isinstance(note, dict) or not str(note.get("token", "")).isalnum():
        return None, None
    try:
        data = (_folder() / note["token"]).read_bytes()
    except OSError:
        return None, None
    if hashlib.sha256(data).hexdigest() != note.get("sha256"):
        return None, None
    return note, data


def _discard(request) -> None:
    note = request.session.pop(PENDING, None)
    if isinstance(note, dict) and str(note.get("token", "")).isalnum():
        (_folder() / note["token"]).unlink(missing_ok=True)


def fingerprint(preview) -> str:
    """What a preview shows, as a short digest: a confirmation must do the same."""
    shown = {
        "created": [r.row for r in preview.created],  # a new record's name may hold its number
        "changed": [(r.row, r.name, list(r.columns)) for r in preview.changed],
        "unchanged": [(r.row, r.name) for r in preview.unchanged],
        "errors": [str(e) for e in preview.errors],
        "held": preview.held,
    }
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()


# --- pages --------------------------------------------------------------------------------
class ImportIndexView(StaffImportMixin, PageMixin, TemplateView):
    template_name = "pcc_portal/import/index.html"
    page_title = "Import and export records"

    def get_form(self, data=None, files=None):
        return ImportForm(data, files, kinds=self.kinds)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["kinds"] = [(kind, _list_url(kind)) for kind in self.kinds]
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
            upload = form.cleaned_data["file"]
            try:
                data = upload.read()
                transfer_preview(kind, data, fmt, request.user)
            except (TransferError, OSError) as error:
                form.add_error("file", str(error))
            else:
                _store(request, kind=kind, fmt=fmt, name=upload.name, data=data)
                return redirect("import_preview")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportPreviewView(StaffImportMixin, PageMixin, TemplateView):
    """GET: what the upload would do. POST (confirm): the import, if it still does that."""

    template_name = "pcc_portal/import/preview.html"
    page_title = "Check the import"

    def get_breadcrumbs(self):
        return [("Import and export records", reverse("import_index"))]

    def _load(self, request):
        note, data = _pending(request)
        if note is None:
            return None, None
        self.kind = _kind_for(request.user, note["kind"])
        return note, data

    def get(self, request, *args, **kwargs):
        note, data = self._load(request)
        if note is None:
            return self.nothing_pending(request)
        preview = transfer_preview(note["kind"], data, note["format"], request.user)
        return self.render_to_response(self.get_context_data(note=note, preview=preview))

    def post(self, request, *args, **kwargs):
        note, data = self._load(request)
        if note is None:
            return self.nothing_pending(request)
        if request.POST.get("action") == "cancel":
            _discard(request)
            messages.success(request, "The import was cancelled: nothing was imported.")
            return redirect("import_index")
        seen = request.POST.get("preview", "")
        with transaction.atomic():
            result = transfer_import(note["kind"], data, note["format"], request.user)
            same = result.written and fingerprint(result) == seen
            if not same:
                transaction.set_rollback(True)
        if not same:
            preview = transfer_preview(note["kind"], data, note["format"], request.user)
            context = self.get_context_data(note=note, preview=preview, moved=True)
            return self.render_to_response(context, status=409)
        _discard(request)
        request.session[DONE] = {
            "kind": note["kind"],
            "name": note["name"],
            "created": len(result.created),
            "changed": len(result.changed),
            "unchanged": len(result.unchanged),
            "held": result.held,
            "held_in": result.held_in,
        }
        return redirect("import_done")

    def nothing_pending(self, request):
        messages.info(request, "There is no uploaded file waiting to be imported: upload it again.")
        return redirect("import_index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = kwargs.get("preview")
        if preview is not None:
            context.update(
                kind=self.kind,
                fingerprint=fingerprint(preview),
                created=preview.created[:SHOWN],
                changed=preview.changed[:SHOWN],
                unchanged=preview.unchanged[:SHOWN],
                more_created=max(0, len(preview.created) - SHOWN),
                more_changed=max(0, len(preview.changed) - SHOWN),
                more_unchanged=max(0, len(preview.unchanged) - SHOWN),
                errors=preview.errors,
            )
        return context


class ImportDoneView(StaffImportMixin, PageMixin, TemplateView):
    template_name = "pcc_portal/import/done.html"
    page_title = "Import complete"

    def get_breadcrumbs(self):
        return [("Import and export records", reverse("import_index"))]

    def get(self, request, *args, **kwargs):
        done = request.session.get(DONE)
        if not isinstance(done, dict):
            return redirect("import_index")
        try:
            kind = transfer_kind(done["kind"])
        except (TransferError, KeyError):
            return redirect("import_index")
        context = self.get_context_data(done=done, kind=kind, list_url=_list_url(kind))
        return self.render_to_response(context)


def _download(request, key: str, fmt: str, *, template: bool) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    kind = _kind_for(request.user, key)
    if fmt not in CONTENT_TYPES:
        raise Http404("Spreadsheets download as .csv or .xlsx.")
    if template:
        data, name = transfer_template(kind.key, fmt), f"{kind.key}-template.{fmt}"
    else:
        data, name = transfer_export(kind.key, fmt, user=request.user), f"{kind.key}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def import_template(request, kind: str, fmt: str):
    return _download(request, kind, fmt, template=True)


def import_export(request, kind: str, fmt: str):
    return _download(request, kind, fmt, template=False)
