"""The home page's latest papers: the portal's home page showing the reports app's papers."""

import pytest

from tests.helpers import soup, text


@pytest.fixture
def office(db):
    from django.core.management import call_command

    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)


def test_home_page_shows_the_latest_papers_the_visitor_may_read(client_for, office, settings,
                                                                 tmp_path, make_user):  # fmt: skip
    from reports.tests.factories import add_section, make_report, publish

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
