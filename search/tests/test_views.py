"""The search page and the Atom feed of a search."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from search.tests.helpers import make_entry
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def entries():
    make_entry(kind="paper", title="Burglary in Preston", body="Burglary <b>fell</b>.",
               url="/reports/1/#p3", date="2021-05-01")  # fmt: skip
    make_entry(kind="decision", title="Estate sale", body="The burglary alarm.", url="/d/1/",
               audience="exempt", date="2022-01-01")  # fmt: skip
    make_entry(kind="award", title="Street lighting", body="Against burglary.", url="/a/1/",
               date="2022-03-01", priority_ids=(4,))  # fmt: skip


def test_the_header_links_to_search(client):
    page = soup(client.get("/funding/"))
    assert [a["href"] for a in page.find_all("a") if text(a) == "Search"] == ["/search/"]


def test_an_empty_search_says_what_can_be_found(client):
    response = client.get("/search/")
    page = soup(response)
    assert response.status_code == 200
    assert page.title.string.startswith("Search –")
    assert page.find("label", attrs={"for": "search-q"})
    assert "Type some words to search" in text(page)


def test_results_show_kind_date_title_link_and_marked_snippet(client, entries):
    page = soup(client.get("/search/", {"q": "burglary"}))
    assert "Search results for “burglary”" in page.title.string
    assert "2 results for “burglary”" in text(page)  # not the exempt decision
    first = page.select("ol li")[0]
    assert first.find("a")["href"] == "/reports/1/#p3"
    assert "Papers" in text(first) and "1 May 2021" in text(first)
    assert first.find("mark")
    assert first.find("b") is None  # the body's markup never obeyed
    kinds = [text(a) for a in page.select("nav[aria-labelledby=search-kinds-heading] a")]
    assert kinds == ["Papers (1)", "Awards (1)"] or sorted(kinds) == ["Awards (1)", "Papers (1)"]
    feed = page.find("link", rel="alternate", type="application/atom+xml")
    assert feed["href"] == "/search/feed/?q=burglary"


def test_a_panel_member_finds_the_exempt_entry_too(client, make_user, entries):
    client.force_login(make_user("panel member"))
    page = soup(client.get("/search/", {"q": "burglary"}))
    assert "3 results" in text(page)
    assert "Exempt (Part II)" in text(page)


def test_filters_narrow_the_results(client, entries):
    assert "1 result for" in text(soup(client.get("/search/", {"q": "burglary", "kind": "award"})))
    assert "1 result for" in text(soup(client.get("/search/", {"q": "burglary", "year": "2021"})))
    assert "1 result for" in text(soup(client.get("/search/", {"q": "burglary", "priority": 4})))


def test_no_results_says_so_and_offers_a_way_on(client, entries):
    page = text(soup(client.get("/search/", {"q": "zebra"})))
    assert "0 results" in page and "Nothing you may see matches “zebra”" in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "burglary", "page": "abc"},
        {"q": "burglary", "page": "-4"},
        {"q": "burglary", "page": "99999999999"},
        {"q": "burglary", "kind": "nonsense"},
        {"q": "burglary", "year": "x"},
        {"q": "burglary", "priority": "x", "area": "[]"},
        {"q": "burglary " * 600},
        {"q": '"'},
        {"q": "NEAR("},
    ],
)
def test_bad_parameters_are_ignored_never_an_error(client, entries, params):
    response = client.get("/search/", params)
    assert response.status_code == 200


def test_a_long_search_says_it_was_shortened(client, entries):
    assert "Only the first 200 characters" in text(soup(client.get("/search/", {"q": "a" * 5000})))


def test_the_search_page_runs_the_same_queries_over_ten_times_the_entries(
    client, django_assert_max_num_queries
):
    for n in range(3):
        make_entry(title=f"Burglary {n}")
    with django_assert_max_num_queries(12) as first:
        client.get("/search/", {"q": "burglary"})
    for n in range(30):
        make_entry(title=f"Burglary more {n}", date="2021-01-01")
    with django_assert_max_num_queries(len(first)):
        client.get("/search/", {"q": "burglary", "page": 2})


def test_the_feed_is_atom_of_what_anyone_may_find(client, entries):
    make_entry(kind="organisation", title="Burglary Watch", url="/o/1/")  # no date: not new
    response = client.get("/search/feed/", {"q": "burglary"})
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Street lighting", "Burglary in Preston"]  # newest first
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    # Each entry says what it is as its category: a reader can sort them.
    assert [[tag.term for tag in e.tags] for e in parsed.entries] == [["Awards"], ["Papers"]]
    assert parsed.feed.title.startswith("Search results for “burglary”")
    assert [e.link for e in parsed.entries] == [
        "http://testserver/a/1/",
        "http://testserver/reports/1/#p3",
    ]
    assert "Estate sale" not in response.content.decode()
    assert all(e.find(f"{ATOM}updated") is not None for e in root.findall(f"{ATOM}entry"))


def test_the_feed_of_no_words_is_empty_and_valid(client):
    response = client.get("/search/feed/", {"q": '"'})
    assert response.status_code == 200
    assert ET.fromstring(response.content).findall(f"{ATOM}entry") == []
