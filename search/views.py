from datetime import datetime, time

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.views.generic import TemplateView

from pcc_portal.feeds import FeedLink
from pcc_portal.mixins import PageMixin
from pcc_portal.models import OfficeProfile
from pcc_portal.searchable import search_kinds
from pcc_portal.slots import SEARCH_PAGE, fill
from plan.models import Area, Priority
from search.forms import SearchForm
from search.query import MAX_LENGTH
from search.services import search_query


def _choices(rows) -> list[tuple[int, str]]:
    return [(row.pk, str(row)) for row in rows]


class SearchView(PageMixin, TemplateView):
    template_name = "search/search.html"

    def get_form(self) -> SearchForm:
        user = self.request.user
        return SearchForm(
            self.request.GET,
            kinds=[(k.name, k.label) for k in search_kinds()],
            # Only the priorities of plans this visitor may see; areas are all public.
            priorities=_choices(Priority.objects.for_choices(user)),
            areas=_choices(Area.objects.order_by("name")),
        )

    def get(self, request, *args, **kwargs):
        self.form = self.get_form()
        self.parameters = self.form.parameters()
        page = self.parameters.pop("page")
        self.search = search_query(request.user, **self.parameters, page=page)
        return super().get(request, *args, **kwargs)

    def get_page_title(self) -> str:
        q = self.search.query
        return f"Search results for “{q[:80]}”" if q else "Search"

    def _link(self, **changes) -> str:
        kept = {**self.parameters, **changes}
        return "?" + urlencode({k: v for k, v in kept.items() if v not in (None, "")})

    def feeds(self, q: str) -> list[FeedLink]:
        """The search's own Atom feed, offered once there is something to search for."""
        if not q:
            return []
        url = f"{reverse('search:feed')}?{urlencode({'q': q})}"
        return [FeedLink(f"Search results for “{q[:80]}” (Atom feed)", url)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.search
        query_string = self._link()[1:]
        context.update(
            search_form=self.form,  # not `form`: a wrong parameter is ignored, not an error
            search=search,
            shortened=self.form.shortened,
            max_length=MAX_LENGTH,
            kind_links=[(f, self._link(kind=f.value)) for f in search.kinds],
            all_kinds_link=self._link(kind=None),
            year_links=[(f, self._link(year=int(f.value))) for f in search.years],
            all_years_link=self._link(year=None),
            page_obj=search.page_obj,
            is_paginated=bool(search.page_obj and search.page_obj.paginator.num_pages > 1),
            query_string=query_string,
            feeds=self.feeds(search.query),
            q_only=urlencode({"q": search.query}),
            selected_kind=self.parameters["kind"],
            selected_year=self.parameters["year"],
            search_priority=self.parameters["priority"],
            search_area=self.parameters["area"],
            follow=fill(SEARCH_PAGE, search.query, self.parameters["kind"], user=self.request.user),
        )
        return context


class SearchFeed(Feed):
    """/search/feed/?q=...: the newest of what anyone may find for a search, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return (request.GET.get("q") or "").strip()[:MAX_LENGTH]

    def title(self, q):
        return f"Search results for “{q}”: {OfficeProfile.load().service_name}"

    def subtitle(self, q):
        return "The newest published papers, decisions and more that match this search."

    def link(self, q):
        return f"{reverse('search:search')}?{urlencode({'q': q})}"

    def feed_url(self, q):
        return f"{reverse('search:feed')}?{urlencode({'q': q})}"

    def items(self, q):
        # Only what has a date: an Atom entry needs one, and the feed is of what is new.
        found = search_query(AnonymousUser(), q, newest=True).results if q else []
        return [result for result in found if result.date]

    def item_title(self, item):
        return item.heading

    def item_categories(self, item):
        return [item.kind_label]

    def item_description(self, item):
        return item.snippet

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(9)))

    def item_updateddate(self, item):
        return self.item_pubdate(item)
