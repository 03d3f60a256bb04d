"""Small mixins every page view uses: its title and its breadcrumbs."""


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
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied

        if not request.user.has_perm(self.permission):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RecordFormMixin(PermissionMixin, PageMixin):
    """Create and edit pages: a permission, a form, saved through a service, a message.

    Subclasses set `permission`, `form_class`, `success_message` and may override `save`.
    Model rules (clean()) surface as form errors; nothing is saved unless all is valid.
    """

    template_name = "components/form_page.html"
    success_message = "Saved."
    cancel_url: str | None = None

    def save(self, form):
        from django.db import transaction

        from pcc_portal.services import record_save

        with transaction.atomic():
            instance = record_save(instance=form.save(commit=False), user=self.request.user)
            form.save_m2m()
        return instance

    def form_valid(self, form):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect

        try:
            self.object = self.save(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

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
        return context

    def get_cancel_url(self):
        return self.cancel_url

    def get_caption(self) -> str:
        return ""


class ConfirmDeleteMixin(PermissionMixin, PageMixin):
    """A page that asks before deleting, then deletes on POST and says so."""

    template_name = "components/confirm_delete.html"
    success_message = "Deleted."

    def form_valid(self, form):
        from django.contrib import messages

        response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response

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
