"""What of the papers may be found (pcc_portal/searchable.py): a published paper, by its title
and executive summary, and each numbered paragraph of its published HTML, at its #pN anchor.

Who may find it follows `Report.objects.visible_to`: nothing unless the paper is published at a
published panel meeting; an exempt (Part II) paper only by those who may see exempt items.
"""

from django.utils.html import strip_tags

from pcc_portal.markdown import render_markdown
from pcc_portal.searchable import EXEMPT, PUBLIC, Entry, SearchKind
from reports.models import Publication, Report
from reports.revisions import paper_read
from reports.selectors import paper_priority_ids
from scrutiny.models import PanelMeeting


def paper_findable(report: Report) -> bool:
    """Whether anyone outside the office may see the paper (Report.objects.visible_to)."""
    return report.is_published and report.panel_meeting.published


def paper_entries(report: Report) -> list[Entry]:
    if not paper_findable(report):
        return []
    publication = report.latest_publication()
    url = report.get_absolute_url()
    common = {
        "audience": EXEMPT if report.is_exempt else PUBLIC,
        "date": report.panel_meeting.date,
        # The priorities whose page lists the paper: a priority's filter and alerts find it.
        "priority_ids": paper_priority_ids(report),
    }
    entries = [
        Entry(
            key="paper",
            title=report.title,
            body=strip_tags(render_markdown(report.executive_summary)),
            url=url,
            **common,
        )
    ]
    blocks, _ = paper_read(publication.html) if publication else ([], [])
    for block in blocks:
        if block.kind == "paragraph" and block.anchor[1:].isdigit() and block.text.strip():
            entries.append(
                Entry(
                    key=block.anchor,
                    title=f"Paragraph {block.anchor[1:]}",
                    within=report.title,
                    body=block.text,
                    url=f"{url}#{block.anchor}",
                    **common,
                )
            )
    return entries


PAPERS = SearchKind(
    name="paper",
    label="Papers",
    model=Report,
    entries=paper_entries,
    objects=lambda: Report.objects.published().select_related("panel_meeting"),
    followers=(
        (Publication, lambda publication: [publication.report]),
        (PanelMeeting, lambda meeting: meeting.reports.all()),
    ),
)
