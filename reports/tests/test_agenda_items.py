"""A paper belongs to an agenda item of its meeting and says which, on the web and in the PDF."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from pcc_portal.publication import held_new_values
from reports.models import Report
from reports.services import papers_file_in_items
from reports.tests.factories import add_section, make_report, publish
from scrutiny.models import AgendaItem
from scrutiny.services import agenda_item_add
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def paper_form(meeting, **changes):
    return {
        "panel_meeting": meeting.pk, "title": "Funding update", "kind": "other", "quarter": "",
        "contact_name": "Ian Dickinson", "contact_phone": "", "contact_email": "",
        "executive_summary": "Money secured.", "recommendation": "Note it.",
        "signatory_name": "Angela Harrison", "signatory_title": "Director", "agenda_order": "",
        **changes,
    }  # fmt: skip


def fifth_item(meeting) -> AgendaItem:
    for position, title in enumerate(AgendaItem.STANDARD_TITLES[:4], start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title)
    AgendaItem.objects.create(meeting=meeting, position=9, title="Date of the next meeting")
    return AgendaItem.objects.create(meeting=meeting, position=5, title="Performance", kind="paper")


def test_a_paper_says_its_agenda_item_on_the_web_and_in_the_pdf(db, media, make_user, client):
    meeting = make_panel_meeting("2021-03-08")
    report = make_report(meeting, title="Performance report", agenda_item=fifth_item(meeting))
    add_section(report, body="A paragraph.")
    publication = publish(report, make_user("approver"))

    page = soup(client.get(report.get_absolute_url()))
    assert text(page.select_one(".paper-agenda-item")) == "Agenda item 5"
    with publication.pdf.open("rb") as stored:
        first_page = PdfReader(BytesIO(stored.read())).pages[0].extract_text()
    assert "Agenda item 5" in first_page
    assert first_page.index("Agenda item 5") < first_page.index("Performance report")


def test_a_paper_on_no_item_says_no_number(db, client_for):
    report = make_report(make_panel_meeting("2021-03-08", published=False))
    page = soup(client_for("staff").get(report.get_absolute_url()))
    assert page.select_one(".paper-agenda-item") is None


def test_a_new_paper_from_a_meeting_gets_an_item_of_its_own(client_for):
    meeting = make_panel_meeting("2021-03-08", published=False)
    fifth_item(meeting)
    client = client_for("staff")
    page = soup(client.get(f"/reports/new/?panel_meeting={meeting.pk}"))
    offered = [text(o) for o in page.select("select[name=agenda_item] option")]
    assert offered[0] == "A new agenda item for this paper"
    assert len(offered) == 7  # the new item, and the meeting's six

    client.post("/reports/new/", paper_form(meeting))
    report = Report.objects.get(title="Funding update")
    assert (report.agenda_item.title, report.agenda_item.kind) == ("Funding update", "paper")
    assert report.agenda_item.position == 10
    assert report.agenda_item.history.latest().history_user.username.startswith("staff")


def test_a_new_paper_for_a_published_meeting_is_filed_in_its_item_once_published(
    client_for, make_user, media
):
    """Its new item waits for an approver with the meeting's changes; publishing the paper
    approves that item alone, and the paper is filed in it."""
    meeting = make_panel_meeting("2021-03-08")
    fifth_item(meeting)
    client_for("staff").post("/reports/new/", paper_form(meeting))
    report = Report.objects.get(title="Funding update")
    assert report.agenda_item is None  # the item waits for an approver
    other = AgendaItem(meeting=meeting, title="Another matter", kind="paper")
    agenda_item_add(item=other, user=make_user("staff"))  # held too, and stays held
    add_section(report, body="A paragraph.")
    page = soup(client_for("approver").get(f"/reports/{report.pk}/publish/"))
    assert "Publishing also adds the agenda item “Funding update”" in text(page.select_one("main"))

    publish(report, make_user("approver"))

    report.refresh_from_db()
    assert (report.agenda_item.title, report.agenda_item.position) == ("Funding update", 10)
    assert not AgendaItem.objects.filter(title="Another matter").exists()
    assert held_new_values(meeting, AgendaItem, "title") == ["Another matter"]


def test_a_paper_chooses_an_item_of_its_own_meeting(client_for):
    meeting = make_panel_meeting("2021-03-08", published=False)
    other = make_panel_meeting("2021-10-12", published=False)
    elsewhere = AgendaItem.objects.create(meeting=other, title="Elsewhere")
    client = client_for("staff")
    page = soup(client.post("/reports/new/", paper_form(meeting, agenda_item=elsewhere.pk)))
    assert "Select an item on the agenda of the paper's meeting" in text(
        page.select_one(".govuk-error-summary")
    )
    assert not Report.objects.exists()
    here = fifth_item(meeting)
    client.post("/reports/new/", paper_form(meeting, agenda_item=here.pk))
    assert Report.objects.get().agenda_item == here
    assert AgendaItem.objects.filter(meeting=meeting).count() == 6  # no new item


def test_a_part_ii_paper_must_choose_its_part_ii_item(client_for):
    meeting = make_panel_meeting("2021-03-08", published=False)
    client = client_for("staff")
    page = soup(client.post("/reports/new/", paper_form(meeting, is_exempt="on")))
    assert "Select the Part II item the paper is for" in text(
        page.select_one(".govuk-error-summary")
    )
    closed = AgendaItem.objects.create(
        meeting=meeting, title="Estates", is_exempt=True, exempt_paragraph=3
    )
    page = soup(client.post("/reports/new/", paper_form(meeting, agenda_item=closed.pk)))
    assert "A paper in a Part II item must be exempt" in text(
        page.select_one(".govuk-error-summary")
    )
    assert not Report.objects.exists() and AgendaItem.objects.count() == 1


def test_the_demo_files_each_paper_in_its_item(db):
    meeting = make_panel_meeting("2021-03-08")
    filed = AgendaItem.objects.create(meeting=meeting, title="Performance", kind="paper")
    report = make_report(meeting, title="Performance")
    loose = make_report(meeting, title="Something else")
    assert papers_file_in_items() == 1
    report.refresh_from_db()
    loose.refresh_from_db()
    assert (report.agenda_item, loose.agenda_item) == (filed, None)
