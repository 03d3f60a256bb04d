"""The agenda reports pack of a panel meeting, and the Police and Crime Plan, as PDFs."""

from io import BytesIO

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter

from pcc_portal.models import OfficeProfile
from reports.models import Report
from reports.rendering import write_pdf


def pack_papers(meeting, user) -> list[tuple[Report, object]]:
    """The meeting's published papers the user may see, in agenda order, with their revision."""
    papers = (
        Report.objects.visible_to(user).published().filter(panel_meeting=meeting)
        .prefetch_related("publications").order_by("agenda_order", "pk")
    )  # fmt: skip
    result = []
    for paper in papers:
        latest = max(paper.publications.all(), key=lambda p: p.revision, default=None)
        if latest is not None:
            result.append((paper, latest))
    return result


def _front_matter(meeting, entries) -> bytes:
    context = {"meeting": meeting, "office": OfficeProfile.load(), "entries": entries}
    return write_pdf(render_to_string("reports/pack_front.html", context))


def agenda_pack(meeting, user) -> bytes:
    """A cover, a contents page with each paper's first page, then every paper, bookmarked."""
    papers = pack_papers(meeting, user)
    readers = [(paper, PdfReader(publication.pdf.open("rb"))) for paper, publication in papers]
    # The front matter's length decides where the papers start: render it once to count.
    entries = [{"title": paper.title, "page": 0} for paper, _ in readers]
    front_pages = len(PdfReader(BytesIO(_front_matter(meeting, entries))).pages)
    page = front_pages + 1
    for entry, (_, reader) in zip(entries, readers, strict=True):
        entry["page"] = page
        page += len(reader.pages)
    front = PdfReader(BytesIO(_front_matter(meeting, entries)))

    writer = PdfWriter()
    for front_page in front.pages:
        writer.add_page(front_page)
    writer.add_outline_item("Agenda reports pack", 0)
    for entry, (_, reader) in zip(entries, readers, strict=True):
        start = len(writer.pages)
        for paper_page in reader.pages:
            writer.add_page(paper_page)
        writer.add_outline_item(entry["title"], start)
    writer.add_metadata(
        {"/Title": f"Agenda reports pack: {meeting}", "/Author": OfficeProfile.load().office_name}
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def plan_pdf(plan) -> bytes:
    """The Police and Crime Plan from the plan's own data: priorities, commitments, measures."""
    priorities = plan.priorities.order_by("kind", "order").prefetch_related(
        "commitments", "measures"
    )
    context = {"plan": plan, "priorities": list(priorities), "office": OfficeProfile.load()}
    return write_pdf(render_to_string("reports/plan_document.html", context))
