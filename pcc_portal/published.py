"""Published output served like files.

A published revision never changes. What anyone may read of it (a paper's web page as the public
sees it, its PDF, a meeting's agenda reports pack) is stored once, under a name made of its
SHA-256, and listed in `PublishedFile` by the web address it answers. For a reader who is not
signed in, `PublishedFilesMiddleware` answers those addresses from the list alone: one indexed
query, then the file, with a strong ETag (the SHA-256), Last-Modified and Cache-Control; a
conditional request gets its 304 without reading the file or the paper. Signed-in readers, and
every address not listed, go on to the views, which decide who may see what as ever.

The apps that publish keep the list right: they put an entry when a thing becomes public, and
remove it when it stops being public (`published_files_replace`), once their transaction commits.

Behind nginx, `PUBLISHED_ACCEL_REDIRECT` hands the file itself to nginx (X-Accel-Redirect): the
portal still decides, nginx sends the bytes. See the README, "Serving published files".
"""

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.csp import CSP, build_policy
from django.utils.dateparse import parse_datetime
from django.utils.http import content_disposition_header, http_date

from pcc_portal.middleware import has_session_cookie
from pcc_portal.models import PublishedFile

HTML = "text/html; charset=utf-8"
PDF = "application/pdf"

# The shapes of the addresses apps publish files at; only those are looked up, so no other
# page pays a query for it.
_addresses: list[re.Pattern] = []


def register_published_addresses(pattern: str) -> None:
    """Called from an app's ready(): addresses matching `pattern` may be published files."""
    _addresses.append(re.compile(pattern))


def may_be_published(path: str) -> bool:
    return any(pattern.fullmatch(path) for pattern in _addresses)


@dataclass(frozen=True)
class StoredFile:
    """What a published address answers with: a file in storage and what to say about it."""

    name: str
    sha256: str
    size: int
    modified: datetime
    content_type: str
    filename: str = ""


def content_name(content: bytes, suffix: str) -> tuple[str, str]:
    """The content-addressed storage name for `content`, and its SHA-256."""
    sha256 = hashlib.sha256(content).hexdigest()
    return f"published/{sha256[:2]}/{sha256}{suffix}", sha256


def stored_file_write(content: bytes, *, suffix: str, **details) -> StoredFile:
    """Stores `content` under its content-addressed name (once: the same bytes, the same name)."""
    name, sha256 = content_name(content, suffix)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        assert saved == name, f"the storage renamed {name} to {saved}"
    return StoredFile(name=name, sha256=sha256, size=len(content), **details)


@lru_cache(maxsize=1)
def layout_key() -> str:
    """What a stored web page was laid out with: the templates and the static files' names.

    A page stored before a release that changed either is no longer what the views would give,
    so it is not served until `manage.py published_files_rebuild` stores it again.
    """
    digest = hashlib.sha256()
    folders = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    for template in sorted(p for folder in folders for p in folder.rglob("*") if p.is_file()):
        digest.update(template.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not settings.DEBUG and manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def published_files_replace(source: str, files: dict[str, StoredFile], *, page_paths=()) -> None:
    """Makes `files` (web address: stored file) the addresses `source` answers, removing any
    other it answered before. `source` names the thing: "paper:12", "meeting:3". Addresses in
    `page_paths` are web pages, tied to the layout they were stored with."""
    published_list_forget()
    transaction.on_commit(published_list_forget)
    PublishedFile.objects.filter(source=source).exclude(path__in=files).delete()
    for path, stored in files.items():
        PublishedFile.objects.update_or_create(
            path=path,
            defaults={
                "source": source, "name": stored.name, "sha256": stored.sha256,
                "size": stored.size, "modified": stored.modified,
                "content_type": stored.content_type, "filename": stored.filename,
                "layout": layout_key() if path in page_paths else "",
            },
        )  # fmt: skip


def published_files_remove(source: str) -> int:
    """Stops `source`'s addresses being answered from files (it is no longer public)."""
    published_list_forget()
    transaction.on_commit(published_list_forget)
    return PublishedFile.objects.filter(source=source).delete()[0]


def cache_control(*, private: bool) -> str:
    """Published files never change under their name, but the address can move to a newer
    revision or stop being public, so caches keep them `PUBLISHED_MAX_AGE` seconds and then
    ask again (answered 304 at the cost of one query)."""
    if private:
        return f"private, max-age={settings.PUBLISHED_MAX_AGE}"
    return f"public, max-age={settings.PUBLISHED_MAX_AGE}"


def file_headers(stored: StoredFile, *, private: bool) -> tuple[tuple[str, str], ...]:
    """The headers sent with a stored file, whether the file itself or a 304."""
    headers = [
        ("ETag", f'"{stored.sha256}"'),
        ("Last-Modified", http_date(int(stored.modified.timestamp()))),
        ("Cache-Control", cache_control(private=private)),
    ]
    if stored.content_type == HTML:
        headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    return tuple(headers)


def stored_file_response(request, stored: StoredFile, *, private: bool, storage=None, headers=None):
    """The response for a stored file: 304 when the reader's copy is current, else the file
    (from storage, or through nginx with X-Accel-Redirect when so configured). `headers`, when
    given, are those worked out before for it (`file_headers`, and any more)."""
    response = get_conditional_response(
        request, etag=f'"{stored.sha256}"', last_modified=int(stored.modified.timestamp())
    )
    if response is None:
        response = _file_response(stored, storage or default_storage)
    for header, value in headers or file_headers(stored, private=private):
        response[header] = value
    return response


def _file_response(stored: StoredFile, storage):
    if prefix := settings.PUBLISHED_ACCEL_REDIRECT:
        response = HttpResponse(content_type=stored.content_type)
        response["X-Accel-Redirect"] = prefix + quote(stored.name)
    elif stored.content_type == HTML:  # a page is small: read whole, as the view would send it
        with storage.open(stored.name, "rb") as page:
            response = HttpResponse(page.read(), content_type=HTML)
    else:
        response = FileResponse(storage.open(stored.name, "rb"), content_type=stored.content_type)
        response["Content-Length"] = stored.size
    if stored.filename:
        response["Content-Disposition"] = content_disposition_header(False, stored.filename)
    return response


class PublishedFilesMiddleware:
    """Answers the published addresses for readers who are not signed in, from the stored files.

    A request with a session cookie (someone signed in, or in the middle of something) or a
    message waiting goes on to the view, as does any address not listed or a page stored with
    another layout. Sits after the security and WhiteNoise middleware, and sets the
    Content-Security-Policy itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if entry := self._entry(request):
            try:
                return stored_file_response(
                    request, entry.stored, private=False, headers=entry.headers
                )
            except FileNotFoundError:
                # Listed a moment before its file is stored (a revision's PDF is written once
                # the revision commits, and another worker may list it first): the view answers.
                pass
        return self.get_response(request)

    @staticmethod
    def _entry(request) -> "Entry | None":
        if request.method not in ("GET", "HEAD") or has_session_cookie(request):
            return None
        if "messages" in request.COOKIES or not may_be_published(request.path_info):
            return None
        entry = entry_remembered(request.path_info)
        if entry is None or (entry.layout and entry.layout != layout_key()):
            return None
        return entry


@lru_cache(maxsize=1)
def security_policy() -> dict[str, str]:
    """The Content-Security-Policy headers the CSP middleware would add (the settings have no
    nonce, so they are the same for every response): worked out once, not per file served."""
    policies = {CSP.HEADER_ENFORCE: settings.SECURE_CSP,
                CSP.HEADER_REPORT_ONLY: settings.SECURE_CSP_REPORT_ONLY}  # fmt: skip
    return {str(header): build_policy(config) for header, config in policies.items() if config}


@dataclass(frozen=True)
class Entry:
    """A row of the list, as the middleware reads it."""

    stored: StoredFile
    layout: str
    headers: tuple[tuple[str, str], ...]  # worked out once, as a file server does


def entry_headers(stored: StoredFile) -> tuple[tuple[str, str], ...]:
    """What the middleware sends with a listed file: its own headers, the security policy the
    CSP middleware would have added, and, for a page, that signed-in readers get another."""
    headers = file_headers(stored, private=False) + tuple(security_policy().items())
    if stored.content_type == HTML:
        headers += (("Vary", "Cookie"),)
    return headers


# Each process remembers what it read of the list for `PUBLISHED_LIST_SECONDS`: under load that
# is one query a second for an address instead of one a request. A process that changes the
# list forgets at once; the others read it again within that time (less than the change itself
# takes to reach the list, which is written after the change commits).
_remembered: dict[str, tuple[float, "Entry | None"]] = {}
REMEMBERED_MOST = 4096


def entry_remembered(path: str) -> "Entry | None":
    """`entry_at(path)`, from what this process read of it in the last moment if it did."""
    now = time.monotonic()
    seen = _remembered.get(path)
    if seen is not None and now - seen[0] < settings.PUBLISHED_LIST_SECONDS:
        return seen[1]
    entry = entry_at(path)
    if len(_remembered) >= REMEMBERED_MOST:  # addresses nobody lists: keep it bounded
        _remembered.clear()
    _remembered[path] = (now, entry)
    return entry


def published_list_forget() -> None:
    """Forgets what this process remembered of the list (it has just changed it)."""
    _remembered.clear()


def entry_at(path: str) -> Entry | None:
    """The published file listed at `path`. Plain SQL on the unique index: the query builder
    would take longer than sending the file."""
    table = connection.ops.quote_name(PublishedFile._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sha256, size, modified, content_type, filename, layout "
            f"FROM {table} WHERE path = %s",
            [path],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    name, sha256, size, modified, content_type, filename, layout = row
    if isinstance(modified, str):  # SQLite gives text, in UTC
        modified = parse_datetime(modified).replace(tzinfo=UTC)
    stored = StoredFile(name, sha256, size, modified, content_type, filename)
    return Entry(stored=stored, layout=layout, headers=entry_headers(stored))
