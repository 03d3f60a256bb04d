"""The portal on an S3-compatible object store: uploads and published PDFs are written to the
bucket and read back through the portal's own pages, and no object is public by URL.

The store is moto's S3 server on 127.0.0.1, started for these tests and stopped after them.
"""

import contextlib
import datetime
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from io import BytesIO

import pytest
from django.conf import settings as portal_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from decisions.notices import notice_pdf_url
from decisions.tests.factories import make_decision, publish_decision
from pcc_portal.models import PublishedFile
from reports.models import Pack, Publication
from reports.tests.factories import add_section, make_report
from scrutiny.models import ScrutinyPaper
from scrutiny.tests.factories import make_meeting, make_pdf
from tests.helpers import soup, text

moto_server = pytest.importorskip(
    "moto.server", reason="moto[server] is not installed (pip install -e '.[dev]')"
)
boto3 = pytest.importorskip("boto3", reason="boto3 is not installed")

BUCKET = "portal-files"
REGION = "eu-west-2"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
PUBLIC_GROUPS = ("AllUsers", "AuthenticatedUsers")
SECRET = "The tender prices of the three bidders"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = client(endpoint)
    try:
        # moto keeps its buckets in the process: made already if the module ran before.
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
            s3.create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        yield endpoint
    finally:
        server.stop()


def client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **KEYS)


@pytest.fixture
def s3(settings, s3_endpoint):
    """The portal's default storage is the bucket, configured as production configures it."""
    from pcc_portal.settings import object_storage

    storage = object_storage(BUCKET)
    storage["OPTIONS"].update(
        endpoint_url=s3_endpoint, region_name=REGION,
        access_key=KEYS["aws_access_key_id"], secret_key=KEYS["aws_secret_access_key"],
    )  # fmt: skip
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    assert default_storage.bucket_name == BUCKET  # the change of setting replaced the storage
    bucket = client(s3_endpoint)
    yield bucket
    for item in bucket.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        bucket.delete_object(Bucket=BUCKET, Key=item["Key"])


def stored_keys(bucket) -> list[str]:
    return sorted(item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def text_of_pdf(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def assert_private(bucket, key: str, endpoint: str) -> None:
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    public = [g for g in grants if g["Grantee"].get("URI", "").endswith(PUBLIC_GROUPS)]
    assert public == [], f"{key} is readable by {public}"
    # Asked without signing, the store refuses it; the storage's own URLs are signed.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{BUCKET}/{key}", timeout=10)
    assert refused.value.code == 403
    assert "Signature=" in default_storage.url(key)


def test_a_meeting_paper_is_uploaded_to_the_bucket_and_downloaded_through_the_portal(
    s3, s3_endpoint, client_for
):
    meeting = make_meeting(published=False)  # a published one holds new papers for approval
    staff = client_for("staff")
    pdf = make_pdf()
    upload = SimpleUploadedFile("performance.pdf", pdf, content_type="application/pdf")
    response = staff.post(
        f"/scrutiny/meetings/{meeting.pk}/papers/new/", {"title": "Performance", "file": upload}
    )
    assert response.status_code == 302
    paper = ScrutinyPaper.objects.get()

    assert stored_keys(s3) == [paper.file.name]
    body = s3.get_object(Bucket=BUCKET, Key=paper.file.name)["Body"].read()
    assert body == pdf
    assert_private(s3, paper.file.name, s3_endpoint)

    download = staff.get(f"/scrutiny/papers/{paper.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf
    # Gone from the bucket: the portal says so rather than failing.
    s3.delete_object(Bucket=BUCKET, Key=paper.file.name)
    assert staff.get(f"/scrutiny/papers/{paper.pk}/").status_code == 404


def test_a_published_paper_and_its_agenda_pack_are_written_to_the_bucket_and_served(
    s3, s3_endpoint, client_for, django_capture_on_commit_callbacks
):
    report = make_report(title="Police and Crime Plan performance")
    add_section(report, body="The Commissioner reported a fall in burglary.")
    approver = client_for("approver")
    with django_capture_on_commit_callbacks(execute=True):
        response = approver.post(f"/reports/{report.pk}/publish/")
    assert response.status_code == 302, text(soup(response).main)
    publication = Publication.objects.get(report=report)
    pack = Pack.objects.get(meeting=report.panel_meeting, audience=Pack.Audience.PUBLIC)
    written = Pack.objects.values_list("pdf", flat=True)  # the public's and the members'
    # The paper's page as the public get it, stored to be served like a file.
    page = PublishedFile.objects.get(path=report.get_absolute_url())

    assert stored_keys(s3) == sorted([publication.pdf.name, *written, page.name])
    for key in stored_keys(s3):
        assert_private(s3, key, s3_endpoint)
    stored = s3.get_object(Bucket=BUCKET, Key=publication.pdf.name)["Body"].read()
    assert stored.startswith(b"%PDF-")

    approver.logout()  # a member of the public reads both through the portal
    download = approver.get(f"/reports/{report.pk}.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == stored
    download = approver.get(f"/scrutiny/panel/{report.panel_meeting.date.isoformat()}/pack.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert body == s3.get_object(Bucket=BUCKET, Key=pack.pdf.name)["Body"].read()
    assert "Police and Crime Plan performance" in text_of_pdf(body)


def test_a_decision_notice_is_rendered_to_the_bucket_and_each_audience_gets_its_own(
    s3, s3_endpoint, make_user, client_for, django_capture_on_commit_callbacks
):
    decision = make_decision(
        title="Contract for victim services", exempt_text=SECRET, exemption="3",
        background="The service was tendered.",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        publish_decision(decision, make_user("approver"))
    revision = decision.revisions.get()

    assert stored_keys(s3) == sorted([revision.public_pdf.name, revision.members_pdf.name])
    for key in stored_keys(s3):
        assert_private(s3, key, s3_endpoint)
    public = client_for("anonymous").get(notice_pdf_url(decision))
    assert public.status_code == 200
    words = text_of_pdf(b"".join(public.streaming_content))
    assert "Contract for victim services" in words and SECRET not in words
    members = client_for("panel member").get(notice_pdf_url(decision))
    assert SECRET in text_of_pdf(b"".join(members.streaming_content))


@pytest.mark.django_db(transaction=True)
def test_when_the_bucket_refuses_the_pdf_nothing_is_published(s3, settings, client_for):
    """Committed for real (no test transaction), so the file is written after the commit."""
    missing = {**settings.STORAGES["default"]}
    missing["OPTIONS"] = {**missing["OPTIONS"], "bucket_name": "a-bucket-that-is-not-there"}
    settings.STORAGES = {**settings.STORAGES, "default": missing}
    report = make_report(title="Police and Crime Plan performance")
    add_section(report, body="The Commissioner reported a fall in burglary.")
    response = client_for("approver").post(f"/reports/{report.pk}/publish/")
    assert response.status_code == 400
    assert "could not be stored, so nothing was published" in text(soup(response).main)
    assert not Publication.objects.exists()
    report.refresh_from_db()
    assert report.status == "draft"
    assert stored_keys(s3) == []


def test_an_import_upload_is_kept_in_the_bucket_until_it_is_cleared(s3, s3_endpoint, db):
    from pcc_portal.import_requests import import_uploads_clear, upload_discard, upload_keep
    from pcc_portal.import_requests import upload_read as kept

    token, sha256 = upload_keep(b"id,title\n1,A grant\n")
    assert stored_keys(s3) == [f"imports-pending/{token}"]
    assert_private(s3, f"imports-pending/{token}", s3_endpoint)
    assert kept(token, sha256) == b"id,title\n1,A grant\n"
    assert kept(token, "0" * 64) is None  # not the file that was kept

    later = timezone.now() + datetime.timedelta(hours=2)
    assert import_uploads_clear(older_than=datetime.timedelta(hours=3), now=later) == 0
    assert import_uploads_clear(older_than=datetime.timedelta(hours=1), now=later) == 1
    assert stored_keys(s3) == [] and kept(token, sha256) is None
    upload_discard(token)  # already gone: nothing to do


def settings_under(**environment) -> dict:
    """The default storage the production settings make from `environment`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    env.update(DJANGO_SECRET_KEY="x" * 50, **environment)
    shown = "import json; from pcc_portal import settings; print(json.dumps(settings.STORAGES))"
    run = subprocess.run(
        [sys.executable, "-c", shown], env=env, cwd=portal_settings.BASE_DIR,
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(run.stdout)["default"]


def test_files_stay_on_local_disk_unless_a_bucket_is_named():
    assert settings_under() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    storage = settings_under(
        DJANGO_STORAGE_BUCKET="panel-files", DJANGO_STORAGE_ENDPOINT_URL="https://s3.example.org",
        DJANGO_STORAGE_REGION="eu-west-2",
    )  # fmt: skip
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "panel-files", "endpoint_url": "https://s3.example.org",
        "region_name": "eu-west-2", "location": "",
        # Never public: the portal serves each file to whoever may see it.
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
    }  # fmt: skip
