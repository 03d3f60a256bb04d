"""A reader of a published paper in a real browser: the page and its PDF are served from their
stored files, each with its SHA-256 as a strong ETag, and a reader whose copy is current gets a
304. Signed in, a panel member gets the page made for them. Page loads are counted."""

import hashlib

import pytest
from playwright.sync_api import expect

from e2e.axe import serious_violations
from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

# The papers list and the paper.
MAX_LOADS = 2


def test_a_reader_gets_the_published_paper_as_a_file_would_be_served(open_as, shots):
    reader = open_as(None)
    traffic = count_traffic(reader)
    reader.goto("/reports/")
    with reader.expect_response(lambda r: r.url.endswith("/reports/2/")) as answer:
        reader.get_by_role("link", name="Performance Monitoring Report").first.click()
    page = answer.value
    expect(reader.locator("h1")).to_contain_text("Performance Monitoring Report")
    etag = page.headers["etag"]
    assert etag == f'"{hashlib.sha256(page.body()).hexdigest()}"'
    assert page.headers["cache-control"] == "public, max-age=3600"
    assert "last-modified" in page.headers
    assert serious_violations(reader) == []
    shots(reader, "paper")
    assert len(traffic["loads"]) <= MAX_LOADS, traffic["loads"]

    # Coming back with the copy in hand costs a 304 and no bytes.
    again = reader.request.get("/reports/2/", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body() == b""

    # The PDF, as the "Download as PDF" link gives it: its SHA-256 is its ETag.
    pdf_url = reader.get_by_role("link", name="Download as PDF").get_attribute("href")
    pdf = reader.request.get(pdf_url)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["etag"] == f'"{hashlib.sha256(pdf.body()).hexdigest()}"'

    # At 320 px the stored page reads without scrolling sideways.
    reader.set_viewport_size({"width": 320, "height": 800})
    reader.reload()
    assert not reader.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_signed_in_panel_member_gets_the_page_made_for_them(open_as):
    member = open_as("panel")
    response = member.goto("/reports/2/")
    assert "etag" not in response.headers
    assert "no-store" in response.headers["cache-control"]
    expect(member.locator("h1")).to_contain_text("Performance Monitoring Report")
