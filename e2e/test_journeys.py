"""The portal used in a real browser, as each kind of user would, one journey a test."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.defaultfilters import filesizeformat
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.test_publication import no_serious_axe_violations
from e2e.traffic import count_traffic
from pcc_portal.numbers import format_file_size

pytestmark = pytest.mark.django_db(transaction=True)

QUARTER = "/plan/2021-2025/quarters/2021-q2/"
MEETING = "/scrutiny/panel/2021-10-12/"
MEMBER_PAGE_LOADS = 2  # the paper, then the meeting's page: the PDFs are downloads


def test_quarterly_update_from_entry_through_return_to_approval_and_public(open_as, shots):
    staff = open_as("staff")
    staff.goto(QUARTER)
    staff.get_by_role("link", name=re.compile("^Enter Understanding of organised crime")).click()
    staff.check("input[name=rag][value=amber]")
    staff.check("input[name=direction][value=stable]")
    staff.fill("#id_value", "42")
    staff.fill("#id_commentary", "Partners met twice in the quarter.")
    staff.click("input[name=save]")
    expect(staff.locator(".govuk-notification-banner")).to_contain_text("Draft saved.")
    staff.click("input[name=submit_update]")
    expect(staff.locator(".govuk-notification-banner")).to_contain_text("submitted for approval")
    update_url = staff.url

    approver = open_as("approver")
    approver.goto(update_url)
    approver.fill("#return_reason", "Say what the figure counts.")
    approver.click("input[name=return]")
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("Update returned")

    staff.goto(update_url)
    expect(staff.locator(".govuk-warning-text")).to_contain_text("Say what the figure counts.")
    staff.fill("#id_commentary", "Partners met twice; 42 intelligence reports were shared.")
    staff.click("input[name=submit_update]")

    approver.goto(update_url)
    approver.get_by_role("button", name="Approve").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("Update approved")
    shots(approver, "approved")

    public = open_as(None)
    public.goto("/plan/2021-2025/preventing-and-disrupting-organised-crime/")
    expect(public.locator("main")).to_contain_text("42 intelligence reports were shared")
    shots(public, "public-priority")


def test_two_staff_editing_one_update_the_second_sees_both_versions(open_as, shots):
    first, second = open_as("staff"), open_as("staff")
    for page in (first, second):
        page.goto(QUARTER)
        page.get_by_role("link", name=re.compile("^Edit ")).first.click()
    first.fill("#id_commentary", "The first editor's words.")
    first.click("input[name=save]")
    second.fill("#id_commentary", "The second editor's words.")
    second.click("input[name=save]")
    summary = second.locator(".govuk-error-summary")
    expect(summary).to_contain_text("since you opened it")
    expect(second.locator(".portal-conflict__saved").last).to_contain_text(
        "The first editor's words."
    )
    expect(second.locator("#id_commentary")).to_have_value("The second editor's words.")
    shots(second, "conflict")


def test_staff_record_a_scrutiny_meeting_with_topics_and_an_action(open_as, shots):
    staff = open_as("staff")
    staff.goto("/scrutiny/meetings/new/")
    staff.fill("#id_title", "Strategic Scrutiny meeting, December 2021")
    staff.fill("#id_date_0", "14")
    staff.fill("#id_date_1", "12")
    staff.fill("#id_date_2", "2021")
    staff.fill("#id_time", "10:00")
    staff.check("input[name=status][value=held]")
    staff.click("input[name=save]")
    for title in ("Force performance", "Anti-social behaviour"):
        staff.get_by_role("link", name="Add a topic").click()
        staff.fill("#id_title", title)
        staff.locator(
            "label", has_text="Getting Tough on Anti-Social Behaviour (2021-2025)"
        ).click()
        staff.click("input[name=save]")
    staff.get_by_role("link", name="Add an action").click()
    staff.fill("#id_description", "Report hot spot patrol hours")
    staff.fill("#id_owner", "Chief Constable")
    staff.fill("#id_due_date_0", "1")
    staff.fill("#id_due_date_1", "3")
    staff.fill("#id_due_date_2", "2022")
    staff.select_option("#id_priority", label="Getting Tough on Anti-Social Behaviour (2021-2025)")
    staff.click("input[name=save]")
    shots(staff, "meeting")
    staff.goto("/scrutiny/actions/")
    expect(staff.locator("main")).to_contain_text("Report hot spot patrol hours")
    staff.goto("/plan/2021-2025/getting-tough-on-anti-social-behaviour/")
    expect(staff.locator("main")).to_contain_text("Report hot spot patrol hours")


def test_staff_record_an_award_and_the_totals_list_and_csv_agree(open_as, shots):
    staff = open_as("staff")
    staff.goto("/funding/")
    before = staff.locator("#direction-outgoing ~ p strong").first.inner_text()
    staff.goto("/funding/awards/new/?fund=street-pastors-fund")
    staff.select_option("#id_organisation", label="Chorley Street Pastors")
    staff.fill("#id_title", "Chorley Street Pastors: radios")
    staff.fill("#id_amount", "1,250")
    staff.fill("#id_award_date_0", "1")
    staff.fill("#id_award_date_1", "6")
    staff.fill("#id_award_date_2", "2021")
    staff.click("input[name=save]")
    staff.goto("/funding/")
    after = staff.locator("#direction-outgoing ~ p strong").first.inner_text()
    assert (
        Decimal(after.strip("£").replace(",", "")) - Decimal(before.strip("£").replace(",", ""))
        == 1250
    )
    staff.goto("/funding/awards/?fund=street-pastors-fund")
    listed_total = staff.locator("main [role=status] strong").inner_text()
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Download these awards as CSV").click()
    rows = list(
        csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8")))
    )
    csv_total = sum(Decimal(row["amount"]) for row in rows if row["status"] == "awarded")
    assert f"£{csv_total:,.0f}" == listed_total == "£46,740"
    shots(staff, "awards")


def test_compose_publish_and_download_a_paper_and_the_agenda_pack(open_as, shots):
    staff = open_as("staff")
    staff.goto("/reports/new/")
    staff.select_option("#id_panel_meeting", label="12 October 2021, venue not recorded")
    staff.fill("#id_title", "Funding update for the panel")
    staff.fill("#id_executive_summary", "What the Commissioner has secured.")
    staff.click("input[name=save]")
    staff.check("#kind-text")
    staff.get_by_role("button", name="Add the section").click()
    staff.fill("#id_heading", "Background")
    staff.fill("#id_body", "The Commissioner secured funding.\n\nIt is set out below.")
    staff.click("input[name=save]")
    staff.check("#kind-funding_table")
    staff.get_by_role("button", name="Add the section").click()
    staff.fill("#id_heading", "Funding secured")
    staff.check("input[name=direction][value=incoming]")
    staff.click("input[name=save]")
    staff.get_by_role("link", name="Preview the paper").click()
    expect(staff.locator("main")).to_contain_text("DRAFT")
    expect(staff.locator("#p2")).to_contain_text("2. It is set out below.")
    expect(staff.locator("main")).to_contain_text("Figures as at 12 October 2021")
    paper_url = staff.url
    staff.get_by_role("button", name="Submit for approval").click()
    expect(staff.locator("main")).to_contain_text("Waiting for approval")

    # The meeting is published: the paper's new agenda item waits for the approver, who adds
    # it by publishing the paper.
    approver = open_as("approver")
    approver.goto("/")
    approver.get_by_role(
        "link", name="“Funding update for the panel” waits for your approval"
    ).click()
    approver.get_by_role("link", name="Return to staff").click()
    approver.get_by_role("button", name="Return to staff").click()  # no reason: refused
    expect(approver.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the paper is being returned"
    )
    no_serious_axe_violations(approver)
    approver.fill("#id_reason", "Say what the funding is for.")
    approver.get_by_role("button", name="Return to staff").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("returned to staff")

    staff.goto("/")
    staff.get_by_role("link", name="“Funding update for the panel” was returned to you").click()
    expect(staff.locator("main")).to_contain_text("Reason: Say what the funding is for.")
    staff.get_by_role("button", name="Submit for approval").click()
    expect(staff.locator("main")).to_contain_text("Waiting for approval")

    approver.goto(paper_url)
    approver.get_by_role("link", name="Publish", exact=True).click()
    expect(approver.locator("main")).to_contain_text(
        "Publishing also adds the agenda item “Funding update for the panel”"
    )
    approver.get_by_role("button", name="Publish the paper").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("revision 1")

    # A member opens the paper, then the meeting's agenda and its pack, as members do.
    member = open_as("panel")
    traffic = count_traffic(member)
    member.goto(paper_url)
    expect(member.locator("main")).to_contain_text("Total £5,768,294")
    number = re.search(r"Agenda item (\d+)", member.locator("main").inner_text()).group(1)
    pdf = download(member, paper_url.rstrip("/") + ".pdf")
    paper_pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert "Funding update for the panel" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    member.goto(MEETING)
    item = member.locator("li.portal-agenda-item", has_text="Funding update for the panel")
    expect(item.locator("h3")).to_have_text(f"Item {number}: Funding update for the panel")
    size = format_file_size(len(pdf))
    pdf_link = item.locator("a", has_text="PDF")
    expect(pdf_link).to_have_text(re.compile(rf"PDF.*, {size}, {paper_pages} pages$"))
    pack = download(member, MEETING + "pack.pdf")
    pack_pages = pack_page_texts(pack)
    expect(member.locator("#pack + p a")).to_contain_text(
        f"PDF, {len(pack_pages)} pages, {filesizeformat(len(pack))}"
    )
    starts = member.get_by_role("table", name="Where each item starts in the pack")
    row = starts.locator("tbody tr", has_text="Funding update for the panel")
    expect(row.locator("td").first).to_have_text(number)
    start = int(row.locator("td").last.inner_text())
    # The pack's own contents page gives the same start page, where the paper is.
    assert re.search(rf"(?<!\d){number}\s*Funding update for the panel\s*{start}\b", pack_pages[1])
    assert "Funding update for the panel" in pack_pages[start - 1]
    assert f"Agenda item {number}" in pack_pages[start - 1]
    assert "Funding update for the panel" not in pack_pages[start - 2]
    # Numbered through the whole pack.
    for page_number, page_text in enumerate(pack_pages, start=1):
        assert f"Page {page_number} of {len(pack_pages)}" in page_text
    shots(member, "meeting-with-papers")
    assert len(traffic["loads"]) == MEMBER_PAGE_LOADS and not traffic["posts"], traffic

    # A visitor who is not signed in gets the public pack (no Part II), with the paper in it.
    public = open_as(None)
    public.goto(MEETING)
    public_pages = pack_page_texts(download(public, MEETING + "pack.pdf"))
    assert "Resolution to exclude the press and public" not in " ".join(public_pages)
    assert re.search(rf"Funding update for the panel\s*{start}\b", public_pages[1])
    assert f"Page 1 of {len(public_pages)}" in public_pages[0]


CLICK_A_DOWNLOAD_LINK = (
    "url => { const a = document.createElement('a'); a.href = url; a.download = ''; "
    "document.body.appendChild(a); a.click(); }"
)


def download(page, url: str) -> bytes:
    """What the browser saves following a link to `url` from the page, as a reader would."""
    with page.expect_download() as saved:
        page.evaluate(CLICK_A_DOWNLOAD_LINK, url)
    data = Path(saved.value.path()).read_bytes()
    assert data.startswith(b"%PDF"), url
    return data


def pack_page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_public_visitor_cannot_reach_a_draft_or_an_exempt_paper_by_its_address(open_as, shots):
    from reports.models import Report

    draft = Report.objects.create(
        panel_meeting_id=3, title="A draft paper", contact_name="x", executive_summary="x",
        recommendation="x", signatory_name="x", signatory_title="x",
    )  # fmt: skip
    exempt = Report.objects.get(pk=3)
    exempt.is_exempt = True  # as the portal marks it: at once, and no longer served from files
    exempt.save()
    public = open_as(None)
    for url in (f"/reports/{draft.pk}/", f"/reports/{draft.pk}.pdf", f"/reports/{exempt.pk}/",
                f"/reports/{exempt.pk}.pdf"):  # fmt: skip
        response = public.goto(url)
        assert response.status == 404, url
        expect(public.locator("h1")).to_have_text("Page not found")
    shots(public, "not-found")
    member = open_as("panel")
    assert member.goto(f"/reports/{exempt.pk}/").status == 200


def test_repeated_failed_sign_ins_lock_with_a_clear_message(open_as, shots):
    page = open_as(None)
    for _ in range(5):
        page.goto("/accounts/login/")
        page.fill("#id_username", "staff")
        page.fill("#id_password", "wrong password")
        page.press("#id_password", "Enter")
    expect(page.locator("h1")).to_have_text("Sign-in locked")
    expect(page.locator("main")).to_contain_text("locked for 30 minutes")
    shots(page, "locked")
