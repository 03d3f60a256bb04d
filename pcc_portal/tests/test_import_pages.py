"""The import and export pages: who may use them, the preview that writes nothing, the
confirmation that writes everything in one go, and bad files answered in words."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from funding.models import Award
from funding.tests.factories import make_award, make_fund, make_org
from pcc_portal.transfer import transfer_export, transfer_template
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

INDEX = "/import/"
PREVIEW = "/import/preview/"
DONE = "/import/done/"


@pytest.fixture
def awards():
    fund = make_fund(name="Community Fund", slug="community-fund")
    charity = make_org(name="Bright Futures")
    return [make_award(fund, charity, title=f"Grant {n}") for n in range(3)]


def upload(client, data: bytes, name="awards.csv", kind="awards"):
    return client.post(INDEX, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def edited_export(change) -> bytes:
    rows = list(csv.DictReader(io.StringIO(transfer_export("awards", "csv").decode("utf-8-sig"))))
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def summary(response) -> list[str]:
    return [text(li) for li in soup(response).select(".govuk-error-summary__list li")]


@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 302), ("panel member", 403), ("staff", 200), ("approver", 200)],
)
@pytest.mark.parametrize(
    "url", [INDEX, "/import/awards/template.csv", "/import/awards/export.xlsx"]
)
def test_only_office_staff_may_use_the_pages(client_for, role, status, url):
    response = client_for(role).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_no_one_else_may_upload(client_for, role, awards):
    client = client_for(role)
    response = upload(client, transfer_export("awards", "csv"))
    assert response.status_code in (302, 403)
    assert client.get(PREVIEW).status_code in (302, 403)
    assert client.post(PREVIEW, {"action": "import"}).status_code in (302, 403)


def test_the_index_lists_every_kind_with_its_downloads(client_for):
    page = soup(client_for("staff").get(INDEX))
    for key in ("organisations", "funds", "awards"):
        for fmt in ("csv", "xlsx"):
            assert page.select_one(f'a[href="/import/{key}/template.{fmt}"]')
            assert page.select_one(f'a[href="/import/{key}/export.{fmt}"]')
    upload_input = page.select_one('input[type="file"][name="file"]')
    assert upload_input is not None
    assert page.select_one(f'label[for="{upload_input["id"]}"]')
    assert ".xlsx" in text(page.select_one(".govuk-hint#id_file_hint")) and "20 MB" in text(page)
    assert page.select_one("main form")["enctype"] == "multipart/form-data"


def test_downloads_are_the_layers_files(client_for, awards):
    client = client_for("staff")
    response = client.get("/import/awards/template.csv")
    assert response.content == transfer_template("awards", "csv")
    assert response["Content-Disposition"] == 'attachment; filename="awards-template.csv"'
    response = client.get("/import/awards/export.xlsx")
    assert response.content[:2] == b"PK"
    assert client.get("/import/nothing/template.csv").status_code == 404
    assert client.get("/import/awards/template.pdf").status_code == 404
    assert client.get("/import/awards/export.ods").status_code == 404


def test_preview_writes_nothing_and_confirming_writes_all(client_for, awards):
    client = client_for("approver")  # awards are public once written

    def change(rows):
        rows[0]["amount"] = "£2,500"
        rows.append({**rows[1], "identifier": "", "title": "A new grant"})

    response = upload(client, edited_export(change))
    assert response.status_code == 302 and response["Location"] == PREVIEW
    response = client.get(PREVIEW)
    assert response.status_code == 200
    page = soup(response)
    assert "1 row to create, 1 to change and 2 to leave alone" in text(page)
    changed = page.select_one("#changed + table tbody tr")
    assert "amount" in text(changed)
    assert Award.objects.count() == 3  # the preview wrote nothing
    client.get(PREVIEW)
    assert Award.objects.count() == 3

    fingerprint = page.select_one('input[name="preview"]')["value"]
    response = client.post(PREVIEW, {"action": "import", "preview": fingerprint})
    assert response.status_code == 302 and response["Location"] == DONE
    assert Award.objects.count() == 4
    awards[0].refresh_from_db()
    assert str(awards[0].amount) == "2500.00"
    page = soup(client.get(DONE))
    assert "Import complete" in text(page.select_one("h1"))
    assert page.select_one('a[href="/funding/awards/"]')
    # The file is gone once imported: confirming again imports nothing more.
    response = client.post(PREVIEW, {"action": "import", "preview": fingerprint})
    assert response.status_code == 302 and response["Location"] == INDEX
    assert Award.objects.count() == 4


def test_a_change_since_the_preview_is_shown_and_nothing_written(client_for, awards):
    client = client_for("approver")  # awards are public once written
    upload(client, edited_export(lambda rows: rows[0].update(amount="£2,500")))
    fingerprint = soup(client.get(PREVIEW)).select_one('input[name="preview"]')["value"]
    Award.objects.filter(pk=awards[1].pk).update(title="Renamed meanwhile")
    response = client.post(PREVIEW, {"action": "import", "preview": fingerprint})
    assert response.status_code == 409
    assert "changed since you checked" in text(soup(response))
    awards[0].refresh_from_db()
    assert str(awards[0].amount) == "1000.00"
    # Confirming the new preview imports.
    fingerprint = soup(response).select_one('input[name="preview"]')["value"]
    response = client.post(PREVIEW, {"action": "import", "preview": fingerprint})
    assert response.status_code == 302
    awards[0].refresh_from_db()
    assert str(awards[0].amount) == "2500.00"


def test_cancel_discards_the_upload(client_for, awards):
    client = client_for("staff")
    upload(client, edited_export(lambda rows: rows[0].update(amount="£2,500")))
    response = client.post(PREVIEW, {"action": "cancel"})
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(PREVIEW)["Location"] == INDEX
    awards[0].refresh_from_db()
    assert str(awards[0].amount) == "1000.00"


def test_row_errors_are_in_the_error_summary_and_nothing_is_written(client_for, awards):
    client = client_for("approver")  # awards are public once written

    def change(rows):
        rows[0]["amount"] = "1.18m"
        rows[2]["amount"] = "£99"

    upload(client, edited_export(change))
    response = client.get(PREVIEW)
    assert response.status_code == 200
    errors = summary(response)
    assert errors and errors[0].startswith("Row 2, column amount:")
    page = soup(response)
    assert text(page.select_one("title")).startswith("Error:")
    assert page.select_one('input[name="preview"]') is None  # nothing to confirm
    for link in page.select(".govuk-error-summary__list a"):
        assert page.select_one(link["href"])
    response = client.post(PREVIEW, {"action": "import", "preview": "x"})
    assert response.status_code == 409
    assert Award.objects.get(pk=awards[2].pk).amount == awards[2].amount


@pytest.mark.parametrize(
    "data, name, kind, message",
    [
        (b"id,title\n1,x\n", "awards.pdf", "awards", "is not a CSV (.csv) or Excel (.xlsx) file"),
        (b"", "awards.csv", "awards", "The selected file is empty"),
        (b"PK\x03\x04 not really a workbook", "awards.xlsx", "awards", "could not be read"),
        (b"\xff\xfe\x00bad", "awards.csv", "awards", "not UTF-8"),
        (b"\n\n", "awards.csv", "awards", "The file is empty"),
        (b"id\n1\n", "awards.csv", "unknown", "Select what you are importing"),
    ],
)
def test_bad_files_are_refused_in_words(client_for, awards, data, name, kind, message):
    response = upload(client_for("staff"), data, name=name, kind=kind)
    assert response.status_code == 400
    assert any(message in error for error in summary(response)), summary(response)
    assert Award.objects.count() == 3


def test_a_missing_file_is_asked_for(client_for):
    response = client_for("staff").post(INDEX, {"kind": "awards"})
    assert response.status_code == 400
    assert summary(response) == ["Select a CSV or Excel file"]
    link = soup(response).select_one(".govuk-error-summary__list a")["href"]
    assert soup(response).select_one(link)


@override_settings(PORTAL_UPLOAD_MAX_BYTES=1000)
def test_a_file_too_large_is_refused(client_for):
    response = upload(client_for("staff"), b"id,title\n" + b"1,x\n" * 500)
    assert response.status_code == 400
    assert summary(response) == ["The selected file must be smaller than 1000 bytes"]


def test_a_preview_without_an_upload_goes_back_to_the_index(client_for):
    client = client_for("staff")
    assert client.get(PREVIEW)["Location"] == INDEX
    assert client.post(PREVIEW, {"action": "import"})["Location"] == INDEX
    assert client.get(DONE)["Location"] == INDEX


def test_the_pending_file_is_checked_against_its_hash(client_for, awards, settings):
    from pathlib import Path

    client = client_for("staff")
    upload(client, edited_export(lambda rows: rows[0].update(amount="£2,500")))
    token = client.session["pending_import"]["token"]
    (Path(settings.MEDIA_ROOT) / "imports-pending" / token).write_bytes(b"id\n1\n")
    assert client.get(PREVIEW)["Location"] == INDEX


def test_the_index_runs_a_fixed_number_of_queries(client_for):
    client = client_for("staff")
    fund, charity = make_fund(), make_org()
    make_award(fund, charity)
    with CaptureQueriesContext(connection) as once:
        assert client.get(INDEX).status_code == 200
    for _ in range(10):
        make_award(make_fund(), make_org())
    with CaptureQueriesContext(connection) as tenfold:
        assert client.get(INDEX).status_code == 200
    assert len(once) == len(tenfold)


def test_the_home_page_links_staff_to_the_import(client_for):
    assert soup(client_for("staff").get("/")).select_one(f'a[href="{INDEX}"]')
    assert not soup(client_for("panel member").get("/")).select_one(f'a[href="{INDEX}"]')


def test_the_result_says_what_waits_for_an_approver_and_where(client_for):
    client = client_for("staff")
    session = client.session
    session["import_done"] = {
        "kind": "awards", "name": "awards.csv", "created": 0, "changed": 3, "unchanged": 1,
        "held": 3, "held_in": [["The 2021-2025 plan", "/plan/2021-2025/publish/"]],
    }  # fmt: skip
    session.save()
    page = soup(client.get(DONE))
    assert "3 changes wait for an approver" in text(page)
    assert page.select_one('a[href="/plan/2021-2025/publish/"]')
