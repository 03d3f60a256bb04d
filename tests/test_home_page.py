"""The home page: the portal's page showing scrutiny's next panel meeting and the reports
app's latest papers through its slots."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.tests.factories import add_section, make_report, publish
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text


@pytest.fixture
def office(db):
    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)


def test_home_page_shows_the_latest_papers_the_visitor_may_read(client_for, office, settings,
                                                                 tmp_path, make_user):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    approver = make_user("approver")
    for title, exempt in (("Open paper", False), ("Closed paper", True)):
        report = make_report(title=title, is_exempt=exempt)
        add_section(report, body="Text.")
        publish(report, approver)
    public = text(soup(client_for("anonymous").get("/")).main)
    assert "Open paper" in public and "Closed paper" not in public
    member = text(soup(client_for("panel member").get("/")).main)
    assert "Closed paper" in member


def test_the_home_page_shows_the_next_panel_meeting_and_the_latest_papers(client, db):
    next_year = timezone.localdate().year + 1
    make_panel_meeting(f"{next_year}-06-01")
    later = make_panel_meeting(f"{next_year}-09-01")
    type(later).objects.filter(pk=later.pk).update(venue="Not the next one")
    past = make_panel_meeting("2021-03-08")
    make_report(past, title="Published paper", status="published")
    make_report(past, title="Draft paper")
    page = text(soup(client.get("/")).main)
    assert "The next meeting of the" in page and "County Hall, Preston" in page
    assert "Not the next one" not in page
    assert "Latest papers" in page and "Published paper" in page
    assert "Draft paper" not in page


def test_the_home_page_without_meetings_or_papers_shows_neither(client, db):
    page = text(soup(client.get("/")).main)
    assert "The next meeting of the" not in page and "Latest papers" not in page
