"""Publishing writes the PDF only once the revision is committed, and a failure on either side
leaves nothing behind: no file without a revision, no revision without its file."""

import pytest
from django.db import IntegrityError

from reports.models import Publication, Report
from reports.tests.factories import add_section, make_report, publish
from tests.helpers import soup, text


@pytest.fixture
def paper(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(title="A paper")
    add_section(report, body="A paragraph.")
    return report


def files_in(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_the_pdf_is_stored_under_its_revision_once_committed(paper, make_user, tmp_path):
    publication = publish(paper, make_user("approver"))
    assert [p.name for p in files_in(tmp_path / "reports")] == [
        publication.pdf.name.rsplit("/", 1)[-1]
    ]
    assert publication.pdf.open("rb").read().startswith(b"%PDF-")


def test_a_publication_that_fails_in_the_database_leaves_no_file(
    paper, make_user, tmp_path, monkeypatch
):
    """Issue 10, finding 8: a publish race left orphan PDF files in media."""

    def lose_the_race(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: reports_publication.report_id, revision")

    monkeypatch.setattr(Publication.objects, "create", lose_the_race)
    with pytest.raises(IntegrityError):
        publish(paper, make_user("approver"))
    assert files_in(tmp_path) == []
    paper.refresh_from_db()
    assert paper.status == "draft"


@pytest.mark.django_db(transaction=True)
def test_when_the_file_cannot_be_written_the_revision_is_taken_back(
    client_for, paper, tmp_path, monkeypatch
):
    """Committed for real (no test transaction), so the file is written after the commit."""
    from django.core.files.storage import FileSystemStorage

    def disk_full(self, name, content, max_length=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", disk_full)
    response = client_for("approver").post(f"/reports/{paper.pk}/publish/")
    assert response.status_code == 400
    assert "could not be stored, so nothing was published" in text(soup(response).main)
    assert not Publication.objects.exists() and files_in(tmp_path) == []
    assert Report.objects.get(pk=paper.pk).status == "draft"
