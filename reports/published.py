"""The papers' and packs' published files (see pcc_portal.published): what the public may read
of a paper (its page as they see it, its latest PDF) and of a meeting (its agenda reports packs),
listed by web address so that they are served like files.

Whenever a paper, its meeting or a pack changes, the entries are made again from the same
`visible_to` rule the views use, in a task once the change commits: a paper that stops being
public (withdrawn, made exempt, its meeting unpublished) stops being answered from files.
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory

from pcc_portal.background import background_task
from pcc_portal.published import (
    HTML,
    PDF,
    StoredFile,
    published_files_remove,
    published_files_replace,
    stored_file_write,
)
from reports.models import Pack, Report
from scrutiny.models import PanelMeeting

logger = logging.getLogger(__name__)

PUBLIC = AnonymousUser()


def paper_page_render(report: Report) -> bytes | None:
    """The paper's web page exactly as a reader who is not signed in gets it from the view,
    or None if they get no page (it is not public)."""
    from reports.views import ReportDetailView  # the page is the view's own

    request = RequestFactory().get(report.get_absolute_url())
    request.user = PUBLIC
    response = ReportDetailView.as_view()(request, pk=report.pk)
    if response.status_code != 200:
        return None
    return response.render().content


def paper_files(report: Report) -> dict[str, StoredFile]:
    """The addresses of a public paper answered from files: its page and its latest PDF."""
    from reports.views import pdf_filename

    publication = report.latest_publication()
    page = paper_page_render(report) if publication else None
    if page is None:
        return {}
    when = publication.published_at
    return {
        report.get_absolute_url(): stored_file_write(
            page, suffix=".html", modified=when, content_type=HTML
        ),
        report.get_pdf_url(): StoredFile(
            name=publication.pdf.name, sha256=publication.sha256, size=publication.pdf_size,
            modified=when, content_type=PDF, filename=pdf_filename(report),
        ),
    }  # fmt: skip


@background_task
def paper_files_sync(report_id: int) -> int:
    """Lists the paper's published files if the public may read it, removes them if not;
    returns how many addresses it answers now."""
    source = f"paper:{report_id}"
    public = Report.objects.visible_to(PUBLIC).filter(pk=report_id)
    report = public.select_related("panel_meeting").first()
    files = paper_files(report) if report else {}
    with transaction.atomic():
        # Asked again under the paper's and its meeting's locks: a withdrawal (or a meeting
        # taken back) that committed while the page was rendered wins, and one that commits
        # after this removes the files itself.
        locked = public.select_related("panel_meeting").select_for_update(
            of=("self", "panel_meeting")
        )
        if not _locked(locked):
            files = {}
        if not files:
            published_files_remove(source)
            return 0
        published_files_replace(source, files, page_paths={report.get_absolute_url()})
    return len(files)


def _locked(queryset) -> bool:
    """Whether the queryset still finds its row, locking it (and what it names in `of`)."""
    return bool(list(queryset[:1]))


def pack_files(meeting: PanelMeeting) -> dict[str, StoredFile]:
    """The addresses of the meeting's public packs: the latest, and each by its number."""
    packs = list(Pack.objects.visible_to(PUBLIC).filter(meeting=meeting).order_by("number"))
    day = meeting.date.isoformat()
    files = {}
    for pack in packs:
        stored = StoredFile(
            name=pack.pdf.name, sha256=pack.sha256, size=pack.pdf_size, modified=pack.created_at,
            content_type=PDF, filename=f"{day} {pack.label.lower()}.pdf",
        )  # fmt: skip
        files[pack.get_absolute_url()] = stored
    if packs:
        files[f"/scrutiny/panel/{day}/pack.pdf"] = stored
    return files


@background_task
def pack_files_sync(meeting_id: int) -> int:
    """Lists the meeting's public packs as published files (none if the meeting is not public)."""
    source = f"meeting:{meeting_id}"
    public = PanelMeeting.objects.visible_to(PUBLIC).filter(pk=meeting_id)
    meeting = public.first()
    files = pack_files(meeting) if meeting else {}
    with transaction.atomic():
        if not _locked(public.select_for_update(of=("self",))):  # as for a paper
            files = {}
        if not files:
            published_files_remove(source)
            return 0
        published_files_replace(source, files)
    return len(files)


def paper_files_hidden_remove(report_ids) -> None:
    """Stops serving, at once, the files of those of these papers the public may no longer
    read: the worker lists files again later, but a paper withdrawn or made exempt must not
    wait for it."""
    public = set(Report.objects.visible_to(PUBLIC).filter(pk__in=report_ids).values_list(
        "pk", flat=True))  # fmt: skip
    for report_id in set(report_ids) - public:
        published_files_remove(f"paper:{report_id}")


def paper_files_enqueue(report_id: int) -> None:
    def enqueue():
        try:
            paper_files_hidden_remove([report_id])
        finally:  # the worker lists them again, or removes them, whatever happened here
            paper_files_sync.enqueue(report_id)

    transaction.on_commit(enqueue, robust=True)


def meeting_files_enqueue(meeting_id: int) -> None:
    """The meeting's packs, and each of its papers (whose page names the meeting)."""

    def enqueue():
        report_ids = list(
            Report.objects.filter(panel_meeting_id=meeting_id).values_list("pk", flat=True)
        )
        try:
            if not PanelMeeting.objects.visible_to(PUBLIC).filter(pk=meeting_id).exists():
                published_files_remove(f"meeting:{meeting_id}")  # at once, as for papers
            paper_files_hidden_remove(report_ids)
        finally:
            pack_files_sync.enqueue(meeting_id)
            for report_id in report_ids:
                paper_files_sync.enqueue(report_id)

    transaction.on_commit(enqueue, robust=True)


@background_task
def published_files_rebuild() -> int:
    """Makes every paper's and meeting's entries again (after a release changed the layout);
    returns how many addresses are answered from files."""
    count = 0
    for sync, model in ((paper_files_sync, Report), (pack_files_sync, PanelMeeting)):
        for pk in model.objects.values_list("pk", flat=True):
            try:  # one that fails is tried again by the worker; the others go on
                count += sync.call(pk) or 0
            except Exception:
                logger.exception("Could not list the published files of %s %s", model, pk)
    return count


def rebuild_enqueue() -> None:
    transaction.on_commit(lambda: published_files_rebuild.enqueue(), robust=True)
