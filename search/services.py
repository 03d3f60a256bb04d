"""One search over the index, for one reader: a page of results, the total and the facets.

Two backends behind it, chosen by the database: SQLite's FTS5 (MATCH, bm25() with the title
weighted above the body, snippet()) and PostgreSQL's full-text search (a weighted tsvector,
websearch_to_tsquery, ts_rank, ts_headline). Either runs the same three queries whatever the
data: the counts by kind, the counts by year, and the page of results. Every query is limited to
the reader's audiences (`audiences_of`), so nothing they may not see is in results, snippets,
counts or facets.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pcc_portal.searchable import audiences_of, search_kind, search_kinds
from search.models import SearchEntry
from search.query import Term, terms_parse

PER_PAGE = 20
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0  # bm25 column weights: a title match ranks above a body one


@dataclass(frozen=True)
class Result:
    title: str
    within: str
    url: str
    kind: str
    kind_label: str
    date: date | None
    snippet: SafeString
    audience: str

    @property
    def heading(self) -> str:
        """The title with what it is part of: "Performance report: Paragraph 12"."""
        return f"{self.within}: {self.title}" if self.within else self.title


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchPage:
    query: str
    terms: list[Term]
    results: list[Result] = field(default_factory=list)
    total: int = 0
    kinds: list[Facet] = field(default_factory=list)
    years: list[Facet] = field(default_factory=list)
    page_obj: Page | None = None


class _Counted(list):
    """What the paginator pages: the total is known, only the page's results are held."""

    def __init__(self, total: int):
        super().__init__()
        self.total = total

    def count(self, *args) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total


def snippet_html(raw: str) -> SafeString:
    """The backend's snippet, escaped, with its matched words (between markers) in <mark>."""
    return mark_safe(escape(raw or "").replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _filtered(user, *, kind=None, year=None, priority=None, area=None):
    entries = SearchEntry.objects.filter(audience__in=audiences_of(user))
    if kind:
        entries = entries.filter(kind=kind)
    if year:
        entries = entries.filter(date__year=year)
    if priority:
        entries = entries.filter(priority_ids__contains=f"|{priority}|")
    if area:
        entries = entries.filter(area_ids__contains=f"|{area}|")
    return entries


def search_query(
    user, q: str, *, kind=None, year=None, priority=None, area=None, page=1, newest=False
) -> SearchPage:
    """The page `page` of what `user` may find for `q` (20 a page), best match first (newest
    first if `newest`), with the total and the counts by kind and by year. `kind` must be a
    registered kind's name (others are ignored), `year`, `priority` and `area` whole numbers;
    a page past the last gives the last."""
    kind = kind if kind and search_kind(kind) else None
    terms = terms_parse(q)
    result = SearchPage(query=q, terms=terms)
    if not terms:
        return result
    backend = _postgres if connection.vendor == "postgresql" else _sqlite
    filters = {"year": year, "priority": priority, "area": area}
    by_kind = backend.counts_by_kind(_filtered(user, **filters), terms)
    by_year = backend.counts_by_year(_filtered(user, kind=kind, **filters), terms)
    labels = {k.name: k.label for k in search_kinds()}
    result.kinds = [
        Facet(name, labels[name], by_kind[name], selected=name == kind)
        for name in labels
        if by_kind.get(name)
    ]
    result.years = [Facet(str(y), str(y), n, selected=y == year) for y, n in by_year]
    result.total = by_kind.get(kind, 0) if kind else sum(by_kind.values())
    paginator = Paginator(_Counted(result.total), PER_PAGE)
    number = min(max(page, 1), paginator.num_pages)
    offset = (number - 1) * PER_PAGE
    entries = _filtered(user, kind=kind, **filters)
    rows = backend.page(entries, terms, offset, newest=newest) if result.total else []
    result.results = [
        Result(
            title=title,
            within=within,
            url=url,
            kind=name,
            kind_label=labels.get(name, name),
            date=when,
            snippet=snippet_html(snippet),
            audience=audience,
        )
        for name, title, within, url, when, audience, snippet in rows
    ]
    result.page_obj = Page(result.results, number, paginator)
    return result


def search_matching(entries, q: str):
    """Those of `entries` (a SearchEntry queryset: what is new for an alert) that match the
    words `q` as the search page would match them; none for a query with no words. Two
    queries at most."""
    terms = terms_parse(q)
    if not terms:
        return entries.none()
    backend = _postgres if connection.vendor == "postgresql" else _sqlite
    return SearchEntry.objects.filter(pk__in=backend.ids(entries, terms))


class _sqlite:
    """FTS5: the external-content table search_searchentry_fts, kept in step by triggers."""

    FROM = (
        "FROM search_searchentry_fts JOIN search_searchentry e "
        "ON e.id = search_searchentry_fts.rowid "
        "WHERE search_searchentry_fts MATCH %s AND e.id IN ({ids})"
    )

    @staticmethod
    def _run(sql: str, entries, terms, extra=()) -> list[tuple]:
        from search.query import fts5_match

        ids_sql, ids_params = entries.values("id").query.sql_with_params()
        sql = sql.replace("{FROM}", _sqlite.FROM.format(ids=ids_sql))
        with connection.cursor() as cursor:
            try:
                cursor.execute(sql, [fts5_match(terms), *ids_params, *extra])
            except DatabaseError:  # a query FTS5 cannot read: nothing found, never an error
                return []
            return cursor.fetchall()

    @classmethod
    def counts_by_kind(cls, entries, terms) -> dict[str, int]:
        return dict(cls._run("SELECT e.kind, COUNT(*) {FROM} GROUP BY e.kind", entries, terms))

    @classmethod
    def ids(cls, entries, terms) -> list[int]:
        return [row[0] for row in cls._run("SELECT e.id {FROM}", entries, terms)]

    @classmethod
    def counts_by_year(cls, entries, terms) -> list[tuple[int, int]]:
        sql = (
            "SELECT CAST(strftime('%%Y', e.date) AS INTEGER) AS year, COUNT(*) {FROM} "
            "AND e.date IS NOT NULL GROUP BY year ORDER BY year DESC"
        )
        return cls._run(sql, entries, terms)

    @classmethod
    def page(cls, entries, terms, offset: int, *, newest=False) -> list[tuple]:
        rank = f"bm25(search_searchentry_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        order = f"e.date DESC NULLS LAST, {rank}" if newest else f"{rank}, e.date DESC"
        sql = (
            "SELECT e.kind, e.title, e.within, e.url, e.date, e.audience, "
            "snippet(search_searchentry_fts, 1, char(2), char(3), '…', 24) {FROM} "
            f"ORDER BY {order}, e.id LIMIT %s OFFSET %s"
        )
        rows = cls._run(sql, entries, terms, (PER_PAGE, offset))
        return [(*row[:4], _as_date(row[4]), *row[5:]) for row in rows]


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


class _postgres:
    """A stored weighted tsvector (title A, body B) with a GIN index, made by the migration."""

    @staticmethod
    def _matching(entries, terms):
        from django.contrib.postgres.search import SearchQuery, SearchVectorField
        from django.db.models.expressions import RawSQL

        from search.query import prefix_words, websearch_text

        queries = []
        if text := websearch_text(terms):
            queries.append(SearchQuery(text, search_type="websearch", config="english"))
        for word in prefix_words(terms):
            queries.append(SearchQuery(f"{word}:*", search_type="raw", config="english"))
        query = queries[0]
        for more in queries[1:]:
            query &= more
        vector = RawSQL('"search_searchentry"."search_vector"', [], SearchVectorField())
        return entries.annotate(vector=vector).filter(vector=query), vector, query

    @classmethod
    def counts_by_kind(cls, entries, terms) -> dict[str, int]:
        from django.db.models import Count

        matching, _, _ = cls._matching(entries, terms)
        return dict(matching.order_by().values_list("kind").annotate(n=Count("id")))

    @classmethod
    def ids(cls, entries, terms) -> list[int]:
        matching, _, _ = cls._matching(entries, terms)
        return list(matching.values_list("id", flat=True))

    @classmethod
    def counts_by_year(cls, entries, terms) -> list[tuple[int, int]]:
        from django.db.models import Count
        from django.db.models.functions import ExtractYear

        matching, _, _ = cls._matching(entries, terms)
        return list(
            matching.exclude(date=None)
            .annotate(year=ExtractYear("date"))
            .order_by("-year")
            .values_list("year")
            .annotate(n=Count("id"))
        )

    @classmethod
    def page(cls, entries, terms, offset: int, *, newest=False) -> list[tuple]:
        from django.contrib.postgres.search import SearchHeadline, SearchRank
        from django.db.models import F

        matching, vector, query = cls._matching(entries, terms)
        headline = SearchHeadline(
            "body", query, config="english", start_sel="\x02", stop_sel="\x03",
            max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … ",
        )  # fmt: skip
        # D, C, B, A: a title (A) match ranks well above a body (B) one.
        rank = SearchRank(vector, query, weights=[0.01, 0.02, 0.1, 1.0])
        order = ["-rank", F("date").desc(nulls_last=True)]
        rows = (
            matching.annotate(rank=rank, snippet=headline)
            .order_by(*(reversed(order) if newest else order), "id")
            .values_list("kind", "title", "within", "url", "date", "audience", "snippet")
        )
        return list(rows[offset : offset + PER_PAGE])
