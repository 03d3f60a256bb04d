"""What the fuzz test (test_fuzz.py) is made of: the corpus of bad input, the URL map walked
from the resolver, and the forms a page offers, read from its HTML as a browser would."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern


class _TextFile:
    """A file sent where text is expected (and, into a file input, a file of the wrong kind)."""

    def __repr__(self) -> str:
        return "<a text file>"


TEXT_FILE = _TextFile()

# One value of each kind of trouble. Lone surrogates cannot be encoded as UTF-8, so they are
# sent as the bytes a careless encoder would produce; a list is a field given twice.
CORPUS = (
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "2021-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/9999",
    "\x00",
    "a\x00b",
    "A" * 100_000,
    "\u202eevil\u200b\ufeff\U0010ffff\u0301",
    b"\xed\xa0\x80 lone surrogate \xff",
    "\U0001f600\U0001f44d\U0001f3fd\u200d\U0001f469",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    ["1", "99999999999999999999"],
    TEXT_FILE,
)
# A query string carries no files.
QUERY_CORPUS = tuple(value for value in CORPUS if value is not TEXT_FILE)


def materialise(value):
    """The value as the test client sends it: files are made afresh (a read consumes them)."""
    if value is TEXT_FILE:
        return SimpleUploadedFile("notes.txt", b"Plain text, not a PDF.", "text/plain")
    if isinstance(value, list):
        return [materialise(item) for item in value]
    return value


def describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(value):,} long)"


# --- The URL map -------------------------------------------------------------------------

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", as reverse() takes it
    route: str  # "plan/<slug:plan>/quarters/<quarter:quarter>/"
    converters: dict  # parameter name -> converter
    view: object
    understood: bool  # a route with <converter:name> parameters, not a regular expression

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]

    @property
    def parameters(self) -> list[str]:
        return [match["name"] for match in PARAMETER.finditer(self.route)]

    def path(self, values: dict) -> str:
        """The path with each parameter's value, quoted as a browser would send it."""
        return "/" + PARAMETER.sub(lambda m: quote(str(values[m["name"]]), safe=""), self.route)


def routes(resolver=None, prefix="", namespace="", converters=None):
    """Every pattern of the URL map, with its full route and its namespaced name."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        route = prefix + str(pattern)
        understood = isinstance(pattern, RoutePattern)
        found = {**(converters or {}), **(pattern.converters if understood else {})}
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from routes(entry, route, inner, found)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or f"<unnamed {route}>"]))
            yield Route(name, route, found, entry.callback, understood)


# --- Forms, as a browser sees them --------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # text, choice, multi, file, button or hidden
    options: tuple[str, ...] = ()
    initial: tuple[str, ...] = ()  # what a browser sends for the page as it stands


@dataclass(frozen=True)
class PageForm:
    method: str
    action: str  # path, with the action's own query string if it has one
    fields: tuple[FormField, ...]

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.action).query, keep_blank_values=True)

    @property
    def fuzzed(self) -> list[FormField]:
        """The fields bad input goes into: all but the CSRF token (the client does not check it)."""
        return [field for field in self.fields if field.name != "csrfmiddlewaretoken"]

    def as_sent(self) -> dict:
        """What a browser sends as the page stands: the fields' values and the first button."""
        data, button = {}, None
        for field in self.fields:
            if field.kind == "button":
                button = button or field
            elif field.initial:
                data[field.name] = list(field.initial)
        if button:
            data[button.name] = list(button.initial)
        return data


def _element_kind(element) -> str:
    if element.name == "textarea":
        return "text"
    if element.name == "select":
        return "multi" if element.has_attr("multiple") else "choice"
    if element.name == "button":
        return "button"
    kind = (element.get("type") or "text").lower()
    return {
        "submit": "button",
        "image": "button",
        "checkbox": "multi",
        "radio": "choice",
        "file": "file",
        "hidden": "hidden",
    }.get(kind, "text")


def _element_values(element) -> tuple[list[str], list[str]]:
    """(options, initial values) of one form element."""
    if element.name == "textarea":
        return [], [element.get_text()]
    if element.name == "select":
        options = [o.get("value", o.get_text()) for o in element.find_all("option")]
        chosen = [o.get("value", o.get_text()) for o in element.find_all("option", selected=True)]
        return options, chosen or options[:1]
    value = element.get("value", "on" if element.get("type") in ("checkbox", "radio") else "")
    if element.get("type") in ("checkbox", "radio"):
        return [value], [value] if element.has_attr("checked") else []
    if element.get("type") == "file":
        return [], []
    return [], [value]


def page_forms(html: bytes | str, page_path: str) -> list[PageForm]:
    """Every form of a page, with its fields merged by name (a checkbox group is one field)."""
    found = []
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        action = urljoin(page_path, form.get("action") or page_path)
        parts = urlsplit(action)
        fields: dict[str, FormField] = {}
        for element in form.find_all(["input", "select", "textarea", "button"]):
            name = element.get("name")
            if not name:
                continue
            kind = _element_kind(element)
            options, initial = _element_values(element)
            if name in fields:
                before = fields[name]
                kind = "multi" if kind == "multi" or before.kind == "multi" else before.kind
                options = [*before.options, *options]
                initial = [*before.initial, *initial]
            fields[name] = FormField(name, kind, tuple(options), tuple(initial))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        found.append(PageForm((form.get("method") or "get").lower(), path, tuple(fields.values())))
    return found


def shaped(field: FormField, value):
    """A corpus value fitted to a field: a multiple choice gets a real option beside it."""
    if field.kind == "multi" and not isinstance(value, list) and field.options:
        return [field.options[0], value]
    return value


# --- Which query parameters a page reads ----------------------------------------------------


class WatchedQuery(QueryDict):
    """request.GET noting the names the view reads; "*" when it reads them all."""

    reads: set = set()

    def __getitem__(self, key):
        WatchedQuery.reads.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        WatchedQuery.reads.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        WatchedQuery.reads.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        WatchedQuery.reads.add(key)
        return super().getlist(key, default)


def _reading_all(method):
    def reads_all(self, *args, **kwargs):
        WatchedQuery.reads.add("*")
        return method(self, *args, **kwargs)

    return reads_all


for _name in ("__iter__", "__deepcopy__", "items", "keys", "values", "lists", "dict", "urlencode"):
    setattr(WatchedQuery, _name, _reading_all(getattr(QueryDict, _name)))


def _watched_get(request):
    if "_watched_get" not in request.__dict__:
        raw = get_bytes_from_wsgi(request.environ, "QUERY_STRING", "")
        request.__dict__["_watched_get"] = WatchedQuery(raw, encoding=request._encoding)
    return request.__dict__["_watched_get"]


def _set_get(request, value):
    request.__dict__["_watched_get"] = value


def _forget_get(request):
    request.__dict__.pop("_watched_get", None)


# Patched over WSGIRequest.GET (a cached property) while the fuzz test runs.
WATCHED_GET = property(_watched_get, _set_get, _forget_get)
