"""A paper as HTML and as an accessible PDF, from one template.

Paragraphs of text sections are numbered 1, 2, 3 ... through the whole paper (headings, lists
and tables are not), each with an anchor #pN, so the web page and the PDF agree.
"""

from dataclasses import dataclass, field
from string import ascii_uppercase

from django.template.loader import render_to_string

from pcc_portal.markdown import render_markdown, render_numbered_markdown
from pcc_portal.models import OfficeProfile
from reports.models import Report, ReportSection
from reports.sections import section_kind


@dataclass
class RenderedSection:
    section: ReportSection
    html: str = ""
    letter: str = ""
    template: str | None = None  # the kind's own part, after the section's text
    data: dict = field(default_factory=dict)


def paper_context(report: Report, *, draft: bool = False) -> dict:
    """Everything the paper template shows, with paragraph numbers and appendix letters, and
    the data sections that would show nothing (`empty_sections`), for the preview to warn."""
    number = 1
    body, appendices, warnings = [], [], []
    for section in report.sections.all():
        kind = section_kind(section.kind)
        rendered = RenderedSection(section)
        if kind.after_signature:
            rendered.letter = ascii_uppercase[len(appendices) % 26]
            rendered.html = render_markdown(section.body)
            appendices.append(rendered)
            continue
        rendered.html, number = render_numbered_markdown(section.body, number)
        rendered.template = kind.template
        rendered.data = kind.data(section, report)
        if empty := kind.shows_nothing(rendered.data):
            warnings.append(f"{section}: {empty}")
        body.append(rendered)
    return {
        "report": report,
        "office": OfficeProfile.load(),
        "meeting": report.panel_meeting,
        "agenda_item_number": report.agenda_item.number() if report.agenda_item_id else None,
        "period": report.period,
        "executive_summary": render_markdown(report.executive_summary),
        "recommendation": render_markdown(report.recommendation),
        "sections": body,
        "appendices": appendices,
        "draft": draft,
        "as_at": report.figures_as_at,
        "paragraph_count": number - 1,
        "empty_sections": warnings,
    }


def paper_fragment(context: dict) -> str:
    """The paper itself: what the web page shows inside the portal's layout."""
    return render_to_string("reports/includes/_paper.html", context)


def paper_document(context: dict) -> str:
    """The paper as a standalone A4 document, for the PDF."""
    return render_to_string("reports/paper_document.html", context)


def write_pdf(document_html: str) -> bytes:
    """A4, tagged PDF/UA, loading only the portal's own files."""
    # WeasyPrint loads its native libraries on import: only when a PDF is written, so pages
    # and commands that write none start without it.
    from weasyprint import HTML

    from reports.fetcher import PortalURLFetcher

    html = HTML(string=document_html, base_url="file:///", url_fetcher=PortalURLFetcher())
    return html.write_pdf(pdf_variant="pdf/ua-1")


def render_paper_pdf(report: Report, *, draft: bool = False) -> bytes:
    return write_pdf(paper_document(paper_context(report, draft=draft)))
