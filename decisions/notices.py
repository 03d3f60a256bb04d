"""The decision notice as a stored, tagged PDF: each publication of a decision (the first, and
each correction published) is a revision, frozen when it is made.

A revision holds the notice's document for the public, which never holds the exempt part (it
says a part was withheld, and under which paragraph), and, when the decision has an exempt part,
one for panel members and staff with it. Their PDFs are written by the papers' machinery
(WeasyPrint's PDF/UA, then `pdf_tag_fix`) in a task queued once the publication commits, never
in the request, and stored with their SHA-256; a reader downloads the stored file.
"""

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision, DecisionRevision
from pcc_portal.background import background_task
from pcc_portal.models import OfficeProfile
from pcc_portal.people import display_name
from pcc_portal.permissions import VIEW_EXEMPT
from pcc_portal.sequences import next_number
from pcc_portal.storage import STORAGE_ERRORS
from reports.packs import pdf_tag_fix
from reports.rendering import write_pdf

logger = logging.getLogger(__name__)

PUBLIC, MEMBERS = "public", "members"


@dataclass
class NoticeFile:
    """One revision's PDF for one audience; `ready` once the render has stored it."""

    revision: DecisionRevision
    pdf: FieldFile
    sha256: str
    size: int
    pages: int
    members: bool
    url: str = ""

    @property
    def ready(self) -> bool:
        return bool(self.sha256 and self.pdf)


def notice_file(revision: DecisionRevision, *, members: bool) -> NoticeFile:
    """The revision's PDF for the audience: members read their own when the decision had an
    exempt part, else the public one, as everyone else does."""
    audience = MEMBERS if members and revision.with_exempt_part else PUBLIC
    return NoticeFile(
        revision=revision,
        pdf=getattr(revision, f"{audience}_pdf"),
        sha256=getattr(revision, f"{audience}_sha256"),
        size=getattr(revision, f"{audience}_size"),
        pages=getattr(revision, f"{audience}_pages"),
        members=audience == MEMBERS,
    )


def sees_exempt(user) -> bool:
    return user.has_perm(VIEW_EXEMPT)


def notice_document(decision: Decision, *, members: bool, revision: int, note: str) -> str:
    """The notice as a standalone A4 document. The exempt text is in the members' document
    only; the public one says that part was withheld and why."""
    from decisions.selectors import decision_detail

    # The papers the public may read: the notice is the same for every reader of an audience.
    detail = decision_detail(decision, _Reader(members))
    return render_to_string(
        "decisions/notice_document.html",
        {
            "decision": decision,
            "office": OfficeProfile.load(),
            "members": members,
            "revision": revision,
            "note": note,
            "published_on": timezone.localdate(),
            "signed_by": display_name(decision.signed_by) if decision.signed_by_id else "",
            **detail,
        },
    )


class _Reader:
    """Who the document is written for, for the selectors' `visible_to`: the public, or panel
    members (who see exempt papers, not drafts)."""

    is_authenticated = False

    def __init__(self, members: bool):
        self.members = members

    def has_perm(self, permission: str) -> bool:
        return self.members and permission == VIEW_EXEMPT


def revision_make(*, decision: Decision, user, note: str) -> DecisionRevision:
    """The decision's next revision, its documents frozen now; its PDFs are rendered once the
    transaction commits (nothing is queued if it rolls back)."""
    number = next_number(DecisionRevision.objects.filter(decision=decision), "revision")
    context = {"revision": number, "note": note}
    revision = DecisionRevision.objects.create(
        decision=decision,
        revision=number,
        published_by=user,
        note=note,
        public_html=notice_document(decision, members=False, **context),
        members_html=(
            notice_document(decision, members=True, **context) if decision.has_exempt_part else ""
        ),
        with_exempt_part=decision.has_exempt_part,
    )
    transaction.on_commit(lambda: notice_render.enqueue(revision.pk), robust=True)
    return revision


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


@background_task
def notice_render(revision_id: int) -> int:
    """Renders and stores the revision's PDFs not stored yet; returns how many it stored."""
    revision = DecisionRevision.objects.filter(pk=revision_id).first()
    if revision is None:
        return 0
    stored = 0
    for audience in (PUBLIC, MEMBERS):
        html = revision.public_html if audience == PUBLIC else revision.members_html
        if not html or getattr(revision, f"{audience}_sha256"):
            continue
        pdf = pdf_tag_fix(write_pdf(html))
        sha256 = hashlib.sha256(pdf).hexdigest()
        field = DecisionRevision._meta.get_field(f"{audience}_pdf")
        name = f"decisions/{revision.decision_id}/revision-{revision.revision}-{audience}-"
        name += f"{sha256[:16]}.pdf"
        try:
            saved = field.storage.save(name, ContentFile(pdf))
        except STORAGE_ERRORS:  # the revision stays published; rendering it again stores it
            logger.exception("Could not store the %s PDF of %s", audience, revision)
            continue
        DecisionRevision.objects.filter(pk=revision.pk).update(
            **{
                f"{audience}_pdf": saved,
                f"{audience}_sha256": sha256,
                f"{audience}_size": len(pdf),
                f"{audience}_pages": _page_count(pdf),
            }
        )
        stored += 1
    return stored


def notice_pdf_url(decision: Decision, number: int | None = None) -> str:
    """Where the notice's PDF is downloaded: the latest, or revision `number`."""
    key = {"reference": decision.reference} if decision.reference else {"pk": decision.pk}
    suffix = "" if decision.reference else "_by_pk"
    if number is None:
        return reverse(f"decisions:notice_pdf{suffix}", kwargs=key)
    return reverse(f"decisions:notice_revision_pdf{suffix}", kwargs={**key, "number": number})


def notice_downloads(decision: Decision, user) -> dict:
    """The notice's PDFs for the reader's audience: the latest revision's, whether a newer one
    is still being rendered, and every revision, newest first. One query."""
    members = sees_exempt(user)
    revisions = list(
        DecisionRevision.objects.filter(decision=decision)
        .defer("public_html", "members_html")
        .order_by("-revision")
    )
    files = [notice_file(revision, members=members) for revision in revisions]
    for file in files:
        file.url = notice_pdf_url(decision, file.revision.revision)
    ready = [file for file in files if file.ready]
    return {
        "notice_pdf": ready[0] if ready else None,
        "notice_pdf_url": notice_pdf_url(decision),
        "notice_pdf_pending": bool(files) and not files[0].ready,
        "notice_revisions": files if len(files) > 1 else [],
    }


def notices_pending(*, user=None) -> int:
    """Makes the first revision of each published decision that has none (the fixtures mark
    decisions published without publishing them), and renders again any revision whose PDF
    was never stored (a render that failed). Returns how many revisions it made."""
    unstored = DecisionRevision.objects.filter(
        Q(public_sha256="") | Q(with_exempt_part=True, members_sha256="")
    )
    for revision_id in list(unstored.order_by("pk").values_list("pk", flat=True)):
        notice_render.enqueue(revision_id)
    count = 0
    for decision in Decision.objects.published().filter(revisions__isnull=True).order_by("pk"):
        with transaction.atomic():
            revision_make(decision=decision, user=user, note="first published")
        count += 1
    return count
