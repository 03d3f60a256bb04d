"""The PDF renderer's only way to load anything: the portal's own static and media files
(media read through the file storage, so an object store serves them as the disk does).

Every other URL (http, https, ftp, a file outside those folders, a large data: URI) is refused
before any network or file access, so content can never make the renderer fetch or read
something it should not.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django_weasyprint.utils import DjangoURLFetcher, guess_content_type
from weasyprint.urls import URLFetcherResponse

DATA_URI_LIMIT = 64 * 1024


class FetchRefused(Exception):
    pass


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)]
    roots += [Path(entry if isinstance(entry, str | Path) else entry[1])
              for entry in settings.STATICFILES_DIRS]  # fmt: skip
    return [root.resolve() for root in roots]


def _confined(path: str | None) -> Path | None:
    if not path:
        return None
    resolved = Path(path).resolve()
    for root in _allowed_roots():
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    return None


def local_file(url_path: str) -> Path | None:
    """The file on disk a /static/... path names, if it is one of ours."""
    static_url = settings.STATIC_URL
    if url_path.startswith(static_url):
        relative = url_path[len(static_url) :]
        collected = _confined(os.path.join(settings.STATIC_ROOT, relative))
        return collected or _confined(finders.find(relative))
    return _confined(url_path)


def stored_name(url_path: str) -> str | None:
    """The name in the file storage a /media/... path names, if it names a stored file."""
    media_url = settings.MEDIA_URL
    if not (media_url and url_path.startswith(media_url)):
        return None
    name = url_path[len(media_url) :]
    if not name or ".." in name.split("/"):
        return None
    return name if default_storage.exists(name) else None


class PortalURLFetcher(DjangoURLFetcher):
    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "data":
            if len(url) > DATA_URI_LIMIT:
                raise FetchRefused("A data: URI over the size limit was refused.")
            return super(DjangoURLFetcher, self).fetch(url, headers)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise FetchRefused(f"Only the portal's own files are loaded, not {url}")
        try:
            name = stored_name(unquote(parsed.path))
            path = None if name else local_file(unquote(parsed.path))
        except (SuspiciousOperation, ValueError):
            name = path = None
        if name:
            return URLFetcherResponse(
                url=url,
                body=default_storage.open(name, "rb"),
                headers={"Content-Type": guess_content_type(name)},
            )
        if path is None:
            raise FetchRefused(f"{url} is not one of the portal's static or media files")
        return URLFetcherResponse(
            url=path.as_uri(),
            body=path.open("rb"),
            headers={"Content-Type": guess_content_type(str(path))},
        )
