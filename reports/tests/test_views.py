"""Papers as each role sees and handles them: publishing, revisions, exempt papers, packs."""

import datetime
import hashlib
from io import BytesIO

import pytest
from django.test import TestCase
from django.urls import resolve, reverse
from pypdf import PdfReader

from pcc_portal.models import PublishedFile
from pcc_portal.published import published_list_forget
from reports.models import Publication, Report
from reports.services import report_withdraw
from reports.tests.factories import add_section, make_report, publish
from reports.views import AgendaPackView, PlanPDFView
from scrutiny.tests.factories import make_panel_meeting
from scrutiny.views.panel import PanelMeetingDetailView
from tests.helpers import ROLES, soup, text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def papers(db, media, make_user):
    meeting = make_panel_meeting("2021-03-08")
    approver = make_user("approver")
    public = make_report(meeting, title="Public paper", agenda_order=1)
    add_section(public, body="The public paragraph.")
    exempt = make_report(meeting, title="Exempt paper", is_exempt=True, agenda_order=2)
    add_section(exempt, body="The exempt paragraph.")
    draft = make_report(meeting, title="Draft paper", agenda_order=3)
    add_section(draft, body="The draft paragraph.")
    withdrawn = make_report(meeting, title="Withdrawn paper", agenda_order=4)
    add_section(withdrawn, body="The withdrawn paragraph.")
    for report in (public, exempt, withdrawn):
        publish(report, approver)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the packs are made again
        report_withdraw(report=withdrawn, user=approver)
    return {"meeting": meeting, "public": public, "exempt": exempt, "draft": draft,
            "withdrawn": withdrawn}  # fmt: skip


SEES = {  # role -> the papers it may see
    "anonymous": {"public"},
    "panel member": {"public", "exempt"},
    "staff": {"public", "exempt", "draft", "withdrawn"},
    "approver": {"public", "exempt", "draft", "withdrawn"},
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_paper_as_html_and_pdf(client_for, papers, role):
    client = client_for(role)
    listing = text(soup(client.get("/reports/")).main)
    for name in ("public", "exempt", "draft", "withdrawn"):
        report = papers[name]
        expected = 200 if name in SEES[role] else 404
        assert client.get(report.get_absolute_url()).status_code == expected, (role, name)
        assert client.get(report.get_pdf_url()).status_code == expected, (role, name)
        assert (report.title in listing) is (name in SEES[role]), (role, name)


def test_published_paper_is_served_from_its_stored_revision(client, papers):
    public = papers["public"]
    publication = public.publications.get()
    public.sections.update(body="Changed after publishing.")
    page = text(soup(client.get(public.get_absolute_url())).main)
    assert "The public paragraph." in page and "Changed after publishing." not in page
    response = client.get(public.get_pdf_url())
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == publication.sha256
    assert response["ETag"] == f'"{publication.sha256}"'
    assert "2021-03-08" in response["Content-Disposition"]
    assert client.get(public.get_pdf_url(), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_staff_preview_of_a_draft_is_fresh_and_marked_draft(client_for, papers):
    client = client_for("staff")
    page = text(soup(client.get(papers["draft"].get_absolute_url())).main)
    assert "DRAFT" in page and "The draft paragraph." in page
    pdf = client.get(papers["draft"].get_pdf_url()).content
    assert "DRAFT" in PdfReader(BytesIO(pdf)).pages[0].extract_text()


def test_republishing_makes_revision_2_and_leaves_revision_1_unchanged(papers, make_user):
    public = papers["public"]
    first = public.publications.get()
    first_bytes = first.pdf.read()
    public.sections.update(body="A corrected paragraph.")
    second = publish(public, make_user("approver"))
    first.refresh_from_db()
    assert (first.revision, second.revision) == (1, 2)
    assert first.pdf.open("rb").read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256 != second.sha256
    assert "A corrected paragraph." in second.html and "A corrected paragraph." not in first.html


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("panel member", 403),
                                                ("staff", 403)])  # fmt: skip
def test_only_approvers_publish(client_for, papers, role, expected):
    draft = papers["draft"]
    client = client_for(role)
    assert client.get(f"/reports/{draft.pk}/publish/").status_code == expected
    assert client.post(f"/reports/{draft.pk}/publish/").status_code == expected
    assert not draft.publications.exists()


def test_approver_confirms_then_publishes_and_withdraws(client_for, papers):
    client = client_for("approver")
    draft = papers["draft"]
    confirm = text(soup(client.get(f"/reports/{draft.pk}/publish/")).main)
    assert "Everyone, including the public, will be able to read" in confirm
    client.post(f"/reports/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.is_published and draft.publications.get().revision == 1
    assert client_for("anonymous").get(draft.get_absolute_url()).status_code == 200
    client.post(f"/reports/{draft.pk}/withdraw/")
    draft.refresh_from_db()
    assert draft.status == "withdrawn" and draft.publications.count() == 1


def test_a_paper_with_no_sections_cannot_be_published(client_for, papers):
    empty = make_report(papers["meeting"], title="Empty paper")
    response = client_for("approver").post(f"/reports/{empty.pk}/publish/")
    assert response.status_code == 400
    assert "no sections cannot be published" in text(soup(response).main)
    assert not Publication.objects.filter(report=empty).exists()


@pytest.mark.parametrize(("role", "titles"), [
    ("anonymous", ["Public paper"]),
    ("panel member", ["Public paper", "Resolution to exclude the press and public",
                      "Exempt paper"]),
])  # fmt: skip
def test_agenda_pack_joins_the_published_papers_the_reader_may_see(client_for, papers, role,
                                                                   titles):  # fmt: skip
    response = client_for(role).get("/scrutiny/panel/2021-03-08/pack.pdf")
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and content.startswith(b"%PDF")
    reader = PdfReader(BytesIO(content))
    text_all = " ".join(page.extract_text() for page in reader.pages)
    assert "Agenda reports pack" in text_all and "Agenda" in text_all
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert bookmarks == ["Agenda reports pack", "Agenda", *titles]
    for hidden in {"Exempt paper", "Draft paper", "Withdrawn paper"} - set(titles):
        assert hidden not in text_all


def test_panel_meeting_page_lists_its_papers_and_the_pack(client, papers):
    page = soup(client.get("/scrutiny/panel/2021-03-08/"))
    assert page.find("a", string="Public paper") is not None
    assert page.find("a", string="Exempt paper") is None
    assert page.find("a", href="/scrutiny/panel/2021-03-08/pack.pdf") is not None


def test_the_panel_meeting_page_is_scrutinys_with_the_papers_this_app_adds(client_for, papers):
    assert resolve("/scrutiny/panel/2021-03-08/").func.view_class is PanelMeetingDetailView
    main = soup(client_for("staff").get("/scrutiny/panel/2021-03-08/")).main
    assert main.h1.get_text(strip=True) == "Meeting on 8 March 2021"
    listed = [h3.get_text(strip=True) for h3 in main.select(".portal-section-list h3")]
    assert listed == ["Public paper", "Exempt paper", "Draft paper", "Withdrawn paper"]


def test_a_panel_meeting_without_papers_says_so(client, db):
    make_panel_meeting("2021-03-08")
    main = text(soup(client.get("/scrutiny/panel/2021-03-08/")).main)
    assert "No papers have been published for this meeting yet." in main


def test_the_pack_and_the_plan_pdf_keep_their_root_paths_and_names():
    day = datetime.date(2021, 3, 8)
    assert reverse("panel_meeting_pack", args=[day.isoformat()]) == (
        "/scrutiny/panel/2021-03-08/pack.pdf"
    )
    assert resolve("/scrutiny/panel/2021-03-08/pack.pdf").func.view_class is AgendaPackView
    assert reverse("plan_pdf", kwargs={"plan": "2021-2025"}) == "/plan/2021-2025.pdf"
    assert resolve("/plan/2021-2025.pdf").func.view_class is PlanPDFView


def test_the_plan_as_a_pdf(client, db):
    from django.core.management import call_command

    for name in ("020_areas_lancashire", "030_plan_lancashire_2021_2025"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    response = client.get("/plan/2021-2025.pdf")
    assert response.status_code == 200
    text_all = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert "Leading the Fight Against Crime" in " ".join(text_all.split())
    assert "Appendix: outcome measures" in text_all


def test_the_plan_pdf_carries_its_title_and_the_national_measures_flow(client, db):
    from django.core.management import call_command

    for name in ("020_areas_lancashire", "030_plan_lancashire_2021_2025"):
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    pages = PdfReader(BytesIO(client.get("/plan/2021-2025.pdf").content)).pages
    texts = [" ".join(page.extract_text().split()) for page in pages]
    assert all("Leading the Fight Against Crime" in t for t in texts)
    assert not any("Meeting of" in t for t in texts)
    # Five local priorities a page each; the six national measures share one page (it was 14).
    national = [t for t in texts if "National Crime and Policing Measure:" in t]
    assert len(national) == 1 and national[0].count("National Crime and Policing Measure:") == 6
    assert len(pages) <= 9


def test_staff_compose_a_paper_with_a_text_section_and_a_funding_table(client_for, papers):
    client = client_for("staff")
    meeting = papers["meeting"]
    response = client.post("/reports/new/", {
        "panel_meeting": meeting.pk, "title": "Funding update", "kind": "other", "quarter": "",
        "contact_name": "Ian Dickinson", "contact_phone": "", "contact_email": "",
        "executive_summary": "Money secured.", "recommendation": "Note it.",
        "signatory_name": "Angela Harrison", "signatory_title": "Director", "agenda_order": "5",
    })  # fmt: skip
    report = Report.objects.get(title="Funding update")
    assert response["Location"] == f"/reports/{report.pk}/edit/"
    client.post(
        f"/reports/{report.pk}/sections/new/?kind=text",
        {"heading": "Background", "body": "First.\n\nSecond."},
    )
    client.post(
        f"/reports/{report.pk}/sections/new/?kind=funding_table",
        {"heading": "Funding", "body": "", "direction": "incoming"},
    )
    kinds = list(report.sections.values_list("kind", flat=True))
    assert kinds == ["text", "funding_table"]
    funding = report.sections.get(kind="funding_table")
    assert funding.params == {"direction": "incoming"}
    client.post(f"/reports/sections/{funding.pk}/move/", {"direction": "up"})
    assert list(report.sections.values_list("kind", flat=True)) == ["funding_table", "text"]
    preview = text(soup(client.get(report.get_absolute_url())).main)
    assert "DRAFT" in preview and "1. First." in preview


def test_a_funding_section_must_say_which_money(client_for, papers):
    report = papers["draft"]
    response = client_for("staff").post(
        f"/reports/{report.pk}/sections/new/?kind=funding_table", {"heading": "Funding", "body": ""}
    )
    assert "Choose whether the table shows money secured" in text(
        soup(response).find(class_="govuk-error-summary")
    )


@pytest.mark.parametrize("sections", [1, 12])
def test_the_published_paper_page_runs_a_fixed_number_of_queries(client, papers,
                                                                 django_assert_num_queries,
                                                                 sections, make_user):  # fmt: skip
    report = make_report(papers["meeting"], title="Long paper")
    for _ in range(sections):
        add_section(report, body="Paragraph.\n\n" * 5)
        add_section(report, kind="funding_table", params={"direction": "incoming"})
    publish(report, make_user("approver"))
    # The public get the page from its stored file: the one query finds the file.
    with django_assert_num_queries(1):
        assert client.get(report.get_absolute_url()).status_code == 200
    # Without it (a release changed the layout), the view: the profile, the paper, its revision.
    PublishedFile.objects.all().delete()
    published_list_forget()  # as every process does within a second
    with django_assert_num_queries(4):
        assert client.get(report.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("panel member", 403),
                                                ("staff", 200), ("approver", 200)])  # fmt: skip
def test_only_staff_open_the_compose_pages(client_for, papers, role, expected):
    draft = papers["draft"]
    section = draft.sections.first()
    client = client_for(role)
    for url in [
        "/reports/new/",
        f"/reports/{draft.pk}/edit/",
        f"/reports/{draft.pk}/sections/new/?kind=outcome_measures",
        f"/reports/sections/{section.pk}/edit/",
        f"/reports/sections/{section.pk}/delete/",
    ]:
        assert client.get(url).status_code == expected, url


def test_a_funding_table_for_one_financial_year(client_for, papers):
    from funding.tests.factories import make_award, make_fund

    fund = make_fund("incoming")
    make_award(fund, amount="100", award_date="2020-04-01")
    make_award(fund, amount="200", award_date="2021-03-31")
    make_award(fund, amount="400", award_date="2021-04-01")
    report = papers["draft"]
    Report.objects.filter(pk=report.pk).update(as_at="2021-04-30")  # after the year's end
    client_for("staff").post(
        f"/reports/{report.pk}/sections/new/?kind=funding_table",
        {"heading": "2020/21", "direction": "incoming", "financial_year": "2020"},
    )
    section = report.sections.get(kind="funding_table")
    assert section.params == {"direction": "incoming", "financial_year": 2020}
    page = soup(client_for("staff").get(report.get_absolute_url()))
    table = page.find("h2", string="2020/21").find_next("table")
    assert table.tfoot.get_text(" ", strip=True) == "Total £300"
    columns = len(table.thead.find_all("th"))
    total = table.tfoot.tr.find_all(["th", "td"])
    assert len(total) == columns and not any(c.get("colspan") for c in total)
    assert total[0].name == "th" and total[0]["scope"] == "row" and total[0].text == "Total"


def test_a_paper_composed_with_no_agenda_order_goes_last_on_the_agenda(client_for, papers):
    client_for("staff").post("/reports/new/", {
        "panel_meeting": papers["meeting"].pk, "title": "Late paper", "kind": "other",
        "quarter": "", "contact_name": "Ian Dickinson", "contact_phone": "", "contact_email": "",
        "executive_summary": "Late.", "recommendation": "Note it.",
        "signatory_name": "Angela Harrison", "signatory_title": "Director", "agenda_order": "",
    })  # fmt: skip
    assert Report.objects.get(title="Late paper").agenda_order == 5


def test_a_new_papers_place_on_the_agenda_is_the_next_free_one_not_1(client_for, papers):
    """The meeting holds papers 1 to 4: a paper composed for it is offered place 5; with no
    meeting chosen yet the place is left blank, which puts the paper last when saved."""
    client = client_for("staff")
    meeting = papers["meeting"]
    page = soup(client.get(f"/reports/new/?panel_meeting={meeting.pk}"))
    assert page.find("input", attrs={"name": "agenda_order"})["value"] == "5"
    chosen = page.find("select", attrs={"name": "panel_meeting"}).find("option", selected=True)
    assert chosen["value"] == str(meeting.pk)
    blank = soup(client.get("/reports/new/")).find("input", attrs={"name": "agenda_order"})
    assert not blank.get("value")
    for nonsense in ("x", "99999", "1" * 30):
        assert client.get(f"/reports/new/?panel_meeting={nonsense}").status_code == 200


def test_staff_add_a_paper_from_its_panel_meetings_page(client_for, papers):
    """The meeting's page links to composing a paper for it, with the meeting chosen and the
    next place on its agenda; only for those who may compose papers."""
    meeting = papers["meeting"]
    url = reverse("scrutiny:panel_meeting", kwargs={"date": meeting.starts_at.date()})
    client = client_for("staff")
    link = soup(client.get(url)).find("a", string="Add a paper to this meeting")
    assert link["href"] == f"{reverse('reports:paper_create')}?panel_meeting={meeting.pk}"
    form = soup(client.get(link["href"]))
    assert form.find("input", attrs={"name": "agenda_order"})["value"] == "5"
    assert form.find("select", attrs={"name": "panel_meeting"}).find("option", selected=True)[
        "value"
    ] == str(meeting.pk)
    for role in ("anonymous", "panel member"):
        client.logout()
        page = soup(client_for(role).get(url))
        assert page.find("a", string="Add a paper to this meeting") is None, role
