"""The words of uploaded PDFs (papers, minutes) are read once, on upload, and kept for searching."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from weasyprint import HTML

from pcc_portal.publication import pending_publish
from scrutiny.models import Minutes, ScrutinyPaper
from scrutiny.pdf_text import pdf_text, stored_pdf_text
from scrutiny.tests.factories import make_meeting, make_panel_meeting, make_pdf
from tests.helpers import soup, text


def pdf_saying(*paragraphs: str) -> bytes:
    """A real PDF with a text layer, as a word processor would give."""
    html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return HTML(string=f"<html><body>{html}</body></html>").write_pdf()


def encrypted(pdf: bytes) -> bytes:
    """The PDF encrypted, opening without a password (the uploads' check lets these in)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password="", owner_password="owner secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(content: bytes, name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add_paper(client, meeting, content: bytes):
    response = client.post(
        f"/scrutiny/meetings/{meeting.pk}/papers/new/",
        {"title": "Performance report", "file": upload(content)},
    )
    assert response.status_code == 302, text(soup(response).find(class_="govuk-error-summary"))
    return response


def test_the_words_of_an_uploaded_paper_are_stored(client_for, media):
    meeting = make_meeting(published=False)
    add_paper(client_for("staff"), meeting, pdf_saying("Knife crime fell in Burnley."))
    paper = ScrutinyPaper.objects.get()
    assert "Knife crime fell in Burnley." in paper.text
    assert (media / paper.file.name).read_bytes().startswith(b"%PDF-")


def test_a_paper_held_for_approval_keeps_its_words_once_published(client_for, make_user, media):
    meeting = make_meeting(published=True)
    add_paper(client_for("staff"), meeting, pdf_saying("Rural crime in the Ribble Valley."))
    assert not ScrutinyPaper.objects.exists()  # held for an approver
    pending_publish(root=meeting, user=make_user("approver"))
    assert "Rural crime in the Ribble Valley." in ScrutinyPaper.objects.get().text


def test_the_words_are_read_on_upload_and_never_again(client_for, media, monkeypatch):
    meeting = make_meeting(published=False)
    add_paper(client_for("staff"), meeting, pdf_saying("Road safety partnership."))
    reads = []
    monkeypatch.setattr("scrutiny.models.stored_pdf_text", lambda f: reads.append(f) or "")
    paper = ScrutinyPaper.objects.get()
    paper.title = "Road safety"
    paper.save()
    assert reads == []
    assert "Road safety partnership." in ScrutinyPaper.objects.get().text


@pytest.mark.parametrize(
    "content",
    [encrypted(pdf_saying("Secret words.")), make_pdf()],
    ids=["encrypted", "no-text-layer"],
)
def test_a_pdf_without_readable_words_is_still_added_with_empty_text(client_for, media, content):
    meeting = make_meeting(published=False)
    add_paper(client_for("staff"), meeting, content)
    assert ScrutinyPaper.objects.get().text == ""


def test_a_pdf_the_reader_chokes_on_gives_empty_text_not_an_error():
    assert pdf_text(io.BytesIO(b"%PDF-1.7\nnot really a pdf")) == ""


def test_a_file_missing_from_storage_gives_empty_text(db, media):
    paper = ScrutinyPaper(meeting=make_meeting(), title="Gone", file="scrutiny/papers/gone.pdf")
    assert stored_pdf_text(paper.file) == ""


def test_minutes_uploaded_as_a_pdf_keep_their_words_and_replacing_the_pdf_replaces_them(
    client_for, media
):
    meeting = make_panel_meeting("2021-10-12", published=False)
    client = client_for("staff")
    url = "/scrutiny/panel/2021-10-12/minutes/"
    response = client.post(url, {"file": upload(pdf_saying("Resolved to note the budget."))})
    assert response.status_code == 302
    assert "Resolved to note the budget." in Minutes.objects.get(meeting=meeting).file_text
    minutes = Minutes.objects.get()
    response = client.post(
        url,
        {
            "file": upload(pdf_saying("Resolved to approve the precept.")),
            "version": minutes.version,
        },
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get()
    assert "approve the precept" in minutes.file_text
    assert "budget" not in minutes.file_text


def test_the_migration_reads_the_words_of_papers_already_stored_and_skips_missing_files(db, media):
    from importlib import import_module

    from django.apps import apps
    from django.core.files.base import ContentFile

    meeting = make_meeting()
    stored = ScrutinyPaper.objects.create(meeting=meeting, title="Stored", link="https://x.org")
    stored.file.save("old.pdf", ContentFile(pdf_saying("Neighbourhood policing.")), save=False)
    ScrutinyPaper.objects.filter(pk=stored.pk).update(file=stored.file.name, text="")
    missing = ScrutinyPaper.objects.create(meeting=meeting, title="Gone", link="https://x.org")
    ScrutinyPaper.objects.filter(pk=missing.pk).update(file="scrutiny/papers/gone.pdf")

    import_module("scrutiny.migrations.0011_pdf_text").texts_read(apps, None)

    assert "Neighbourhood policing." in ScrutinyPaper.objects.get(pk=stored.pk).text
    assert ScrutinyPaper.objects.get(pk=missing.pk).text == ""
