"""Pages that may hold drafts, unpublished meetings or Part II items are never stored by a
cache; what the public get keeps the caching it had (and published PDFs their ETag)."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from conftest import force_login_verified
from plan.models import Plan
from plan.tests.factories import make_plan
from reports.models import Publication
from reports.tests.factories import make_report
from scrutiny.tests.factories import make_meeting
from tests.helpers import ROLES

NO_STORE = "private, no-store"
PDF = b"%PDF-1.4\n% a stored revision\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def published(report) -> Publication:
    """A published paper with a stored revision (its PDF stands in for a rendered one)."""
    report.status = "published"
    report.save()
    return Publication.objects.create(
        report=report,
        revision=1,
        html="<p>Frozen.</p>",
        pdf=ContentFile(PDF, name="paper.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )


@pytest.fixture
def site(db, media):
    plan = make_plan(slug="2021-2025")
    make_plan(slug="2025-2029", status=Plan.Status.DRAFT, start_year=2025, end_year=2029)
    meeting = make_meeting()
    public = published(make_report(title="Public paper"))
    exempt = published(make_report(title="Exempt paper", is_exempt=True))
    return {"plan": plan, "meeting": meeting, "public": public, "exempt": exempt}


def pages(site) -> list[str]:
    return [
        "/",
        "/plan/",
        site["plan"].get_absolute_url(),
        "/scrutiny/",
        "/scrutiny/meetings/",
        site["meeting"].get_absolute_url(),
        "/scrutiny/calendar.ics",
        "/scrutiny/panel/feed/",
        "/scrutiny/meetings/feed/",
        "/reports/feed/",
        "/funding/awards/",
        "/funding/awards.csv",
        "/reports/",
        site["public"].report.get_absolute_url(),
        site["public"].report.get_pdf_url(),
        "/no-such-page/",
    ]


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_every_response_to_a_signed_in_role_is_private_and_not_stored(client_for, site, role):
    client = client_for(role)
    for url in pages(site):
        response = client.get(url)
        assert response["Cache-Control"] == NO_STORE, (url, response.status_code)


def test_the_admin_is_not_stored_either(client, make_user, site):
    force_login_verified(client, make_user("none", is_superuser=True, is_staff=True))
    for url in ("/admin/", "/admin/plan/plan/", "/plan/"):
        assert client.get(url)["Cache-Control"] == NO_STORE, url


@pytest.mark.parametrize("role", ["panel member", "staff"])
def test_published_pdfs_keep_their_etag_for_signed_in_readers(client_for, site, role):
    client = client_for(role)
    for name in ("public", "exempt"):
        url = site[name].report.get_pdf_url()
        response = client.get(url)
        assert response["ETag"] == f'"{site[name].sha256}"'
        assert response["Cache-Control"] == NO_STORE
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["Cache-Control"] == NO_STORE


def test_the_publics_responses_keep_their_caching(client, site):
    for url in pages(site):
        cache_control = client.get(url).get("Cache-Control", "")
        assert "no-store" not in cache_control and "private" not in cache_control, url
    pdf = client.get(site["public"].report.get_pdf_url())
    assert pdf["Cache-Control"] == "public, max-age=3600"
    assert pdf["ETag"] == f'"{site["public"].sha256}"'


def test_a_signed_out_request_does_not_start_varying_on_the_cookie(client, site):
    response = client.get("/scrutiny/calendar.ics")
    assert "Cookie" not in response.get("Vary", "")
    assert "Cache-Control" not in response
