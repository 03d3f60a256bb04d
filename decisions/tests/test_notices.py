"""The decision notice as a stored, tagged PDF: a revision per publication, rendered after the
commit, served to each audience from the stored file; the public never receive the exempt
part."""

import hashlib
from io import BytesIO

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from decisions import services
from decisions.models import Decision, DecisionRevision
from decisions.notices import notice_pdf_url, notice_render, notices_pending
from decisions.tests.factories import make_decision, publish_decision
from funding.tests.factories import make_award, make_fund
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

SECRET = "The tender prices of the three bidders"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def approver(make_user):
    return make_user("approver")


def published(decision, approver) -> Decision:
    """Publishes the decision, running what waits for the commit (the PDFs' render)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publish_decision(decision, approver)


def correct(decision, approver, **changes) -> Decision:
    """Holds a correction to the published decision, then publishes it."""
    for name, value in changes.items():
        setattr(decision, name, value)
    services.decision_save(decision=decision, user=approver)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.decision_publish(decision=decision, user=approver)


@pytest.fixture
def exempt_decision(approver):
    fund = make_fund()
    decision = make_decision(
        title="Contract for victim services", exempt_text=SECRET, exemption="3",
        background="The service was tendered.",
    )  # fmt: skip
    decision.awards.add(make_award(fund, amount=1000), make_award(fund, amount=2500))
    return published(decision, approver)


def pdf_text(data: bytes) -> str:
    pages = PdfReader(BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def struct_kinds(node, found):
    if isinstance(node, pikepdf.Array):
        for child in node:
            struct_kinds(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append(node)
        if "/K" in node:
            struct_kinds(node.K, found)
    return found


def test_publishing_makes_revision_1_with_its_pdf_after_the_commit(approver):
    decision = make_decision(title="Grants to partnerships")
    services.decision_submit(decision=decision, user=approver)
    services.decision_sign(decision=decision, user=approver)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        services.decision_publish(decision=decision, user=approver)
    revision = DecisionRevision.objects.get(decision=decision)
    # Made with the publication; the PDF waits for the commit (never rendered in the request).
    assert revision.revision == 1 and revision.note == "first published"
    assert revision.public_sha256 == "" and not revision.public_pdf
    assert "Grants to partnerships" in revision.public_html
    for callback in callbacks:
        callback()
    revision.refresh_from_db()
    data = revision.public_pdf.open("rb").read()
    assert revision.public_sha256 == hashlib.sha256(data).hexdigest()
    assert revision.public_size == len(data) and revision.public_pages == 1
    assert revision.members_html == "" and not revision.members_pdf
    assert "Grants to partnerships" in pdf_text(data)
    # Rendering again stores nothing new.
    assert notice_render.enqueue(revision.pk).return_value == 0


def test_the_notice_is_a_tagged_pdf(exempt_decision):
    revision = exempt_decision.revisions.get()
    for field in ("public_pdf", "members_pdf"):
        with pikepdf.open(BytesIO(getattr(revision, field).open("rb").read())) as pdf:
            root = pdf.Root
            assert "/StructTreeRoot" in root
            assert str(root.Lang) == "en-GB"
            title = str(pdf.docinfo.get("/Title", ""))
            assert title == f"Decision {exempt_decision.reference}: Contract for victim services"
            assert root.ViewerPreferences.DisplayDocTitle is True
            assert root.MarkInfo.Marked is True
            elements = struct_kinds(root.StructTreeRoot.K, [])
            kinds = {str(element.S) for element in elements}
            assert {"/H1", "/H2", "/Table", "/TH"} <= kinds
            headers = [element for element in elements if element.S == "/TH"]
            assert all("/Scope" in element.get("/A", {}) for element in headers)


def test_the_public_pdf_never_holds_the_exempt_part(exempt_decision, client_for):
    revision = exempt_decision.revisions.get()
    public = pdf_text(revision.public_pdf.open("rb").read())
    assert "tender prices" not in public and "bidders" not in public
    assert "Part of this decision is not published" in public
    assert "paragraph 3: the financial or business affairs of a person" in public
    members = pdf_text(revision.members_pdf.open("rb").read())
    assert SECRET in members and "Not for publication" in members
    assert SECRET not in revision.public_html
    # Served: the public read the public file, whatever revision they ask for.
    for url in (notice_pdf_url(exempt_decision), notice_pdf_url(exempt_decision, 1)):
        response = Client().get(url)
        assert response.status_code == 200, url
        data = b"".join(response.streaming_content)
        assert SECRET not in pdf_text(data)
        assert response["ETag"] == f'"{revision.public_sha256}"'
        assert response["Cache-Control"] == "max-age=300"


@pytest.mark.parametrize("role", ["panel member", "staff", "approver"])
def test_panel_members_and_staff_download_the_notice_with_the_exempt_part(
    exempt_decision, client_for, role
):
    revision = exempt_decision.revisions.get()
    response = client_for(role).get(notice_pdf_url(exempt_decision))
    assert response.status_code == 200
    assert SECRET in pdf_text(b"".join(response.streaming_content))
    assert response["ETag"] == f'"{revision.members_sha256}"'
    assert response["Cache-Control"].startswith("private")


def test_the_etag_answers_not_modified(exempt_decision):
    revision = exempt_decision.revisions.get()
    url = notice_pdf_url(exempt_decision)
    response = Client().get(url, headers={"If-None-Match": f'"{revision.public_sha256}"'})
    assert response.status_code == 304


def test_the_notice_page_links_the_pdf_for_the_reader(exempt_decision, client_for):
    page = soup(Client().get(exempt_decision.get_absolute_url()))
    link = page.find("a", string=lambda s: s and s.startswith("Download the notice"))
    revision = exempt_decision.revisions.get()
    kb = round(revision.public_size / 1024)
    assert link["href"] == f"/decisions/{exempt_decision.reference}.pdf"
    assert text(link) == f"Download the notice (PDF, {kb} KB, 1 page)"
    members = soup(client_for("panel member").get(exempt_decision.get_absolute_url()))
    assert "with the exempt part, not for publication" in text(members)


def test_a_correction_is_revision_2_and_revision_1_stays_downloadable(approver):
    decision = published(make_decision(title="First title"), approver)
    decision = correct(decision, approver, title="Corrected title")
    revisions = list(decision.revisions.order_by("revision"))
    assert [(r.revision, r.note) for r in revisions] == [(1, "first published"), (2, "corrected")]
    first, second = revisions
    assert first.public_sha256 != second.public_sha256
    client = Client()
    latest = client.get(notice_pdf_url(decision))
    assert latest["ETag"] == f'"{second.public_sha256}"'
    assert "Corrected title" in pdf_text(b"".join(latest.streaming_content))
    earlier = client.get(notice_pdf_url(decision, 1))
    assert earlier["ETag"] == f'"{first.public_sha256}"'
    earlier_text = pdf_text(b"".join(earlier.streaming_content))
    assert "First title" in earlier_text and "Corrected title" not in earlier_text
    assert client.get(notice_pdf_url(decision, 3)).status_code == 404
    page = soup(client.get(decision.get_absolute_url()))
    listed = [text(item) for item in page.select("main ul.govuk-list li")]
    assert any(item.startswith("Revision 2, published ") and ": corrected" in item
               for item in listed)  # fmt: skip
    assert any(item.startswith("Revision 1, published ") and "first published" in item
               for item in listed)  # fmt: skip


def test_while_the_pdf_is_rendered_the_page_says_so_and_the_pdf_is_not_found(approver):
    decision = make_decision()
    services.decision_submit(decision=decision, user=approver)
    services.decision_sign(decision=decision, user=approver)
    decision = services.decision_publish(decision=decision, user=approver)  # no render yet
    client = Client()
    assert "being prepared" in text(soup(client.get(decision.get_absolute_url())))
    assert client.get(notice_pdf_url(decision)).status_code == 404


def test_who_may_not_see_the_decision_gets_404(approver, client_for):
    draft = make_decision(title="A draft")
    DecisionRevision.objects.create(decision=draft, revision=1, note="first published",
                                    public_html="<p>Draft</p>")  # fmt: skip
    notice_render.enqueue(DecisionRevision.objects.get(decision=draft).pk)
    assert Client().get(notice_pdf_url(draft)).status_code == 404
    assert Client().get(notice_pdf_url(draft, 1)).status_code == 404
    assert client_for("panel member").get(notice_pdf_url(draft)).status_code == 404
    assert Client().get("/decisions/2099/001.pdf").status_code == 404


def test_a_decision_without_a_reference_is_served_by_its_id(approver):
    decision = make_decision(title="Recorded from the seeds", status="published")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert notices_pending() == 1
    assert notices_pending() == 0
    url = notice_pdf_url(decision)
    assert url == f"/decisions/{decision.pk}.pdf"
    response = Client().get(url)
    assert response.status_code == 200
    assert "Reference: Not recorded" in pdf_text(b"".join(response.streaming_content))
    assert Client().get(f"/decisions/{decision.pk}/revision-1.pdf").status_code == 200


def test_a_publication_refused_leaves_no_revision(approver):
    decision = published(make_decision(title="Nothing to correct"), approver)
    with pytest.raises(ValidationError):  # no corrections wait
        services.decision_publish(decision=decision, user=approver)
    assert decision.revisions.count() == 1


@pytest.mark.parametrize("role", ["anonymous", "panel member", "approver"])
def test_the_notice_page_runs_the_same_queries_with_ten_revisions(approver, client_for, role):
    decision = published(make_decision(exempt_text=SECRET, exemption="3"), approver)
    client = client_for(role)
    url = decision.get_absolute_url()
    client.get(url)  # once first: caches of the process warm up
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    first = decision.revisions.get()
    for number in range(2, 11):
        DecisionRevision.objects.create(
            decision=decision, revision=number, note="corrected", public_html="<p>A</p>",
            members_html="<p>B</p>", with_exempt_part=True, public_pdf=first.public_pdf.name,
            public_sha256=first.public_sha256, public_size=2048, public_pages=1,
            members_pdf=first.members_pdf.name, members_sha256=first.members_sha256,
            members_size=4096, members_pages=1,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as ten:
        page = client.get(url)
    assert len(ten) == len(one)
    assert "Revision 10, published" in text(soup(page))


def test_a_render_that_failed_is_done_again_with_the_pending_notices(approver, monkeypatch):
    decision = make_decision(exempt_text=SECRET, exemption="3")
    with monkeypatch.context() as patched:
        patched.setattr("decisions.notices.write_pdf", mock_failing_write)
        published(decision, approver)  # the task fails: the publication stands
    revision = decision.revisions.get()
    assert revision.public_sha256 == "" and revision.members_sha256 == ""
    assert notices_pending() == 0  # no new revision; the render is done again
    revision.refresh_from_db()
    assert revision.public_sha256 and revision.members_sha256


def mock_failing_write(html):
    raise RuntimeError("The renderer failed.")
