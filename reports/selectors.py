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


def home_latest_papers(*, user) -> Part | None:
    """The latest published papers the visitor may read, for the home page."""
    papers = list(
        Report.objects.visible_to(user).published().select_related("panel_meeting")
        .order_by("-panel_meeting__starts_at", "agenda_order")[:5]
    )  # fmt: skip
    if not papers:
        return None
    return Part("reports/includes/_home_latest_papers.html", {"papers": papers})
