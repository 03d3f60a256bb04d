"""Open data: the awards as CSV, and the Commissioner's grants to the 360Giving Data Standard."""

import csv
import io
import json
import logging
import re
import tempfile
import traceback
from contextlib import closing
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string

from funding.models import Award
from pcc_portal.models import OfficeProfile

logger = logging.getLogger(__name__)

CSV_COLUMNS = [
    ("id", lambda a: a.grant_identifier),
    ("title", lambda a: a.title),
    ("fund", lambda a: a.fund.name),
    ("direction", lambda a: a.fund.direction),
    ("organisation", lambda a: a.organisation.name),
    ("amount", lambda a: "" if a.amount is None else f"{a.amount:.2f}"),
    ("award_date", lambda a: a.award_date.isoformat()),
    ("status", lambda a: a.status),
    ("ranking", lambda a: a.ranking),
    ("areas", lambda a: "; ".join(area.name for area in a.areas.all())),
    ("priorities", lambda a: "; ".join(p.title for p in a.priorities.all())),
    ("beneficiaries", lambda a: "" if a.beneficiaries is None else a.beneficiaries),
    ("projects", lambda a: "" if a.projects is None else a.projects),
]


# Spreadsheets run a cell that starts with one of these as a formula (OWASP's CSV injection
# list, with line feed and the full-width equals, plus, minus and at signs some also accept).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
CSV_CHUNK_ROWS = 500
# An export is built whole before it is sent: in memory up to this size, then in a temporary file.
SPOOL_BYTES = 1024 * 1024
RETRY_AFTER_SECONDS = 120


def csv_cell(value) -> str:
    """The value as a CSV cell no spreadsheet will run: a formula-like start gets a quote mark.

    A plain negative number such as -12.50 stays a number.
    """
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_awards_csv(awards, out) -> None:
    """Writes the awards to the text stream `out` as CSV, a chunk of rows at a time."""
    writer = csv.writer(out)
    writer.writerow([name for name, _ in CSV_COLUMNS])
    rows = awards.select_related("fund", "organisation").prefetch_related("areas", "priorities")
    # Closed at once if writing stops part way, so a server-side cursor is not left open.
    with closing(rows.iterator(chunk_size=CSV_CHUNK_ROWS)) as awards_read:
        for award in awards_read:
            writer.writerow([csv_cell(get(award)) for _, get in CSV_COLUMNS])


def awards_csv(awards) -> HttpResponse:
    """The awards as a CSV download, sent whole with its length, or a 503 page if reading fails."""
    return export_response(
        lambda out: write_awards_csv(awards, out),
        filename="awards.csv",
        content_type="text/csv; charset=utf-8",
        as_attachment=True,
    )


def export_response(write, *, filename: str, content_type: str, as_attachment: bool):
    """Runs `write(text_stream)` to the end before anything is sent.

    A reader then gets either the whole file, with a Content-Length, or, if the database
    fails on the way, a 503 page: never a 200 that stops part way and looks complete.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed once sent
    out = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    try:
        write(out)
        out.flush()
    except DatabaseError as error:
        logger.exception("The %s export failed part way; a 503 page was sent", filename)
        # The traceback holds the failed query's server-side cursor: let it close now, while
        # its transaction is still open, not whenever the garbage collector comes round.
        traceback.clear_frames(error.__traceback__)
        out.close()
        return export_unavailable()
    out.detach()
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=as_attachment, filename=filename, content_type=content_type
    )


def export_unavailable() -> HttpResponse:
    # Rendered without a request: the context processors would ask the failing database again.
    page = render_to_string("funding/export_unavailable.html")
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _number(amount: Decimal):
    # 360Giving wants a JSON number; amounts have at most two places, so this is exact.
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _org(organisation, prefix: str) -> dict:
    data = {
        "id": organisation.org_identifier or f"{prefix}-ORG-{organisation.pk}",
        "name": organisation.name,
    }
    if organisation.charity_number:
        data["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        data["companyNumber"] = organisation.company_number
    return data


def _location(area) -> dict:
    return {
        "id": area.gss_code,
        "name": area.name,
        "countryCode": "GB",
        "geoCode": area.gss_code,
        "geoCodeType": "UA" if area.gss_code.startswith("E06") else "NMD",
    }


def three_sixty_giving_package(request) -> dict:
    """The Commissioner's awarded grants (outgoing funds) as a 360Giving 1.4 data package."""
    prefix = settings.THREESIXTYGIVING_PREFIX
    office = OfficeProfile.load()
    funder = {
        "id": settings.THREESIXTYGIVING_FUNDER_ID or f"{prefix}-ORG-OPCC",
        "name": office.office_name,
    }
    grants = []
    awards = (
        Award.objects.awarded()
        .outgoing()
        .select_related("fund", "organisation")
        .prefetch_related("areas")
        .order_by("award_date", "pk")
    )
    for award in awards:
        grant = {
            "id": award.grant_identifier,
            "title": award.title,
            "description": award.purpose or award.title,
            "currency": "GBP",
            "amountAwarded": _number(award.amount),
            "awardDate": award.award_date.isoformat(),
            "recipientOrganization": [_org(award.organisation, prefix)],
            "fundingOrganization": [funder],
            "grantProgramme": [{"code": award.fund.slug, "title": award.fund.name}],
            "url": request.build_absolute_uri(award.get_absolute_url()),
            "dateModified": award.updated_at.isoformat(),
        }
        located = [_location(area) for area in award.areas.all() if area.gss_code]
        if located:
            grant["beneficiaryLocation"] = located
        if award.planned_start:
            dates = {"startDate": award.planned_start.isoformat()}
            if award.planned_end:
                dates["endDate"] = award.planned_end.isoformat()
            grant["plannedDates"] = [dates]
        grants.append(grant)
    return {"grants": grants}


def three_sixty_giving_response(request) -> HttpResponse:
    """The 360Giving package, built whole before it is sent, or a 503 page if reading fails."""
    try:
        package = three_sixty_giving_package(request)
    except DatabaseError:
        logger.exception("The 360giving.json export failed part way; a 503 page was sent")
        return export_unavailable()
    response = HttpResponse(
        json.dumps(package, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    return response
