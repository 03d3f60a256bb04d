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
