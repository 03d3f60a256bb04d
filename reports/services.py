"""Writes to papers: publishing freezes a revision; withdrawing hides the paper."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from pcc_portal.services import record_save
from reports import rendering
from reports.models import Publication, Report
from reports.sections import params_errors

PUBLISH = "reports.publish_report"


def publish_problems(report: Report) -> list[str]:
    """Why the paper cannot be published as it stands (empty when it can)."""
    sections = list(report.sections.all())
    problems = [] if sections else ["A paper with no sections cannot be published."]
    for section in sections:
        for error in params_errors(section):
            problems.append(f"{section}: {error}")
    return problems


@transaction.atomic
def report_publish(*, report: Report, user) -> Publication:
    """Renders the paper now and stores it as the next revision; earlier ones never change."""
    if user is not None and not user.has_perm(PUBLISH):
        raise PermissionDenied("Only an approver can publish a paper.")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if problems := publish_problems(report):
        raise ValidationError(problems)
    context = rendering.paper_context(report)
    pdf = rendering.write_pdf(rendering.paper_document(context))
    latest = report.publications.aggregate(latest=Max("revision"))["latest"] or 0
    publication = Publication(
        report=report,
        revision=latest + 1,
        published_by=user,
        html=rendering.paper_fragment(context),
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=_page_count(pdf),
    )
    publication.pdf.save(f"{report.pk}/revision-{latest + 1}.pdf", ContentFile(pdf), save=False)
    publication.save()
    report.status = Report.Status.PUBLISHED
    record_save(instance=report, user=user, reason=f"Published revision {latest + 1}")
    return publication


@transaction.atomic
def report_withdraw(*, report: Report, user) -> Report:
    """Hides a published paper from everyone who cannot edit it; its revisions are kept."""
    if not user.has_perm(PUBLISH):
        raise PermissionDenied("Only an approver can withdraw a paper.")
    report.status = Report.Status.WITHDRAWN
    return record_save(instance=report, user=user, reason="Withdrawn")


def _page_count(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def publish_pending(*, user=None) -> int:
    """Publishes papers marked published that have no revision yet (fixtures load them so)."""
    pending = Report.objects.published().filter(publications__isnull=True)
    count = 0
    for report in pending:
        report_publish(report=report, user=user)
        count += 1
    return count
