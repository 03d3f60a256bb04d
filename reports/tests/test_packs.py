"""The agenda reports pack: one tagged document per audience, its pages numbered through, its
contents' page numbers those of the layout, stored when a paper is published or withdrawn."""

import re
from io import BytesIO

import pikepdf
import pytest
from django.test import TestCase
from pypdf import PdfReader

from reports.models import Pack
from reports.packs import pack_document, pack_entries, pack_render_all, pdf_tag_fix
from reports.services import report_publish, report_withdraw
from reports.tests.factories import add_section, make_report, publish
from scrutiny.models import AgendaItem, PanelMember
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text

LONG = "\n\n".join(f"Paragraph {n} of the long paper, saying something worth saying." * 6
                   for n in range(1, 40))  # fmt: skip


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def meeting(db, media, make_user):
    """Items 1-2 standard, 3 and 4 with papers (4's long), 5 Part II with an exempt paper; a
    chair, a vice-chair and an independent member in office, one member whose term had ended."""
    meeting = make_panel_meeting("2021-03-08")
    for name, council, role, start, end in (
        ("Member C", "Chorley", "member", "2018-06-01", None),
        ("Member A", "Preston", "chair", "2018-06-01", None),
        ("Member B", "South Ribble", "vice_chair", "2018-06-01", None),
        ("Member P", "", "member", "2019-06-01", None),
        ("Member Z", "Burnley", "member", "2016-06-01", "2020-05-31"),
    ):
        PanelMember.objects.create(name=name, council=council, role=role, term_start=start,
                                   term_end=end, published=True)  # fmt: skip
    # Added by staff and not yet approved: never on the cover.
    PanelMember.objects.create(name="Member W", council="Wyre", term_start="2018-06-01")
    approver = make_user("approver")
    AgendaItem.objects.create(meeting=meeting, position=1, title="Apologies for absence")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Declarations of interest")
    items = [
        AgendaItem.objects.create(meeting=meeting, position=3, title="Funding", kind="paper"),
        AgendaItem.objects.create(meeting=meeting, position=4, title="Performance", kind="paper"),
        AgendaItem.objects.create(
            meeting=meeting, position=1, title="Contract award", is_exempt=True, exempt_paragraph=3
        ),
    ]
    bodies = ["Funding secured.\n\n## Grants\n\nSee [paragraph 1](#p1).", LONG, "Confidential."]
    papers = []
    for order, (item, body) in enumerate(zip(items, bodies, strict=True), start=1):
        paper = make_report(meeting, title=f"{item.title} report", agenda_item=item,
                            agenda_order=order, is_exempt=item.is_exempt)  # fmt: skip
        add_section(paper, body=body)
        papers.append(paper)
    with TestCase.captureOnCommitCallbacks(execute=True):  # published together: one pack
        for paper in papers:
            report_publish(report=paper, user=approver, render_pack=False)
    pack_render_all.enqueue(meeting.pk)
    return {"meeting": meeting, "papers": papers, "approver": approver}


def pack_of(meeting, audience) -> Pack:
    return Pack.objects.filter(meeting=meeting, audience=audience).order_by("-number").first()


def struct_elements(node, found):
    if isinstance(node, pikepdf.Array):
        for child in node:
            struct_elements(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append(node)
        if "/K" in node:
            struct_elements(node.K, found)
    return found


@pytest.mark.parametrize("audience", ["public", "members"])
def test_the_pack_is_one_tagged_document_numbered_through(meeting, audience):
    pack = pack_of(meeting["meeting"], audience)
    data = pack.pdf.open("rb").read()
    reader = PdfReader(BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    assert pack.page_count == len(pages) > 4

    # Page numbers run through the whole pack.
    for number, page_text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page_text

    # The contents' page for each item is the page its paper starts on (its title there).
    starts = {entry["number"]: entry["page"] for entry in pack.contents}
    expected = {1: None, 2: None, 3: starts[3], 4: starts[4]}
    if audience == "members":
        expected[5] = starts[5]
    assert set(starts) == set(expected)
    contents = pages[1]
    for entry in pack.contents:
        if entry["page"] is None:
            assert re.search(rf"{entry['number']}\s*{entry['title']}\s*No paper", contents)
            continue
        paper_title = entry["papers"][0]["title"]
        assert re.search(rf"{entry['title']}\s*{entry['page']}\b", contents), entry
        assert paper_title in pages[entry["page"] - 1]
        assert paper_title not in pages[entry["page"] - 2]
    assert starts[4] - starts[3] >= 1 and pack.page_count > starts[4]

    # Part II only for members, after the resolution to exclude the press and public.
    whole = " ".join(pages)
    assert ("Contract award report" in whole) == (audience == "members")
    assert ("Resolution to exclude the press and public" in whole) == (audience == "members")

    # Named destinations: every paper's paragraphs, prefixed by its item.
    dests = set(reader.named_destinations)
    assert {"item3", "item3-p1", "item4", "item4-p1", "item4-p39"} <= dests
    assert ("item5-p1" in dests) == (audience == "members")
    assert not any(re.fullmatch(r"p\d+", name) for name in dests)

    # Bookmarks nest item > paper > heading.
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert "Item 3: Funding" in titles
    funding = outline[outline.index(next(i for i in outline if getattr(i, "title", "") ==
                                         "Item 3: Funding")) + 1]  # fmt: skip
    assert funding[0].title == "Funding report"
    assert "Grants" in [item.title for item in funding[1] if not isinstance(item, list)]

    # Tagged: structure tree, language, title shown, table header scopes, footers artifacts.
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang).lower().startswith("en")
        assert "Agenda reports pack" in str(pdf.docinfo.get("/Title", "")) or "Agenda" in str(
            pdf.open_metadata().get("dc:title", "")
        )
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert root.MarkInfo.Marked is True
        headers = [e for e in struct_elements(root.StructTreeRoot.K, []) if e.S == "/TH"]
        assert headers and all("/Scope" in e.get("/A", {}) for e in headers)
        first_page = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(pdf.pages[2]))
        assert b"/Artifact" in first_page


@pytest.mark.parametrize("audience", ["public", "members"])
def test_the_cover_lists_the_members_in_office_on_the_meeting_s_date(meeting, audience):
    reader = PdfReader(pack_of(meeting["meeting"], audience).pdf.open("rb"))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Membership of the panel on 8 March 2021" in cover
    assert "Name Role Council" in cover
    # In membership order: chair, vice-chair, then members by name; each with their council.
    in_order = (r"Member A Chair Preston Member B Vice-chair South Ribble Member C Member Chorley "
                r"Member P Member Independent member")  # fmt: skip
    assert re.search(in_order, cover)
    assert "Member Z" not in cover and "Burnley" not in cover
    assert "Member W" not in cover  # waiting for an approver
    assert "Page 1 of" in cover


def test_the_cover_says_when_no_membership_is_recorded(meeting):
    PanelMember.objects.all().delete()
    html = pack_document(meeting["meeting"], [], "public")
    assert "Membership not recorded" in " ".join(html.split())
    assert "pack-membership" not in html.replace("pack-membership-missing", "")


def test_the_cover_takes_one_query_however_many_members(meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entries = pack_entries(meeting["meeting"], "members")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            pack_document(meeting["meeting"], entries, "members")
        return len(captured)

    few = queries()
    for n in range(10):
        PanelMember.objects.create(name=f"Extra member {n}", council="Wyre",
                                   term_start="2019-06-01", published=True)  # fmt: skip
    assert queries() == few


def test_the_pack_links_within_the_paper_keep_to_its_own_paragraphs(meeting):
    reader = PdfReader(pack_of(meeting["meeting"], "public").pdf.open("rb"))
    assert "item3-p1" in reader.named_destinations


def test_a_paper_published_later_makes_a_supplement_the_meeting_page_names(meeting, client):
    first = pack_of(meeting["meeting"], "public")
    assert first.number == 1 and first.label == "Agenda reports pack"
    late_item = AgendaItem.objects.create(
        meeting=meeting["meeting"], position=6, title="Estates", kind="paper"
    )
    late = make_report(meeting["meeting"], title="Estates report", agenda_item=late_item)
    add_section(late, body="The estates strategy.")
    publish(late, meeting["approver"])
    supplement = pack_of(meeting["meeting"], "public")
    assert supplement.number == 2 and supplement.label == "Supplement 1"
    assert supplement.changes == "item 5 added"
    assert "Estates report" in " ".join(
        page.extract_text() for page in PdfReader(supplement.pdf.open("rb")).pages
    )
    main = text(soup(client.get("/scrutiny/panel/2021-03-08/")).main)
    date = f"{supplement.created_at:%-d %B %Y}"
    assert f"Supplement 1, published {date}: item 5 added" in main
    assert f"PDF, {supplement.page_count} pages" in main
    earlier = client.get("/scrutiny/panel/2021-03-08/pack-1.pdf")
    assert earlier.status_code == 200
    assert b"".join(earlier.streaming_content) == first.pdf.open("rb").read()
    latest = client.get("/scrutiny/panel/2021-03-08/pack.pdf")
    assert b"".join(latest.streaming_content) == supplement.pdf.open("rb").read()


def test_withdrawing_a_paper_makes_a_pack_without_it(meeting):
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_withdraw(report=meeting["papers"][0], user=meeting["approver"])
    pack = pack_of(meeting["meeting"], "public")
    assert pack.number == 2 and pack.changes == "item 3 withdrawn"
    assert [e["page"] for e in pack.contents if e["number"] == 3] == [None]


def test_publishing_an_exempt_paper_leaves_the_public_pack_alone(meeting):
    assert Pack.objects.filter(meeting=meeting["meeting"], audience="public").count() == 1
    assert Pack.objects.filter(meeting=meeting["meeting"], audience="members").count() == 1


def test_the_meeting_page_gives_each_item_s_start_page_from_the_stored_pack(meeting, client_for):
    for role, audience in (("anonymous", "public"), ("panel member", "members")):
        pack = pack_of(meeting["meeting"], audience)
        page = soup(client_for(role).get("/scrutiny/panel/2021-03-08/"))
        table = page.find("caption", string="Where each item starts in the pack").parent
        rows = [[c.get_text(strip=True) for c in tr.find_all("td")] for tr in table.tbody("tr")]
        assert rows == [
            [str(e["number"]), e["title"], str(e["page"]) if e["page"] else "No paper"]
            for e in pack.contents
        ]


@pytest.mark.parametrize(("role", "audience"), [("anonymous", "public"),
                                                ("panel member", "members")])  # fmt: skip
def test_the_pack_is_served_from_storage_for_the_reader_s_audience(meeting, client_for, role,
                                                                   audience):  # fmt: skip
    pack = pack_of(meeting["meeting"], audience)
    response = client_for(role).get("/scrutiny/panel/2021-03-08/pack.pdf")
    assert response.status_code == 200 and response["ETag"] == f'"{pack.sha256}"'
    assert b"".join(response.streaming_content) == pack.pdf.open("rb").read()


def test_with_no_pack_stored_the_reader_is_told_not_waited_on(db, media, client):
    make_panel_meeting("2021-03-08")
    response = client.get("/scrutiny/panel/2021-03-08/pack.pdf")
    assert response.status_code == 404
    assert "No agenda reports pack has been made for this meeting yet" in text(soup(response).main)
    assert client.get("/scrutiny/panel/2021-03-08/pack-3.pdf").status_code == 404


def test_tag_fix_leaves_a_pdf_without_running_headers_valid():
    from weasyprint import HTML

    pdf = HTML(string="<html lang='en'><title>T</title><p>x</p></html>").write_pdf(
        pdf_variant="pdf/ua-1"
    )
    assert PdfReader(BytesIO(pdf_tag_fix(pdf))).pages[0].extract_text().strip() == "x"


def test_the_meeting_page_runs_the_same_queries_with_ten_packs_as_with_one(meeting, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/scrutiny/panel/2021-03-08/").status_code == 200
        return len(captured)

    one = queries()
    first = pack_of(meeting["meeting"], "public")
    for number in range(2, 11):
        Pack.objects.create(meeting=meeting["meeting"], audience="public", number=number,
                            pdf=first.pdf.name, sha256=first.sha256, contents=first.contents,
                            changes=f"item {number} added")  # fmt: skip
    assert queries() == one
    main = text(soup(client.get("/scrutiny/panel/2021-03-08/")).main)
    assert "Supplement 9" in main and "Supplement 1," in main
