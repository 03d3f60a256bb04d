"""Papers rendered: numbering, computed tables, the PDF's text, structure and safety."""

import re
import socket
from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pypdf import PdfReader

from reports import rendering
from reports.fetcher import FetchRefused, PortalURLFetcher
from reports.models import Report
from reports.tests.factories import add_section, make_report

FIXTURES = ["010_office_profile", "020_areas_lancashire", "025_reporting_periods",
            "030_plan_lancashire_2021_2025", "040_scrutiny_lancashire", "050_funding_lancashire",
            "060_reports_lancashire"]  # fmt: skip
# What the demo fixtures (9*.json) name besides: the duties their documents are for.
DEMO_NEEDS = ["080_duties_specified_information_order"]


@pytest.fixture
def lancashire(db):
    for name in FIXTURES:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)


def fragment(report) -> BeautifulSoup:
    return BeautifulSoup(rendering.paper_fragment(rendering.paper_context(report)), "html.parser")


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)


def test_paragraphs_are_numbered_through_the_whole_paper_but_not_headings_lists_or_tables(db):
    report = make_report()
    add_section(report, body="One.\n\nTwo.\n\n## A heading\n\n* a bullet")
    add_section(report, kind="funding_table", params={"direction": "incoming"}, body="Three.")
    add_section(report, body="Four.\n\nFive.")
    add_section(report, kind="appendix", heading="Data", body="Not numbered.")
    page = fragment(report)
    numbered = [(p["id"], p.find(class_="paper-para__number").text) for p in page.select("p[id]")]
    assert numbered == [(f"p{n}", f"{n}.") for n in range(1, 6)]
    assert page.find("h2", string="A heading").find(class_="paper-para__number") is None
    appendix = page.find("h2", string="Appendix A: Data")
    assert appendix is not None and appendix.find_next("p").get("id") is None


def test_the_8_march_2021_paper_computes_its_funding_table_with_both_isva_years(lancashire):
    report = Report.objects.get(pk=2)
    page = fragment(report)
    # Under its heading, the caption says what else the table is, not the heading again.
    table = page.find("h2", string="External funding secured").find_next("table")
    assert table.caption.get_text(strip=True) == "The awards made by 8 March 2021, and their total"
    # the seed's rows add up to £5,568,897 with one year of the two-year ISVA grant (£197,397)
    assert table.tfoot.get_text(" ", strip=True) == "Total £5,766,294"
    assert len(table.tbody.find_all("tr")) == 10
    # The total row's header is one cell, so each cell has one column heading and one row
    # heading: the amount is read as "Total, Amount" in the paper and its PDF alike.
    total = table.tfoot.tr.find_all(["th", "td"])
    assert [(c.name, c.get("scope"), c.get("colspan")) for c in total] == [
        ("th", "row", None),
        ("td", None, None),
        ("td", None, None),
    ]
    assert not table.select("th[colspan], th[rowspan]")
    assert "This report covers Quarter 3 2020/21 (1 October to 31 December 2020)." in page.text


def test_the_pdf_holds_the_title_meeting_date_numbered_paragraphs_and_total(lancashire):
    pdf = rendering.render_paper_pdf(Report.objects.get(pk=2))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in ("Police & Crime Plan Performance Monitoring Report",
                     "Meeting to be held on 8 March 2021", "£5,766,294", "Page 1 of",
                     "Appendix A: Performance data"):  # fmt: skip
        assert expected in text, expected
    # Every paragraph's number, each once and in order (a "2021." in a sentence is not one).
    numbers = [int(n) for n in re.findall(r"(?<![\d,.£/])(\d{1,3})\. ", text)]
    paragraphs = rendering.paper_context(Report.objects.get(pk=2))["paragraph_count"]
    assert paragraphs >= 5
    assert numbers == list(range(1, paragraphs + 1))


def test_the_pdf_is_tagged_with_a_title_and_a_language(lancashire):
    reader = PdfReader(BytesIO(rendering.render_paper_pdf(Report.objects.get(pk=3))))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower().startswith("en")
    assert "Police & Crime Commissioner's update" in reader.metadata.title
    assert reader.outline, "headings become PDF bookmarks"


def test_a_draft_pdf_says_draft(db):
    report = make_report()
    add_section(report, body="Text.")
    assert "DRAFT" in pdf_text(rendering.render_paper_pdf(report, draft=True))


def test_dangerous_content_is_dropped_and_nothing_is_fetched(db, monkeypatch):
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: connections.append(a))
    report = make_report(executive_summary="Summary [click](javascript:alert(1))")
    add_section(report, body=(
        '<img src="http://127.0.0.1:9/x.png"> <iframe src="https://example.com/"></iframe> '
        '<script>alert(1)</script>\n\n![remote](http://127.0.0.1:9/y.png)\n\n'
        '<link rel="stylesheet" href="http://127.0.0.1:9/z.css">'
    ))  # fmt: skip
    page = fragment(report)
    assert page.find(["img", "iframe", "script", "link"]) is None
    assert all("javascript:" not in (a.get("href") or "") for a in page.find_all("a"))
    pdf = rendering.render_paper_pdf(report)
    assert pdf.startswith(b"%PDF")
    assert connections == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/x.png", "https://example.com/a.css", "ftp://example.com/x",
     "file:///etc/passwd", "file:///static/../../../../etc/passwd", "file://evil.example/x.png",
     "data:image/png;base64," + "A" * 70000],
)  # fmt: skip
def test_the_url_fetcher_refuses_anything_but_the_portals_own_files(url, monkeypatch):
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: connections.append(a))
    with pytest.raises(FetchRefused):
        PortalURLFetcher().fetch(url)
    assert connections == []


def test_the_url_fetcher_serves_the_portals_stylesheet():
    response = PortalURLFetcher().fetch("file:///static/css/paper.css")
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


def test_the_url_fetcher_reads_media_through_the_file_storage(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("logos/crest.svg", ContentFile(b"<svg/>"))
    response = PortalURLFetcher().fetch(f"file:///media/{name}")
    try:
        assert response.read() == b"<svg/>"
    finally:
        response.close()
    for missing in ("file:///media/logos/none.svg", "file:///media/../logos/crest.svg",
                    f"file://{tmp_path}/{name}"):  # fmt: skip
        with pytest.raises(FetchRefused):
            PortalURLFetcher().fetch(missing)


def test_a_section_naming_a_deleted_fund_is_an_error_not_a_broken_pdf(lancashire):
    from funding.models import Fund

    report = Report.objects.get(pk=2)
    Fund.objects.filter(slug="street-pastors-fund").update(slug="renamed")
    from reports.services import publish_problems

    assert any("street-pastors-fund" in problem for problem in publish_problems(report))


def test_the_real_papers_carry_no_illustrative_demo_data(db):
    """The papers of the seeds (fixtures/0*.json) print the same with the illustrative demo
    fixtures (9*.json: ratings, targets, actions, a February 2021 meeting) loaded as without:
    the paper of 12 October 2021 attached the Constabulary's data (its Appendix A), not ratings."""
    for name in FIXTURES + DEMO_NEEDS:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    real = {pk: fragment(Report.objects.get(pk=pk)).get_text(" ", strip=True) for pk in (1, 2, 3)}
    demo = sorted(p.stem for p in (Path(settings.BASE_DIR) / "fixtures").glob("9*.json"))
    for username in ("staff", "approver"):  # the demo's leads name its accounts
        get_user_model().objects.create_user(username)
    for name in demo:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    for pk, before in real.items():
        after = fragment(Report.objects.get(pk=pk)).get_text(" ", strip=True)
        assert after == before, pk
        assert "Illustrative" not in after and "illustrative" not in after
    october = real[3]
    for rating in ("Red", "Amber", "Green", "Not rated"):
        assert rating not in october.split()
    assert "Appendix A: Performance data" in october
    assert not Report.objects.get(pk=3).sections.filter(kind="outcome_measures").exists()
