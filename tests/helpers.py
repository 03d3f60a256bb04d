"""Helpers for reading pages in tests."""

from bs4 import BeautifulSoup

from conftest import ROLE_GROUPS

ROLES = tuple(ROLE_GROUPS)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    """An element's text with white space folded, as a reader sees it."""
    return " ".join(element.get_text(" ").split())
