"""Open data: the awards as CSV, and the Commissioner's grants to the 360Giving Data Standard."""

import csv
import json
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse

from funding.models import Award
from pcc_portal.models import OfficeProfile

CSV_COLUMNS = [
    ("id", lambda a: a.pk),
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


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value):
    # Spreadsheets run cells that start with these as formulas: neutralise them.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def awards_csv(awards) -> StreamingHttpResponse:
    """Streams the awards as CSV, a chunk of rows at a time (bounded memory and queries)."""
    writer = csv.writer(_Echo())
    rows = awards.select_related("fund", "organisation").prefetch_related("areas", "priorities")

    def generate():
        yield writer.writerow([name for name, _ in CSV_COLUMNS])
        for award in rows.iterator(chunk_size=500):
            yield writer.writerow([_csv_safe(get(award)) for _, get in CSV_COLUMNS])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="awards.csv"'
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
            "id": f"{prefix}-{award.pk}",
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
    package = three_sixty_giving_package(request)
    response = HttpResponse(
        json.dumps(package, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    return response
