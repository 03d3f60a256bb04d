"""Small mixins every page view uses: its title and its breadcrumbs."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from pcc_portal import publication
from pcc_portal.conflicts import conflict_form
from pcc_portal.forms import PublicationForm, add_version_field, prompt_selects
from pcc_portal.publication import held_root, pending_apply, pending_file, pending_summary
from pcc_portal.services import StaleRecord, record_delete, record_save


class PageMixin:
    """Gives a page its <title>, <h1> and breadcrumbs (a list of (label, url) pairs)."""

    page_title: str = ""

    def get_page_title(self) -> str:
        return self.page_title

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.get_page_title()
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context


class PermissionMixin:
    """Requires `permission`: sends the signed-out to sign in, refuses others with 403."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RecordFormMixin(PermissionMixin, PageMixin):
    """Create and edit pages: a permission, a form, saved through a service, a message.

    Subclasses set `permission`, `form_class`, `success_message` and may override `save`
    (passing `self.save_options(form)` on to `record_save`). Model rules (clean()) surface as
    form errors; nothing is saved unless all is valid. Every edit is protected against lost
    updates: the form carries the version the user opened, and if someone saved since, the
    page shows both versions side by side and keeps what was typed (409). While the record is
    published, the save waits for an approver and the message says so.
    """

    template_name = "components/form_page.html"
    success_message = "Saved."
    held_message = (
        "Saved as a change waiting for approval. Everyone else still sees the published "
        "version until an approver publishes the change."
    )
    cancel_url: str | None = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            # Staff amend the change they are waiting on, not the published version.
            pending_apply(instance)
            for name, pks in getattr(instance, "pending_m2m", {}).items():
                kwargs.setdefault("initial", {}).setdefault(name, pks)
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if hasattr(form.instance, "version"):
            add_version_field(form)
        prompt_selects(form)
        return form

    def save_options(self, form) -> dict:
        """What record_save needs from the form: the version opened, many-to-many values."""
        m2m = {
            f.name: form.cleaned_data[f.name]
            for f in form.instance._meta.many_to_many
            if f.name in form.cleaned_data
        }
        return {"expected_version": form.cleaned_data.get("version"), "m2m": m2m}

    def save(self, form):
        return record_save(
            instance=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except StaleRecord as stale:
            return self.conflict(form, stale.current)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        held = getattr(self.object, "held_for_approval", False)
        messages.success(self.request, self.held_message if held else self.success_message)
        if held and self.object.pk:
            # Back to the record as it is published (a held new date or web address name
            # is not its address yet).
            self.object = type(self.object)._default_manager.get(pk=self.object.pk)
        return redirect(self.get_success_url())

    def conflict(self, form, current):
        """Someone saved first: keep this user's entries, show both versions, save nothing."""

        def make_form(data, instance):
            kwargs = {**self.get_form_kwargs(), "data": data, "instance": instance}
            if data is None:
                kwargs.pop("files", None)
            return self.get_form_class()(**kwargs)

        form, rows = conflict_form(form, current, make_form)
        self.object = current if current.pk else None
        context = self.get_context_data(form=form, conflict_rows=rows)
        return self.render_to_response(context, status=409)

    def form_invalid(self, form):
        # The form has written what was typed onto the record; the page's own links and
        # caption must come from the record as it is saved (a blank slug cannot be linked to).
        if getattr(self, "object", None) is not None and self.object.pk:
            self.object.refresh_from_db()
        return super().form_invalid(form)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_cancel_url()
        context["caption"] = self.get_caption()
        form = context.get("form")
        if form is not None and (root := held_root(form.instance)) is not None:
            context["pending_note"] = (
                f"The {root._meta.verbose_name} is published, so what you save here waits for "
                "an approver to publish it. Until then everyone else sees the published version."
            )
        return context

    def get_cancel_url(self):
        return self.cancel_url

    def get_caption(self) -> str:
        return ""


class FormUserMixin:
    """Gives the form the signed-in user, for choices that depend on who is choosing."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class ConfirmDeleteMixin(PermissionMixin, PageMixin):
    """A page that asks before deleting, then deletes on POST and says so.

    While what the record belongs to is published, the deletion waits for an approver.
    """

    template_name = "components/confirm_delete.html"
    success_message = "Deleted."
    held_message = "Removal saved as a change waiting for approval."

    def form_valid(self, form):
        success_url = self.get_success_url()
        deleted = self.delete_record()
        messages.success(self.request, self.success_message if deleted else self.held_message)
        return redirect(success_url)

    def delete_record(self) -> bool:
        """Deletes `self.object` (True), or holds the deletion for approval (False).
        Apps with a service for the deletion call it here."""
        return record_delete(instance=self.object, user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context


class FilteredListMixin:
    """A django-filter list that ignores only the filters that are wrong, and says which.

    A nonsense value (?year=abc) gives a message in the error summary; the other filters
    still apply. The query string (less the page) is kept for the pagination links.
    """

    strict = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        if form.errors:
            context["error_form"] = form
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class PublicationView(PageMixin, TemplateView):
    """A publishable record's publication page: what the public would see change, and the
    buttons each role may use (publish, unpublish, discard the changes). Subclasses give
    `get_root()`; the page is for those who may edit the record."""

    template_name = "components/publication.html"
    # What publishing and unpublishing do, in words; a record whose publication shows only
    # part of it to the public (an inspection: its office's part) says so instead.
    unpublished_status = "Only office staff can see it."
    publish_effect = ""  # default: "Publishing shows this <noun>, as it stands now, to ..."
    unpublish_question = "Unpublish? Panel members and the public will no longer see it."
    unpublished_message = "Unpublished: only office staff can see it now."

    def dispatch(self, request, *args, **kwargs):
        self.root = self.get_root()
        if not request.user.has_perm(self.change_permission()):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_root(self):
        raise NotImplementedError

    def change_permission(self) -> str:
        meta = type(self.root)._meta
        return f"{meta.app_label}.change_{meta.model_name}"

    def get_page_title(self):
        return f"Publication of “{self.root}”"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            root=self.root,
            noun=self.root._meta.verbose_name,
            publication_url=self.root.get_publication_url(),
            pending=pending_summary(self.root),
            can_publish=user.has_perm(self.root.PUBLISH),
            form=kwargs.get("form") or PublicationForm(),
            unpublished_status=self.unpublished_status,
            publish_effect=self.publish_effect,
        )
        return context

    def file(self, request, key: str):
        """An uploaded file held with a change, for the approver to read before publishing."""
        handle = pending_file(self.root, key)
        if handle is None:
            raise Http404("No such file waits for approval here.")
        return FileResponse(handle, content_type="application/pdf", filename="held-paper.pdf")

    CONFIRM = {
        "discard": "Discard these changes? They cannot be brought back.",
    }

    def post(self, request, *args, **kwargs):
        form = PublicationForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        action = form.cleaned_data["action"]
        questions = {**self.CONFIRM, "unpublish": self.unpublish_question}
        if action in questions and form.cleaned_data["confirm"] != "yes":
            context = self.get_context_data(form=form, confirming=action)
            context["confirm_question"] = questions[action]
            return self.render_to_response(context)
        try:
            message = self.perform(action, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, message)
        return redirect(self.root.get_absolute_url())

    def perform(self, action: str, data: dict) -> str:
        root, user, reviewed = self.root, self.request.user, data["reviewed"]
        if action == "discard":
            count = publication.pending_discard(
                root=root, user=user, permission=self.change_permission(),
                reviewed=reviewed, key=data["key"] or None,
            )  # fmt: skip
            if data["key"]:
                return "That change was discarded. The published version is unchanged."
            return (
                "The changes were discarded. The published version is unchanged."
                if count
                else "There were no changes to discard."
            )
        was_published = root.is_published
        publication.publication_set(
            root=root, user=user, published=action == "publish", reviewed=reviewed
        )
        if action == "unpublish":
            return self.unpublished_message
        return (
            "Changes published: everyone can now see them."
            if was_published
            else "Published: everyone can now see it."
        )
