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
