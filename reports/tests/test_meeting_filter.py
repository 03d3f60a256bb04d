"""The papers list's meeting filter: recent meetings offered, an older one still followed."""

from reports.tests.factories import make_report
from scrutiny.models import RECENT_MEETINGS
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text


def offered(page) -> list[str]:
    select = page.find("select", attrs={"name": "meeting"})
    return [option.get_text(strip=True) for option in select("option")]


def test_the_filter_offers_the_latest_meetings_and_follows_a_link_to_an_older_one(client, db):
    old = make_panel_meeting("2018-06-11")
    for month in range(1, RECENT_MEETINGS + 1):
        recent = make_panel_meeting(f"20{19 + month // 12}-{month % 12 + 1:02d}-10")
    make_report(recent, title="Recent paper", status="published")
    make_report(old, title="Old paper", status="published")

    page = soup(client.get("/reports/"))
    assert str(recent) in offered(page)
    assert str(old) not in offered(page)
    assert "Old paper" in text(page.main)  # still listed, only not offered in the filter

    page = soup(client.get(f"/reports/?meeting={old.pk}"))
    chosen = page.find("select", attrs={"name": "meeting"}).find("option", selected=True)
    assert chosen.get_text(strip=True) == str(old)
    listed = text(page.main)
    assert "Old paper" in listed and "Recent paper" not in listed
    assert "Choose a panel meeting from the list" not in listed


def test_a_meeting_the_reader_may_not_see_is_refused_from_a_link(client, db):
    hidden = make_panel_meeting("2018-06-11", published=False)
    page = text(soup(client.get(f"/reports/?meeting={hidden.pk}")).main)
    assert "Choose a panel meeting from the list" in page
