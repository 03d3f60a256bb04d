import itertools

from pcc_portal.sequences import next_number
from reports.models import Report, ReportSection
from scrutiny.tests.factories import make_panel_meeting

_seq = itertools.count(1)


def make_report(meeting=None, **fields) -> Report:
    n = next(_seq)
    defaults = {
        "title": f"Paper {n}", "kind": "performance", "contact_name": "Ian Dickinson",
        "executive_summary": "A summary.", "recommendation": "Consider the report.",
        "signatory_name": "Angela Harrison", "signatory_title": "Director",
    }  # fmt: skip
    meeting = meeting or make_panel_meeting(f"2021-{n % 12 + 1:02d}-{n % 27 + 1:02d}")
    return Report.objects.create(panel_meeting=meeting, **{**defaults, **fields})


def add_section(report, kind="text", body="", **fields) -> ReportSection:
    order = next_number(report.sections.all())
    return ReportSection.objects.create(report=report, order=order, kind=kind, body=body, **fields)


def publish(report, user):
    """Publishes as the portal does, running what waits for the commit (storing the PDF),
    which a test's own transaction would otherwise hold back."""
    from django.test import TestCase

    from reports.services import report_publish

    with TestCase.captureOnCommitCallbacks(execute=True):
        return report_publish(report=report, user=user)
