"""Importing and exporting records as spreadsheets in the browser, for office staff.

The index lists the kinds of record the user may import (`pcc_portal.transfer`), with their
templates and exports to download, and the upload form. An upload is kept on the server (a
file of a random name in a private folder, named only in the session with its SHA-256), then
previewed; confirming imports it in one transaction, only if it would do exactly what the
preview showed: when other changes came in between, the new preview is shown instead.
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import ListView, TemplateView

from pcc_portal.import_requests import (
    fingerprint,
    import_request_confirm,
    import_request_decline,
    import_request_send,
    import_request_withdraw,
    may_decide,
    summary_of,
    upload_discard,
    upload_keep,
    upload_read,
)
from pcc_portal.mixins import PageMixin
from pcc_portal.models import ImportRequest
from pcc_portal.transfer import (
    TransferError,
    may_confirm,
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
def _store(request, *, kind: str, fmt: str, name: str, data: bytes) -> None:
    _discard(request)
    token, sha256 = upload_keep(data)
    request.session[PENDING] = {
        "kind": kind,
        "format": fmt,
        "name": Path(name).name[:200],
        "token": token,
        "sha256": sha256,
    }


def _pending(request):
    """The session's pending upload and its bytes, or (None, None) when there is none or the
    file is gone or not the one uploaded."""
    note = request.session.get(PENDING)
    if not isinstance(note, dict):
        return None, None
    data = upload_read(note.get("token", ""), note.get("sha256"))
    return (note, data) if data is not None else (None, None)


def _discard(request) -> None:
    note = request.session.pop(PENDING, None)
    if isinstance(note, dict):
        upload_discard(note.get("token", ""))


def preview_context(preview) -> dict:
    """What the preview's template shows of a preview: the first rows of each table."""
    return {
        "fingerprint": fingerprint(preview),
        "created": preview.created[:SHOWN],
        "changed": preview.changed[:SHOWN],
        "unchanged": preview.unchanged[:SHOWN],
        "more_created": max(0, len(preview.created) - SHOWN),
        "more_changed": max(0, len(preview.changed) - SHOWN),
        "more_unchanged": max(0, len(preview.unchanged) - SHOWN),
        "errors": preview.errors,
    }


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
        if request.POST.get("action") == "send":
            return self.send(request, note)
        if not may_confirm(self.kind, request.user):
            raise PermissionDenied
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
        request.session[DONE] = {"kind": note["kind"], "name": note["name"], **summary_of(result)}
        return redirect("import_done")

    def send(self, request, note):
        """Sends the kept file to an approver, for a kind the user may not confirm."""
        if may_confirm(self.kind, request.user):
            raise PermissionDenied  # they import it themselves
        try:
            sent = import_request_send(
                user=request.user, kind=note["kind"], fmt=note["format"], name=note["name"],
                token=note["token"], sha256=note["sha256"],
                note=request.POST.get("note", "")[:2000],
            )  # fmt: skip
        except ValidationError:
            return self.nothing_pending(request)
        request.session.pop(PENDING, None)  # the file stays kept, for the approver
        messages.success(request, "Sent to an approver: nothing is imported until they confirm.")
        return redirect(sent)

    def nothing_pending(self, request):
        messages.info(request, "There is no uploaded file waiting to be imported: upload it again.")
        return redirect("import_index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = kwargs.get("preview")
        if preview is not None:
            context.update(
                preview_context(preview),
                kind=self.kind,
                may_confirm=may_confirm(self.kind, self.request.user),
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


# --- imports sent to an approver -------------------------------------------------------------
class ImportRequestListView(StaffImportMixin, PageMixin, ListView):
    """The requests the user may see: an approver every one, staff their own."""

    template_name = "pcc_portal/import/requests.html"
    context_object_name = "import_requests"
    paginate_by = 25
    page_title = "Imports sent to an approver"

    def get_breadcrumbs(self):
        return [("Import and export records", reverse("import_index"))]

    def get_queryset(self):
        requests = ImportRequest.objects.visible_to(self.request.user).select_related(
            "sent_by", "decided_by"
        )
        self.status = self.request.GET.get("status", "")
        if self.status in ImportRequest.Status.values:
            requests = requests.filter(status=self.status)
        else:
            self.status = ""
        return requests

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = {kind.key: kind.label for kind in transfer_kinds()}
        for item in context["import_requests"]:
            item.kind_label = labels.get(item.kind, item.kind)
        context.update(
            status=self.status,
            status_label=ImportRequest.Status(self.status).label if self.status else "",
            query_string=f"status={self.status}" if self.status else "",
            may_decide=may_decide(self.request.user),
        )
        return context


class ImportRequestView(StaffImportMixin, PageMixin, TemplateView):
    """One request: what it is and its state; while it waits, the kept file's fresh preview,
    which an approver confirms or declines and the sender may withdraw."""

    template_name = "pcc_portal/import/request.html"

    def get_page_title(self):
        return f"Import of {self.object.file_name}"

    def get_breadcrumbs(self):
        return [
            ("Import and export records", reverse("import_index")),
            ("Imports sent to an approver", reverse("import_requests")),
        ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and importable_kinds(request.user):
            found = ImportRequest.objects.select_related("sent_by", "decided_by").filter(
                pk=kwargs["pk"]
            )
            self.object = found.first()
            if self.object is None:
                raise Http404("There is no such import request.")
            if not found.visible_to(request.user).exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        try:
            kind = transfer_kind(item.kind)
        except TransferError:
            kind = None
        context.update(
            item=item,
            kind=kind,
            kind_label=kind.label if kind else item.kind,
            may_decide=item.waiting and may_decide(user),
            may_withdraw=item.waiting and item.sent_by_id == user.pk,
            list_url=_list_url(kind) if kind else "",
        )
        preview = kwargs.get("preview")
        if preview is None and item.waiting and kind is not None:
            data = upload_read(item.token, item.sha256)
            context["file_gone"] = data is None
            if data is not None:
                # As the user where they hold the kind's permissions (approvers always do).
                mine = all(user.has_perm(p) for p in kind.permissions)
                preview = transfer_preview(item.kind, data, item.format, user if mine else None)
        if preview is not None:
            context.update(preview_context(preview), preview=preview)
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        item, action = self.object, request.POST.get("action")
        try:
            if action == "confirm":
                done = import_request_confirm(
                    request=item, user=request.user, seen=request.POST.get("preview", "")
                )
                if not done.done:
                    context = self.get_context_data(moved=done.result is not None)
                    return self.render_to_response(context, status=409)
                messages.success(request, f"Imported: {item.summary}.")
            elif action == "decline":
                import_request_decline(
                    request=item, user=request.user, reason=request.POST.get("reason", "")[:2000]
                )
                messages.success(request, "Declined: nothing was imported. The sender can see why.")
            elif action == "withdraw":
                import_request_withdraw(request=item, user=request.user)
                messages.success(request, "Withdrawn: nothing was imported.")
            else:
                return redirect(item)
        except TransferError as error:  # a kind no longer registered
            context = self.get_context_data(errors_by_field={"": [str(error)]})
            return self.render_to_response(context, status=400)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            context = self.get_context_data(
                errors_by_field=errors, reason=request.POST.get("reason", "")
            )
            return self.render_to_response(context, status=400)
        return redirect(item)
