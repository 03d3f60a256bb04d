"""Reads that gather the papers' parts of other apps' pages (fixed queries)."""

from django.contrib.contenttypes.models import ContentType

from pcc_portal.models import PendingChange
from pcc_portal.slots import Part, Task, tasks_part
from reports.models import Report
from reports.packs import pack_papers
from reports.permissions import PUBLISH_REPORT


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


def home_paper_tasks(*, user) -> Part | None:
    """For approvers: papers whose changes wait for publication. Two queries at most."""
    if not user.has_perm(PUBLISH_REPORT):
        return None
    held = PendingChange.objects.filter(content_type=ContentType.objects.get_for_model(Report))
    papers = Report.objects.filter(pk__in=held.values("object_id")).order_by("pk")
    return tasks_part(
        [
            Task(
                f"Changes to “{paper.title}” wait for you to publish them",
                paper.get_publication_url(),
            )
            for paper in papers
        ]
    )
