"""Uploaded papers: plain PDFs only, kept under names the portal makes, refused early if too big."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from scrutiny.models import ScrutinyPaper
from scrutiny.tests.factories import make_meeting, make_pdf
from scrutiny.validators import PAPER_MAX_BYTES, validate_pdf
from tests.helpers import soup, text

NOT_A_PDF = "The selected file must be a PDF"
DAMAGED = "The selected file could not be opened as a PDF"
ACTIVE = "The selected file must not contain JavaScript, actions or attached files"
PASSWORD = "The selected file must not be protected by a password"
TOO_BIG = "The selected file must be smaller than 20 MB"


def _name(value: str) -> NameObject:
    return NameObject(value)


def js_action(script: str = "app.alert('Hello');") -> DictionaryObject:
    return DictionaryObject(
        {_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject(script)}
    )


def named_action(kind: str) -> DictionaryObject:
    action = DictionaryObject({_name("/S"): _name(kind)})
    if kind == "/Launch":
        action[_name("/F")] = TextStringObject("cmd.exe")
    if kind in ("/SubmitForm", "/ImportData"):
        action[_name("/F")] = TextStringObject("https://example.org/collect")
    return action


def annotation(subtype: str, **entries) -> DictionaryObject:
    rect = ArrayObject(NumberObject(n) for n in (10, 10, 200, 40))
    data = {_name("/Type"): _name("/Annot"), _name("/Subtype"): _name(subtype)}
    data[_name("/Rect")] = rect
    data.update({_name(f"/{key}"): value for key, value in entries.items()})
    return DictionaryObject(data)


def open_action_javascript(writer):
    writer.root_object[_name("/OpenAction")] = js_action()


def document_javascript(writer):
    # The names tree's /JavaScript: scripts a reader runs when the document opens.
    scripts = ArrayObject([TextStringObject("init"), writer._add_object(js_action())])
    names = DictionaryObject({_name("/JavaScript"): DictionaryObject({_name("/Names"): scripts})})
    writer.root_object[_name("/Names")] = names


def document_additional_actions(writer):
    writer.root_object[_name("/AA")] = DictionaryObject({_name("/WC"): js_action()})


def page_additional_actions(writer):
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): js_action()})


def embedded_file(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00")


def bookmark_javascript(writer):
    item = writer.add_outline_item("Start", 0)
    item.get_object()[_name("/A")] = js_action()


def link_action(kind: str):
    def change(writer):
        writer.add_annotation(0, annotation("/Link", A=named_action(kind)))

    change.__name__ = f"link_{kind.strip('/').lower()}"
    return change


def widget_javascript(writer):
    field = annotation("/Widget", FT=_name("/Btn"), T=TextStringObject("Go"))
    field[_name("/AA")] = DictionaryObject({_name("/D"): js_action()})
    reference = writer._add_object(field)
    writer.pages[0][_name("/Annots")] = ArrayObject([reference])
    form = DictionaryObject({_name("/Fields"): ArrayObject([reference])})
    writer.root_object[_name("/AcroForm")] = form


def rich_media(writer):
    writer.add_annotation(0, annotation("/RichMedia"))


def web_link(writer):
    writer.add_annotation(0, Link(rect=(10, 10, 200, 40), url="https://www.example.org/"))


def open_at_first_page(writer):
    writer.open_destination = writer.pages[0]


def restricted_without_password(writer):
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-256")


def password_needed(writer):
    writer.encrypt(user_password="secret", algorithm="RC4-128")


def upload(content: bytes, name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    "change",
    [None, web_link, open_at_first_page, restricted_without_password],
    ids=lambda change: getattr(change, "__name__", "plain"),
)
def test_a_plain_pdf_passes(change):
    validate_pdf(upload(make_pdf(change)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><!-- %PDF-1.7 --><script>alert(1)</script></html>", NOT_A_PDF),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><!-- %PDF- --><script/></svg>', NOT_A_PDF),
        (b"\n\n  %PDF-1.7\n", NOT_A_PDF),
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>", DAMAGED),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", DAMAGED),
    ],
    ids=["html", "svg", "header-not-first", "html-after-header", "no-document"],
)
def test_a_file_that_does_not_start_and_parse_as_a_pdf_is_refused(content, message):
    with pytest.raises(ValidationError, match=message):
        validate_pdf(upload(content))


def test_a_pdf_cut_short_is_refused():
    with pytest.raises(ValidationError, match=DAMAGED):
        validate_pdf(upload(make_pdf()[:200]))


@pytest.mark.parametrize(
    "change",
    [
        open_action_javascript,
        document_javascript,
        document_additional_actions,
        page_additional_actions,
        embedded_file,
        bookmark_javascript,
        link_action("/JavaScript"),
        link_action("/Launch"),
        link_action("/SubmitForm"),
        link_action("/ImportData"),
        widget_javascript,
        rich_media,
    ],
    ids=lambda change: change.__name__,
)
def test_a_pdf_carrying_scripts_actions_or_files_is_refused(change):
    with pytest.raises(ValidationError, match=ACTIVE):
        validate_pdf(upload(make_pdf(change)))


def test_a_pdf_that_needs_a_password_is_refused():
    with pytest.raises(ValidationError, match=PASSWORD):
        validate_pdf(upload(make_pdf(password_needed)))


# The paper form, as staff use it.


@pytest.fixture
def meeting(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_meeting(published=False)  # a published one holds new papers for approval


def add_paper(client, meeting, file):
    return client.post(
        f"/scrutiny/meetings/{meeting.pk}/papers/new/", {"title": "Performance", "file": file}
    )


def error_summary(response) -> str:
    summary = soup(response).find(class_="govuk-error-summary")
    return text(summary) if summary else ""


def test_a_paper_is_stored_under_a_generated_pdf_name_never_the_uploaded_one(
    client_for, meeting, tmp_path
):
    client = client_for("staff")
    pdf = make_pdf()
    response = add_paper(client, meeting, upload(pdf, name="evil.html"))
    assert response.status_code == 302, error_summary(response)
    paper = ScrutinyPaper.objects.get()
    assert re.fullmatch(r"scrutiny/papers/\d{4}/[0-9a-f]{32}\.pdf", paper.file.name)
    assert not list(tmp_path.rglob("evil*"))
    assert (tmp_path / paper.file.name).read_bytes() == pdf
    download = client.get(f"/scrutiny/papers/{paper.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>%PDF-1.7<script>alert(document.cookie)</script></body></html>", NOT_A_PDF),
        (make_pdf(open_action_javascript), ACTIVE),
    ],
    ids=["html", "open-action-javascript"],
)
def test_staff_are_told_why_a_file_is_refused_and_nothing_is_stored(
    client_for, meeting, tmp_path, content, message
):
    response = add_paper(client_for("staff"), meeting, upload(content, name="evil.html"))
    assert response.status_code == 200
    assert message in error_summary(response)
    assert not ScrutinyPaper.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.fixture
def kept_bytes(monkeypatch):
    """Counts the bytes of uploads that reach Django's memory and temporary-file handlers."""
    kept = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def counting(self, raw_data, start, original=original):
            if getattr(self, "activated", True):  # the memory handler passes big files on
                kept.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    return kept


@pytest.mark.slow
@pytest.mark.parametrize(
    ("size", "most_kept"),
    # Just over the limit: no more than the limit is kept. Far over: nothing is kept at all.
    [(PAPER_MAX_BYTES + 1, PAPER_MAX_BYTES), (PAPER_MAX_BYTES + 3 * 1024 * 1024, 0)],
    ids=["just-over", "far-over"],
)
def test_a_file_over_20_mb_is_refused_with_a_message_before_it_is_kept(
    client_for, meeting, kept_bytes, tmp_path, size, most_kept
):
    big = b"%PDF-1.7\n" + b"0" * (size - 9)
    response = add_paper(client_for("staff"), meeting, upload(big))
    assert response.status_code == 200
    assert TOO_BIG in error_summary(response)
    assert sum(kept_bytes) <= most_kept
    assert not ScrutinyPaper.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.slow
def test_a_paper_of_exactly_20_mb_is_not_refused_for_its_size(client_for, meeting):
    exact = b"%PDF-1.7\n" + b"0" * (PAPER_MAX_BYTES - 9)
    summary = error_summary(add_paper(client_for("staff"), meeting, upload(exact)))
    assert TOO_BIG not in summary and DAMAGED in summary
