"""Helpers for reading pages in tests."""

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
