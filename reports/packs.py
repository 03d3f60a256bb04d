"""The agenda reports pack of a panel meeting, and the Police and Crime Plan, as PDFs.

A pack is one document laid out by WeasyPrint from the stored HTML of the meeting's published
papers: a cover, the agenda as contents (each item's start page computed by the layout), then
each item's papers, the page numbers running through the whole pack. It is made for two
audiences (the public, without Part II items; panel members and staff, with them after the
resolution to exclude the press and public), whenever a paper of the meeting is published or
withdrawn, and stored with its SHA-256: a reader downloads the stored file, never waits for one.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pcc_portal.background import background_task
from pcc_portal.models import OfficeProfile
from pcc_portal.sequences import next_number
from reports.models import Pack, Publication, Report
from reports.rendering import write_pdf
from scrutiny.models import AgendaItem, PanelMeeting, PanelMember

logger = logging.getLogger(__name__)

Audience = Pack.Audience


@dataclass
class PackPaper:
    report: Report
    publication: Publication
    anchor: str
    html: str = ""
    page: int | None = None


@dataclass
class PackEntry:
    """One line of the contents: an agenda item (or, with no number, a paper on no item)."""

    number: int | None
    title: str
    anchor: str
    exempt: bool = False
    papers: list[PackPaper] = field(default_factory=list)
    page: int | None = None


def _latest_publications(papers) -> list[tuple[Report, Publication]]:
    result = []
    for paper in papers:
        latest = max(paper.publications.all(), key=lambda p: p.revision, default=None)
        if latest is not None:
            result.append((paper, latest))
    return result


_ANCHOR = re.compile(r'(id="|href="#)(p\d+)"')
_HEADING = re.compile(r"<(/?)h([1-5])\b")


def _paper_html(html: str, prefix: str) -> str:
    """A paper's stored HTML inside the pack: its paragraph anchors prefixed so they are unique
    in the pack (`item5-p12`), and its headings one level down, under the item's."""
    html = _ANCHOR.sub(lambda m: f'{m.group(1)}{prefix}-{m.group(2)}"', html)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def pack_entries(meeting: PanelMeeting, audience: str) -> list[PackEntry]:
    """The agenda as the audience may see it, each item with its published papers: open items,
    then (for members) the Part II items; papers on no item last among the open ones."""
    items = list(AgendaItem.objects.filter(meeting=meeting).in_agenda_order())
    papers = Report.objects.published().filter(panel_meeting=meeting)
    if audience == Audience.PUBLIC:
        papers = papers.filter(is_exempt=False).exclude(agenda_item__is_exempt=True)
    papers = _latest_publications(
        papers.prefetch_related("publications").order_by("agenda_order", "pk")
    )
    by_item: dict[int | None, list] = {}
    for paper, publication in papers:
        by_item.setdefault(paper.agenda_item_id, []).append((paper, publication))
    entries, unfiled = [], []
    for number, item in enumerate(items, start=1):
        if item.is_exempt and audience == Audience.PUBLIC:
            continue
        entry = PackEntry(number, item.title, f"item{number}", exempt=item.is_exempt)
        for index, (paper, publication) in enumerate(by_item.pop(item.pk, []), start=1):
            anchor = entry.anchor if index == 1 else f"{entry.anchor}-{index}"
            entry.papers.append(PackPaper(paper, publication, anchor))
        entries.append(entry)
    for paper, publication in (pair for pairs in by_item.values() for pair in pairs):
        anchor = f"paper{paper.pk}"
        entry = PackEntry(None, paper.title, anchor, exempt=paper.is_exempt)
        entry.papers.append(PackPaper(paper, publication, anchor))
        unfiled.append(entry)
    open_entries = [e for e in entries if not e.exempt] + [e for e in unfiled if not e.exempt]
    exempt_entries = [e for e in entries if e.exempt] + [e for e in unfiled if e.exempt]
    for entry in open_entries + exempt_entries:
        for paper in entry.papers:
            paper.html = mark_safe(_paper_html(paper.publication.html, paper.anchor))
    return open_entries + exempt_entries


def pack_document(meeting: PanelMeeting, entries: list[PackEntry], audience: str) -> str:
    """The pack's HTML: the cover (with the published members in office on the meeting's
    date, in one query), the agenda as contents, then the items' papers."""
    membership = PanelMember.objects.published().in_office_on(meeting.date).in_membership_order()
    return render_to_string(
        "reports/pack_document.html",
        {
            "meeting": meeting,
            "office": OfficeProfile.load(),
            "membership": list(membership),
            "open_entries": [e for e in entries if not e.exempt],
            "exempt_entries": [e for e in entries if e.exempt],
            "members": audience == Audience.MEMBERS,
        },
    )


def pack_pdf(meeting: PanelMeeting, audience: str) -> tuple[bytes, int, list[PackEntry]]:
    """The pack as it would be rendered now: the PDF, its page count and its contents."""
    entries = pack_entries(meeting, audience)
    pdf, page_count = _render(pack_document(meeting, entries, audience), entries)
    return pdf, page_count, entries


def _render(document_html: str, entries: list[PackEntry]) -> tuple[bytes, int]:
    """Lays the pack out once, reads each entry's and paper's first page from the layout (the
    same numbers the contents shows, which CSS `target-counter` computes), writes the PDF and
    tags what WeasyPrint leaves untagged. Returns the PDF and its page count."""
    from weasyprint import HTML

    from reports.fetcher import PortalURLFetcher

    html = HTML(string=document_html, base_url="file:///", url_fetcher=PortalURLFetcher())
    document = html.render()
    pages = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    for entry in entries:
        for paper in entry.papers:
            paper.page = pages.get(paper.anchor)
        entry.page = entry.papers[0].page if entry.papers else None
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf_tag_fix(pdf), len(document.pages)


def pdf_tag_fix(pdf: bytes) -> bytes:
    """What WeasyPrint leaves out of a tagged PDF: marked content that no structure element
    holds (the running headers and footers) becomes a pagination artifact, and each table
    header cell gets a scope (a column's in a table head, else its row's)."""
    import pikepdf

    with pikepdf.open(BytesIO(pdf)) as document:
        root = document.Root
        held: set[tuple[tuple[int, int], int]] = set()
        _collect(root.StructTreeRoot.get("/K"), None, held)
        for page in document.pages:
            _artifacts(document, page, held)
        out = BytesIO()
        document.save(out)
    return out.getvalue()


def _collect(node, page, held, in_head=False) -> None:
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for child in node:
            _collect(child, page, held, in_head)
        return
    if isinstance(node, int):
        if page is not None:
            held.add((page.objgen, node))
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    page = node.get("/Pg", page)
    if node.get("/Type") == "/MCR":
        if page is not None and "/MCID" in node:
            held.add((page.objgen, int(node.MCID)))
        return
    kind = node.get("/S")
    if kind == "/THead":
        in_head = True
    elif kind == "/TH":
        attributes = node.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
            node.A = attributes
        if "/Scope" not in attributes:
            attributes.Scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row
    if "/K" in node:
        _collect(node.K, page, held, in_head)


def _artifacts(document, page, held) -> None:
    import pikepdf

    changed = False
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(page):
        properties = operands[1] if str(operator) == "BDC" and len(operands) == 2 else None
        held_here = isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
        if held_here and (page.obj.objgen, int(properties.MCID)) not in held:
            operands = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
            changed = True
        instructions.append((operands, operator))
    if changed:
        page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))


def _changes(previous: Pack | None, entries: list[PackEntry]) -> str:
    """What the pack adds, revises or no longer holds since the previous one, in words."""
    if previous is None:
        return ""
    before = dict(previous.papers)
    where_before = {
        paper["report"]: entry["label"] for entry in previous.contents for paper in entry["papers"]
    }
    now = {}
    lines = []
    for entry in entries:
        label = f"item {entry.number}" if entry.number else entry.title
        for paper in entry.papers:
            now[paper.report.pk] = paper.publication.revision
            if paper.report.pk not in before:
                lines.append(f"{label} added")
            elif before[paper.report.pk] != paper.publication.revision:
                lines.append(f"{label} revised")
    lines += [
        f"{where_before.get(report, 'a paper')} withdrawn" for report in before if report not in now
    ]
    return "; ".join(dict.fromkeys(lines))


def pack_render(meeting: PanelMeeting, audience: str) -> Pack | None:
    """Renders and stores the meeting's pack for the audience if its papers changed since the
    last one (None if nothing changed, or nothing was ever published)."""
    if not meeting.published:
        return None
    entries = pack_entries(meeting, audience)
    papers = [[p.report.pk, p.publication.revision] for e in entries for p in e.papers]
    previous = Pack.objects.filter(meeting=meeting, audience=audience).order_by("-number").first()
    if (previous is None and not papers) or (previous is not None and previous.papers == papers):
        return None
    pdf, page_count = _render(pack_document(meeting, entries, audience), entries)
    sha256 = hashlib.sha256(pdf).hexdigest()
    number = next_number(Pack.objects.filter(meeting=meeting, audience=audience), "number")
    pack = Pack(
        meeting=meeting,
        audience=audience,
        number=number,
        sha256=sha256,
        pdf_size=len(pdf),
        page_count=page_count,
        changes=_changes(previous, entries),
        papers=papers,
        contents=[
            {
                "number": e.number,
                "label": f"item {e.number}" if e.number else e.title,
                "title": e.title,
                "exempt": e.exempt,
                "page": e.page,
                "papers": [
                    {"report": p.report.pk, "title": p.report.title, "page": p.page}
                    for p in e.papers
                ],
            }
            for e in entries
        ],
    )
    name = f"packs/{meeting.date.isoformat()}/{audience}-{number}-{sha256[:16]}.pdf"
    storage = Pack._meta.get_field("pdf").storage
    pack.pdf = storage.save(name, ContentFile(pdf))
    try:
        with transaction.atomic():
            pack.save()
    except IntegrityError:  # another render stored this number first
        storage.delete(pack.pdf.name)
        return None
    return pack


@background_task
def pack_render_all(meeting_id: int) -> int:
    """Renders the meeting's packs whose papers changed; returns how many were stored."""
    meeting = PanelMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    return sum(pack_render(meeting, audience) is not None for audience in Audience.values)


def packs_enqueue(meeting_id: int) -> None:
    """Renders the meeting's packs once the transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: pack_render_all.enqueue(meeting_id), robust=True)


def plan_pdf(plan) -> bytes:
    """The Police and Crime Plan from the plan's own data: priorities, commitments, measures."""
    priorities = plan.priorities.order_by("kind", "order").prefetch_related(
        "commitments", "measures"
    )
    context = {"plan": plan, "priorities": list(priorities), "office": OfficeProfile.load()}
    return write_pdf(render_to_string("reports/plan_document.html", context))
