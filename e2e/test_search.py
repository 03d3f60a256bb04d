"""A reader's search in a real browser: from any page to the search, to the paragraph of the
paper that says it, to the search's feed, and to an email alert for it, confirmed from the
email. Page loads are counted."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.axe import serious_violations
from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

ATOM = "{http://www.w3.org/2005/Atom}"
# The home page, the search page, its results, the paper at its paragraph.
MAX_LOADS = 4


def test_a_reader_finds_the_paragraph_and_follows_the_search(open_as, shots):
    reader = open_as(None)
    traffic = count_traffic(reader)
    reader.goto("/")
    reader.get_by_role("navigation").get_by_role("link", name="Search", exact=True).first.click()
    expect(reader.locator("h1")).to_have_text("Search")
    reader.get_by_label("Search the portal").fill("pod working")
    reader.get_by_role("button", name="Search", exact=True).click()
    expect(reader.get_by_role("status")).to_contain_text("for “pod working”")
    result = reader.get_by_role("link", name="Paragraph 6")
    expect(result).to_contain_text("Performance Monitoring Report")
    # The snippet marks the words found, in words, not only in colour.
    expect(reader.locator("main mark").first).to_have_text("pod", ignore_case=True)
    assert serious_violations(reader) == []
    shots(reader, "results")
    result.click()
    assert reader.url.endswith("#p6"), reader.url
    expect(reader.locator("[id='p6']")).to_contain_text("pod working")
    assert len(traffic["loads"]) <= MAX_LOADS, traffic["loads"]

    # Following the search: its feed is Atom, and holds the paper.
    reader.go_back()
    feed_url = reader.get_by_role("link", name="Follow this search").get_attribute("href")
    response = reader.request.get(feed_url)
    assert response.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.body()).findall(f"{ATOM}entry")
    assert any("Paragraph 6" in e.find(f"{ATOM}title").text for e in entries)

    # An email alert for the search: the address, then the link in the email and a button.
    from django.core import mail

    from alerts.models import Alert

    reader.get_by_role("link", name="Get email alerts for this search").click()
    expect(reader.get_by_label("Words to search for")).to_have_value("pod working")
    reader.get_by_label("Email address").fill("resident@example.org")
    reader.get_by_label("Once a day, when there is something new").check()
    reader.get_by_role("button", name="Get email alerts").click()
    expect(reader.locator("main")).to_contain_text("We have sent an email")
    alert = Alert.objects.get(subscriber__email="resident@example.org")
    assert alert.query == "pod working" and alert.confirmed_at is None
    assert serious_violations(reader) == []
    (email,) = [m for m in mail.outbox if m.to == ["resident@example.org"]]
    link = re.search(r"https?://\S+/confirm/\d+/", email.body).group(0)
    reader.goto(urlsplit(link).path)
    reader.get_by_role("button", name="Confirm").click()
    alert.refresh_from_db()
    assert alert.confirmed_at is not None
    expect(reader.locator("main")).to_contain_text("pod working")
    assert serious_violations(reader) == []


def test_a_search_for_nothing_says_what_to_do(open_as):
    reader = open_as(None)
    reader.goto("/search/?q=zzzqqq")
    expect(reader.locator("main")).to_contain_text("0 results")
    reader.set_viewport_size({"width": 320, "height": 640})
    overflow = reader.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
