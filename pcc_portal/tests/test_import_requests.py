"""Imports of records public once written: staff send the file, an approver confirms or
declines it, the sender may withdraw it; and kept uploads nobody waits for are cleared."""

import datetime
import os
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import force_login_verified
from funding.models import Award
from funding.tests.factories import make_fund, make_org
from pcc_portal.import_requests import KEPT_FOLDER, import_uploads_clear, upload_keep
from pcc_portal.models import ImportRequest
from pcc_portal.transfer import transfer_template
from plan.tests.test_charts import nu_checker, nu_run
from tests.helpers import csv_of, rows_of, soup, text

pytestmark = pytest.mark.django_db

INDEX, PREVIEW, REQUESTS = "/import/", "/import/preview/", "/import/requests/"


@pytest.fixture
def fund():
    make_org(name="Bright Futures")
    return make_fund(name="Community Fund", slug="community-fund")


def awards_csv(title="A grant sent for approval") -> bytes:
    """The template's example row, as staff would fill it in (an award made up for the test)."""
    rows = rows_of(transfer_template("awards", "csv"))
    rows[0].update(identifier="", fund="community-fund", organisation="Bright Futures", title=title,
                   amount="£1,250")  # fmt: skip
    return csv_of(rows)


def signed_in(make_user, role):
    client = Client()
    user = make_user(role)
    if role in ("staff", "approver"):
        force_login_verified(client, user)
    elif role != "anonymous":
        client.force_login(user)
    return client, user


def send(client, data=None, note="From the quarterly return") -> ImportRequest:
    response = client.post(
        INDEX, {"kind": "awards", "file": SimpleUploadedFile("a.csv", data or awards_csv())}
    )
    assert response.status_code == 302, text(soup(response))
    page = soup(client.get(PREVIEW))
    assert page.select_one('button[value="send"]') and not page.select_one('button[value="import"]')
    response = client.post(PREVIEW, {"action": "send", "note": note})
    item = ImportRequest.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"{REQUESTS}{item.pk}/"
    return item


def fingerprint_on(client, item) -> str:
    return soup(client.get(f"{REQUESTS}{item.pk}/")).select_one('input[name="preview"]')["value"]


def test_staff_send_and_an_approver_confirms(make_user, fund):
    staff, sender = signed_in(make_user, "staff")
    item = send(staff)
    assert Award.objects.count() == 0  # nothing written before confirmation
    assert item.status == "sent" and item.sent_by == sender and item.note.startswith("From")
    assert (kept_folder() / item.token).exists()
    page = soup(staff.get(item.get_absolute_url()))
    assert "Waiting for an approver" in text(page) and not page.select_one(
        'button[value="confirm"]'
    )

    approver, approving = signed_in(make_user, "approver")
    home = soup(approver.get("/"))
    task = home.find("a", string="1 import waits for your confirmation")
    assert task is not None
    page = soup(approver.get(task["href"]))
    assert page.select_one(f'a[href="{item.get_absolute_url()}"]')
    page = soup(approver.get(item.get_absolute_url()))
    assert "1 row to create" in text(page)
    response = approver.post(
        item.get_absolute_url(), {"action": "confirm", "preview": fingerprint_on(approver, item)}
    )
    assert response.status_code == 302
    award = Award.objects.get(title="A grant sent for approval")
    reason = award.history.first().history_change_reason
    assert sender.username in reason and approving.username in reason
    item.refresh_from_db()
    assert item.status == "imported" and item.decided_by == approving
    assert item.summary.startswith("1 created")
    assert not (kept_folder() / item.token).exists()
    # The sender sees what became of it.
    assert "Imported" in text(soup(staff.get(REQUESTS)))
    assert "1 created" in text(soup(staff.get(item.get_absolute_url())))
    assert soup(approver.get("/")).find("a", string="1 import waits for your confirmation") is None


def test_a_confirmation_whose_preview_moved_shows_the_new_one(make_user, fund):
    staff, _ = signed_in(make_user, "staff")
    item = send(staff)
    approver, _ = signed_in(make_user, "approver")
    assert fingerprint_on(approver, item)
    response = approver.post(item.get_absolute_url(), {"action": "confirm", "preview": "stale"})
    assert response.status_code == 409
    assert "changed since you checked" in text(soup(response))
    assert Award.objects.count() == 0


def test_staff_cannot_confirm_a_public_kind_by_posting(make_user, fund):
    staff, _ = signed_in(make_user, "staff")
    staff.post(INDEX, {"kind": "awards", "file": SimpleUploadedFile("a.csv", awards_csv())})
    assert staff.post(PREVIEW, {"action": "import", "preview": "x"}).status_code == 403
    item = send(staff)
    response = staff.post(item.get_absolute_url(), {"action": "confirm", "preview": "x"})
    assert response.status_code == 403
    assert (
        staff.post(item.get_absolute_url(), {"action": "decline", "reason": "x"}).status_code == 403
    )
    assert Award.objects.count() == 0
    item.refresh_from_db()
    assert item.status == "sent"


def test_an_approver_declines_with_a_reason(make_user, fund):
    staff, _ = signed_in(make_user, "staff")
    item = send(staff)
    approver, _ = signed_in(make_user, "approver")
    response = approver.post(item.get_absolute_url(), {"action": "decline", "reason": "  "})
    assert response.status_code == 400
    page = soup(response)
    link = page.select_one(".govuk-error-summary__list a")
    assert text(link) == "Enter why the import is declined" and page.select_one(link["href"])
    response = approver.post(item.get_absolute_url(), {"action": "decline", "reason": "Wrong fund"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "declined" and item.decline_reason == "Wrong fund"
    assert "Wrong fund" in text(soup(staff.get(item.get_absolute_url())))
    assert Award.objects.count() == 0
    # Decided: no second decision.
    response = approver.post(item.get_absolute_url(), {"action": "confirm", "preview": "x"})
    assert response.status_code == 400 and Award.objects.count() == 0


def test_the_sender_withdraws_and_no_one_else_may(make_user, fund):
    staff, _ = signed_in(make_user, "staff")
    item = send(staff)
    other, _ = signed_in(make_user, "staff")
    assert other.get(item.get_absolute_url()).status_code == 403
    assert other.post(item.get_absolute_url(), {"action": "withdraw"}).status_code == 403
    response = staff.post(item.get_absolute_url(), {"action": "withdraw"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "withdrawn"


@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("panel member", 403), ("staff", 200), ("approver", 200)]
)
def test_who_may_open_the_requests(make_user, fund, role, status):
    sender, _ = signed_in(make_user, "staff")
    item = send(sender)
    client, _ = signed_in(make_user, role)
    assert client.get(REQUESTS).status_code == status
    expected = {"staff": 403}.get(role, status)  # staff see only their own
    assert client.get(item.get_absolute_url()).status_code == expected
    # Without the preview they saw, an approver's confirmation shows the preview again.
    posted = {"anonymous": 302, "approver": 409}.get(role, 403)
    assert client.post(item.get_absolute_url(), {"action": "confirm"}).status_code == posted
    assert Award.objects.count() == 0
    if role in ("staff", "approver"):
        assert client.get(f"{REQUESTS}99999/").status_code == 404


def test_approvers_import_public_kinds_themselves(make_user, fund):
    approver, _ = signed_in(make_user, "approver")
    approver.post(INDEX, {"kind": "awards", "file": SimpleUploadedFile("a.csv", awards_csv())})
    page = soup(approver.get(PREVIEW))
    assert page.select_one('button[value="import"]') and not page.select_one('button[value="send"]')
    assert approver.post(PREVIEW, {"action": "send"}).status_code == 403


def test_the_lists_are_empty_then_paginated(make_user, fund):
    approver, _ = signed_in(make_user, "approver")
    assert "No spreadsheet has been sent" in text(soup(approver.get(REQUESTS)))
    sender = make_user("staff")
    for n in range(30):
        ImportRequest.objects.create(kind="awards", format="csv", file_name=f"{n}.csv",
                                     token=f"t{n}", sha256="0" * 64, sent_by=sender)  # fmt: skip
    page = soup(approver.get(REQUESTS))
    assert len(page.select("tbody tr")) == 25 and page.select_one(".govuk-pagination")
    assert len(soup(approver.get(REQUESTS + "?page=2")).select("tbody tr")) == 5
    assert "no requests with this status" in text(soup(approver.get(REQUESTS + "?status=declined")))


def test_the_pages_run_a_fixed_number_of_queries(make_user, fund):
    approver, _ = signed_in(make_user, "approver")
    sender = make_user("staff")

    def add(n):
        for _ in range(n):
            ImportRequest.objects.create(kind="awards", format="csv", file_name="a.csv",
                                         token=os.urandom(8).hex(), sha256="0" * 64,
                                         sent_by=sender)  # fmt: skip

    def counts():
        found = []
        for url in (REQUESTS, "/", ImportRequest.objects.earliest("pk").get_absolute_url()):
            with CaptureQueriesContext(connection) as queries:
                assert approver.get(url).status_code == 200
            found.append(len(queries))
        return found

    add(1)
    once = counts()
    add(9)
    assert counts() == once


def kept_folder() -> Path:
    """Where the local file storage keeps the uploads."""
    return Path(default_storage.path(KEPT_FOLDER))


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_old_uploads_are_cleared_and_waiting_ones_kept(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    folder = kept_folder()
    folder.mkdir(parents=True)
    for name, hours in [("fresh", 1), ("stale", 30), ("waiting", 30), ("decided", 1)]:
        (folder / name).write_bytes(b"id\n")
        age(folder / name, hours)
    sender = make_user("staff")
    for token, status in [("waiting", "sent"), ("decided", "declined")]:
        ImportRequest.objects.create(kind="awards", format="csv", file_name="a.csv", token=token,
                                     sha256="0" * 64, sent_by=sender, status=status)  # fmt: skip
    assert import_uploads_clear() == 2
    assert sorted(p.name for p in folder.iterdir()) == ["fresh", "waiting"]
    assert import_uploads_clear(older_than=datetime.timedelta(minutes=30)) == 1
    assert [p.name for p in folder.iterdir()] == ["waiting"]


def test_a_new_upload_clears_old_ones_and_the_command_does_too(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    folder = kept_folder()
    folder.mkdir(parents=True)
    (folder / "old").write_bytes(b"x")
    age(folder / "old", 25)
    token, _ = upload_keep(b"id\n")
    assert [p.name for p in folder.iterdir()] == [token]
    age(folder / token, 2)
    call_command("clear_imports", "--hours", "1")
    assert list(folder.iterdir()) == []
    assert "Deleted 1 kept upload(s)." in capsys.readouterr().out


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_new_pages_are_valid_html(make_user, fund, tmp_path):
    staff, _ = signed_in(make_user, "staff")
    staff.post(INDEX, {"kind": "awards", "file": SimpleUploadedFile("a.csv", awards_csv())})
    pages = {"send": staff.get(PREVIEW).content}
    item = send(staff)
    approver, _ = signed_in(make_user, "approver")
    pages["list"] = approver.get(REQUESTS).content
    pages["request"] = approver.get(item.get_absolute_url()).content
    pages["declined"] = approver.post(item.get_absolute_url(), {"action": "decline"}).content
    files = []
    for name, content in pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(content)
    result = nu_run(*files, timeout=120)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
