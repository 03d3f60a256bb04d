"""The papers list says each PDF's size and page count, recorded when the PDF is written."""

from importlib import import_module
from io import BytesIO
from unittest import mock

import pytest
from django.apps import apps
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from pcc_portal.numbers import format_file_size
from reports.models import Publication
from reports.tests.factories import add_section, make_report, publish
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def approver(make_user):
    return make_user("approver")


def published_paper(meeting, approver, title="A paper", paragraphs=3):
    report = make_report(meeting, title=title)
    add_section(report, body="\n\n".join(f"Paragraph {n}." for n in range(paragraphs)))
    return publish(report, approver)


def test_publishing_records_the_pdf_s_size_and_pages(db, media, approver):
    publication = published_paper(make_panel_meeting("2021-03-08"), approver)
    with publication.pdf.open("rb") as stored:
        data = stored.read()
    assert publication.pdf_size == len(data) > 0
    assert publication.page_count == len(PdfReader(BytesIO(data)).pages) >= 1


def test_the_papers_list_gives_each_pdf_its_size_and_pages(client, db, media, approver):
    publication = published_paper(make_panel_meeting("2021-03-08"), approver, title="Budget")
    make_report(make_panel_meeting("2021-06-08"), title="Draft")  # a draft has no PDF yet
    page = soup(client.get("/reports/"))
    link = page.main.find("a", href=publication.report.get_pdf_url())
    size = format_file_size(publication.pdf_size)
    pages = publication.page_count
    assert text(link) == f"PDF of Budget , {size}, {pages} page{'s' if pages != 1 else ''}"
    visible = "".join(link.find_all(string=True, recursive=False))
    assert visible == f"PDF, {size}, {pages} page{'s' if pages != 1 else ''}"
    assert size.endswith(" KB")


def test_the_panel_meeting_page_gives_each_pdf_its_size_and_pages(client, db, media, approver):
    meeting = make_panel_meeting("2021-03-08")
    publication = published_paper(meeting, approver, title="Budget")
    page = soup(client.get(meeting.get_absolute_url()))
    link = page.main.find("a", href=publication.report.get_pdf_url())
    assert f", {format_file_size(publication.pdf_size)}, " in text(link)


def list_papers(client) -> tuple[int, int]:
    """Opens the papers list with file reads forbidden: (queries run, PDF sizes shown)."""
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(FileSystemStorage, "open", side_effect=AssertionError("file read")),
        mock.patch.object(FileSystemStorage, "size", side_effect=AssertionError("file read")),
    ):
        response = client.get("/reports/")
    assert response.status_code == 200
    return len(queries), text(soup(response).main).count(" KB, ")


def test_the_papers_list_runs_fixed_queries_and_opens_no_file(client, db, media, approver):
    meeting = make_panel_meeting("2021-03-08")
    published_paper(meeting, approver, title="Paper 0")
    once, shown = list_papers(client)
    assert shown == 1
    for n in range(1, 10):
        published_paper(meeting, approver, title=f"Paper {n}")
    assert list_papers(client) == (once, 10)


@pytest.mark.parametrize(
    ("size", "expected"),
    [(800, "800 bytes"), (1024, "1 KB"), (217_088, "212 KB"), (1_468_006, "1.4 MB")],
)
def test_file_sizes_read_as_people_write_them(size, expected):
    assert format_file_size(size) == expected


def test_the_migration_records_sizes_and_pages_of_pdfs_already_stored(db, media, approver):
    publication = published_paper(make_panel_meeting("2021-03-08"), approver)
    size, pages = publication.pdf_size, publication.page_count
    Publication.objects.filter(pk=publication.pk).update(pdf_size=0, page_count=0)
    missing = published_paper(make_panel_meeting("2021-06-08"), approver)
    missing.pdf.storage.delete(missing.pdf.name)
    Publication.objects.filter(pk=missing.pk).update(pdf_size=0)
    migration = import_module("reports.migrations.0004_publication_pdf_size")
    migration.record_sizes_and_pages(apps, None)
    publication.refresh_from_db()
    missing.refresh_from_db()
    assert (publication.pdf_size, publication.page_count) == (size, pages)
    assert missing.pdf_size == 0
