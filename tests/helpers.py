"""Helpers for reading pages and spreadsheets in tests."""

import csv
import io
import statistics
import time

from bs4 import BeautifulSoup

from conftest import ROLE_GROUPS

ROLES = tuple(ROLE_GROUPS)


def soup(response) -> BeautifulSoup:
    """The page as a wide screen shows it: without the column labels that a record table's
    cells repeat for phones (`{% cell_label %}`, hidden from screen readers)."""
    page = BeautifulSoup(response.content, "html.parser")
    for label in page.select(".portal-table__label"):
        label.decompose()
    return page


def text(element) -> str:
    """An element's text with white space folded, as a reader sees it."""
    return " ".join(element.get_text(" ").split())


def rows_of(data: bytes) -> list[dict]:
    """The rows of an exported CSV, as dicts by header."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def csv_of(rows: list[dict]) -> bytes:
    """A CSV file of `rows` (dicts by header), as a spreadsheet would save it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


ATOM = "{http://www.w3.org/2005/Atom}"


def read_atom(response):
    """An Atom feed read by two parsers, which must agree: ElementTree (the Atom namespace, an
    id, title and updated date on the feed and each entry) and feedparser (not "bozo"). Returns
    feedparser's result."""
    import xml.etree.ElementTree as ElementTree

    import feedparser

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    for element in (root, *entries):
        for name in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{name}") or "").strip(), (name, element)
    assert root.findtext(f"{ATOM}author/{ATOM}name"), "Atom asks for the feed's author"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.title for entry in parsed.entries] == [
        entry.findtext(f"{ATOM}title") for entry in entries
    ]
    return parsed


def median_seconds(client, url, runs: int = 5) -> float:
    """The median time of `runs` requests for a page, after one to warm it (templates, the
    office profile); each must answer 200. For the tests that a page takes about as long with
    ten times the data."""
    assert client.get(url).status_code == 200, url
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return statistics.median(seconds)
