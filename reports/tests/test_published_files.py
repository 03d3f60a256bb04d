"""Published papers and packs served like files: to the public from their stored files with a
strong ETag, Last-Modified and Cache-Control, 304s from the list alone, and nothing served once
the public may no longer read it."""

import hashlib
from email.utils import parsedate_to_datetime

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import TestCase

from pcc_portal.models import OfficeProfile, PublishedFile
from pcc_portal.published import published_list_forget
from reports.models import Pack, Publication, Report
from reports.published import paper_files_sync, paper_page_render
from reports.services import report_withdraw
from reports.tests.factories import add_section, make_report, publish
from scrutiny.models import PanelMeeting
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def paper(db, media, make_user):
    meeting = make_panel_meeting("2021-03-08")
    report = make_report(meeting, title="Performance report")
    add_section(report, body="Burglary fell by a tenth.")
    publish(report, make_user("approver"))
    return report


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def committed(function, *args, **kwargs):
    """Runs what a view would, then what waits for its transaction to commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def test_the_public_get_a_published_page_from_its_stored_file(
    client, paper, django_assert_num_queries
):
    with django_assert_num_queries(1):  # finding the file; not the paper, not the layout
        response = client.get(paper.get_absolute_url())
    page = response.content
    assert response.status_code == 200
    assert "Burglary fell by a tenth." in text(soup(response).main)
    assert response["ETag"] == f'"{hashlib.sha256(page).hexdigest()}"'
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Vary"] == "Cookie"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    published = paper.publications.get().published_at.replace(microsecond=0)
    assert parsedate_to_datetime(response["Last-Modified"]) == published
    # The same page the view makes for the public, byte for byte.
    assert page == paper_page_render(paper)
    entry = PublishedFile.objects.get(path=paper.get_absolute_url())
    assert entry.name == f"published/{entry.sha256[:2]}/{entry.sha256}.html"


def test_a_reader_whose_copy_is_current_gets_304_from_the_list_alone(
    client, paper, django_assert_num_queries
):
    for url in (paper.get_absolute_url(), paper.get_pdf_url()):
        first = client.get(url)
        with django_assert_num_queries(0):  # the list as read a moment ago
            again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        published_list_forget()
        with django_assert_num_queries(1):  # the list read again: one query on its index
            again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and body_of(again) == b""
        assert again["ETag"] == first["ETag"]
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_pdf_is_the_stored_revision_with_its_sha256(client, paper):
    publication = paper.publications.get()
    response = client.get(paper.get_pdf_url())
    assert hashlib.sha256(body_of(response)).hexdigest() == publication.sha256
    assert response["ETag"] == f'"{publication.sha256}"'
    assert response["Content-Type"] == "application/pdf"
    assert int(response["Content-Length"]) == publication.pdf_size
    assert 'filename="2021-03-08 performance-report.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=3600"


def test_a_withdrawn_paper_is_no_longer_served_from_files(client, paper, make_user):
    committed(report_withdraw, report=paper, user=make_user("approver"))
    assert not PublishedFile.objects.filter(source=f"paper:{paper.pk}").exists()
    assert client.get(paper.get_absolute_url()).status_code == 404
    assert client.get(paper.get_pdf_url()).status_code == 404


def test_a_paper_made_exempt_or_a_meeting_unpublished_stops_being_served(client, paper):
    paper.refresh_from_db()
    paper.is_exempt = True  # takes effect at once: it only makes the paper more private
    committed(paper.save)
    assert client.get(paper.get_absolute_url()).status_code == 404
    assert not PublishedFile.objects.filter(source=f"paper:{paper.pk}").exists()
    Report.objects.filter(pk=paper.pk).update(is_exempt=False)  # as an approver's publishing
    committed(paper_files_sync.call, paper.pk)
    assert client.get(paper.get_absolute_url()).status_code == 200
    meeting = paper.panel_meeting
    meeting.published = False
    committed(meeting.save)
    assert not PublishedFile.objects.exists()
    assert client.get(paper.get_pdf_url()).status_code == 404


def test_a_paper_or_meeting_changed_by_a_bulk_update_stops_being_served(client, paper):
    """QuerySet.update() saves nothing, so sends no post_save: the files follow all the same."""
    papers = Report.objects.filter(pk=paper.pk)
    committed(papers.update, is_exempt=True)
    assert client.get(paper.get_absolute_url()).status_code == 404
    assert client.get(paper.get_pdf_url()).status_code == 404
    assert not PublishedFile.objects.filter(source=f"paper:{paper.pk}").exists()
    committed(papers.update, is_exempt=False)
    assert "ETag" in client.get(paper.get_absolute_url())
    committed(papers.update, status=Report.Status.WITHDRAWN)
    assert client.get(paper.get_absolute_url()).status_code == 404
    committed(papers.update, status=Report.Status.PUBLISHED)
    assert "ETag" in client.get(paper.get_pdf_url())
    committed(PanelMeeting.objects.filter(pk=paper.panel_meeting_id).update, published=False)
    assert not PublishedFile.objects.exists()
    assert client.get(paper.get_pdf_url()).status_code == 404


def test_a_revision_whose_pdf_was_stored_under_another_name_is_served_from_it(client, paper, media):
    """The storage may choose another name for a PDF (reports.services._store_pdf)."""
    publication = paper.publications.get()
    renamed = "reports/renamed.pdf"
    (media / "reports").mkdir(exist_ok=True)
    (media / renamed).write_bytes((media / publication.pdf.name).read_bytes())
    committed(Publication.objects.filter(pk=publication.pk).update, pdf=renamed)
    assert PublishedFile.objects.get(path=paper.get_pdf_url()).name == renamed
    response = client.get(paper.get_pdf_url())
    assert hashlib.sha256(body_of(response)).hexdigest() == publication.sha256


def test_a_pdf_listed_before_its_file_is_stored_is_left_to_the_view(client, paper, media):
    """Another worker may list a revision before its PDF is written (on commit): the reader
    gets the view's answer, never an error, and the file once it is there."""
    publication = paper.publications.get()
    kept = (media / publication.pdf.name).read_bytes()
    (media / publication.pdf.name).unlink()
    assert client.get(paper.get_pdf_url()).status_code == 404  # the view's "missing"
    (media / publication.pdf.name).write_bytes(kept)
    response = client.get(paper.get_pdf_url())
    assert hashlib.sha256(body_of(response)).hexdigest() == publication.sha256


def test_claiming_the_next_version_before_a_save_lists_no_files_twice(
    paper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        Report.objects.filter(pk=paper.pk).update(version=F("version") + 1)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        Report.objects.filter(pk=paper.pk).update(title="Performance report, quarter 3")
    assert len(callbacks) == 1


def test_an_exempt_paper_is_never_listed_and_members_get_it_private(db, media, make_user,
                                                                     client_for):  # fmt: skip
    exempt = make_report(make_panel_meeting("2021-03-08"), title="Estates", is_exempt=True)
    add_section(exempt, body="The exempt paragraph.")
    publish(exempt, make_user("approver"))
    assert not PublishedFile.objects.exists()
    assert client_for("anonymous").get(exempt.get_pdf_url()).status_code == 404
    response = client_for("panel member").get(exempt.get_pdf_url())
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


def test_signed_in_readers_get_the_page_made_for_them(client, client_for, paper):
    public = client.get(paper.get_absolute_url())
    assert "Edit the paper" not in text(soup(public).main) and "ETag" in public
    page = client_for("staff").get(paper.get_absolute_url())
    assert "Edit the paper" in text(soup(page).main)
    assert "ETag" not in page


def test_a_page_stored_with_another_layout_is_left_to_the_view(client, paper):
    PublishedFile.objects.filter(path=paper.get_absolute_url()).update(layout="older-release")
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200 and "ETag" not in response
    assert "Burglary fell by a tenth." in text(soup(response).main)
    call_command("published_files_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "ETag" in client.get(paper.get_absolute_url())


def test_a_message_waiting_or_a_session_goes_to_the_view(client, paper):
    client.cookies["messages"] = "something"
    assert "ETag" not in client.get(paper.get_absolute_url())


def test_a_new_office_name_stores_the_pages_again(client, paper):
    before = client.get(paper.get_absolute_url())["ETag"]
    profile = OfficeProfile.load()
    profile.office_name = "Office of the Commissioner for Lancashire"
    committed(profile.save)
    response = client.get(paper.get_absolute_url())
    assert response["ETag"] != before
    assert "Office of the Commissioner for Lancashire" in response.content.decode()


def test_the_same_bytes_are_stored_once(paper, media):
    entry = PublishedFile.objects.get(path=paper.get_absolute_url())
    call_command("published_files_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert PublishedFile.objects.get(path=paper.get_absolute_url()).name == entry.name
    assert len(list((media / "published").rglob("*.html"))) == 1


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(client, paper, settings):
    settings.PUBLISHED_ACCEL_REDIRECT = "/_published/"
    entry = PublishedFile.objects.get(path=paper.get_pdf_url())
    response = client.get(paper.get_pdf_url())
    assert response["X-Accel-Redirect"] == f"/_published/{entry.name}"
    assert response.content == b""
    assert response["ETag"] == f'"{entry.sha256}"'
    assert client.get(paper.get_pdf_url(), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_public_pack_is_served_from_its_file_and_the_members_one_is_not(
    db, media, make_user, client_for
):
    meeting = make_panel_meeting("2021-03-08")
    public = make_report(meeting, title="Public paper", agenda_order=1)
    add_section(public, body="The public paragraph.")
    exempt = make_report(meeting, title="Exempt paper", is_exempt=True, agenda_order=2)
    add_section(exempt, body="The exempt paragraph.")
    for report in (public, exempt):
        publish(report, make_user("approver"))
    pack = Pack.objects.get(meeting=meeting, audience="public")  # the exempt paper is not in it
    listed = set(PublishedFile.objects.filter(source=f"meeting:{meeting.pk}").values_list(
        "path", "sha256"))  # fmt: skip
    assert listed == {
        ("/scrutiny/panel/2021-03-08/pack.pdf", pack.sha256),
        ("/scrutiny/panel/2021-03-08/pack-1.pdf", pack.sha256),
    }
    anonymous = client_for("anonymous").get("/scrutiny/panel/2021-03-08/pack.pdf")
    assert hashlib.sha256(body_of(anonymous)).hexdigest() == pack.sha256
    assert anonymous["Cache-Control"] == "public, max-age=3600"
    member = client_for("panel member").get("/scrutiny/panel/2021-03-08/pack.pdf")
    members_pack = Pack.objects.filter(meeting=meeting, audience="members").first()
    assert member["ETag"] == f'"{members_pack.sha256}"'
    assert member["Cache-Control"].startswith("private")


def test_a_process_remembers_the_list_a_moment_and_one_that_changes_it_forgets(
    client, paper, make_user, monkeypatch
):
    from pcc_portal import published

    now = [1000.0]
    monkeypatch.setattr(published.time, "monotonic", lambda: now[0])
    url = paper.get_absolute_url()
    assert "ETag" in client.get(url)
    # Another process withdraws the paper: this one learns of it within a second.
    PublishedFile.objects.filter(path=url).delete()
    assert "ETag" in client.get(url)
    now[0] += 1.5
    assert "ETag" not in client.get(url)
    # The process that changes the list forgets what it remembered at once.
    committed(paper_files_sync.call, paper.pk)
    assert "ETag" in client.get(url)
    committed(report_withdraw, report=paper, user=make_user("approver"))
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_what_the_public_may_no_longer_read_stops_at_once_without_waiting_for_the_worker(
    client, paper, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    meeting = paper.panel_meeting
    assert "ETag" in client.get(paper.get_absolute_url())
    assert "ETag" in client.get("/scrutiny/panel/2021-03-08/pack.pdf")
    Report.objects.get(pk=paper.pk).save()  # a change that leaves it public: served still
    assert "ETag" in client.get(paper.get_absolute_url())
    meeting.published = False
    meeting.save()
    assert DBTaskResult.objects.filter(status="READY").exists()  # no worker has run
    assert client.get(paper.get_absolute_url()).status_code == 404
    assert client.get("/scrutiny/panel/2021-03-08/pack.pdf").status_code == 404
    assert not PublishedFile.objects.exists()


def test_a_paper_withdrawn_while_its_page_was_rendered_is_not_listed_again(
    client, paper, monkeypatch
):
    from reports import published

    real_paper_files = published.paper_files

    def withdrawn_meanwhile(report):
        files = real_paper_files(report)
        Report.objects.filter(pk=report.pk).update(status="withdrawn")  # committed by another
        return files

    monkeypatch.setattr(published, "paper_files", withdrawn_meanwhile)
    paper_files_sync.call(paper.pk)
    assert not PublishedFile.objects.filter(source=f"paper:{paper.pk}").exists()
    assert client.get(paper.get_absolute_url()).status_code == 404
