"""Reads that gather the papers' parts of other apps' pages (fixed queries)."""

from pcc_portal.slots import Part
from reports.models import Report
from reports.packs import pack_papers


def panel_meeting_papers(meeting, *, user) -> Part:
    """The meeting's papers the visitor may see, in agenda order, and whether it has a pack."""
    papers = (
        Report.objects.visible_to(user).filter(panel_meeting=meeting)
        .order_by("agenda_order", "pk")
    )  # fmt: skip
    return Part(
        "reports/includes/_panel_meeting_papers.html",
        {
            "meeting": meeting,
            "papers": list(papers),
            "has_pack": bool(pack_papers(meeting, user)),
        },
    )

