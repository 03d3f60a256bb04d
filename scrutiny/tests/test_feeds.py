"""The Atom feeds of panel meetings and of scrutiny meetings with their topics, read alike by
two parsers; published meetings only, whoever asks; linked from their lists."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pcc_portal.feeds import FEED_LIMIT
from pcc_portal.models import OfficeProfile
from scrutiny.models import PanelMeeting
from scrutiny.tests.factories import at, make_meeting, make_panel_meeting, make_topic
from tests.helpers import read_atom, soup, text

pytestmark = pytest.mark.django_db

PANEL_FEED = "/scrutiny/panel/feed/"
SCRUTINY_FEED = "/scrutiny/meetings/feed/"


@pytest.fixture
def meetings(db):
    OfficeProfile.objects.update_or_create(pk=1, defaults={"office_name": "Lancashire OPCC"})
    october = make_panel_meeting("2021-10-12")
    cancelled = make_panel_meeting("2021-12-06", status="cancelled")
    PanelMeeting.objects.filter(pk=cancelled.pk).update(venue="")
    make_panel_meeting("2022-02-07", published=False)
    march = make_meeting(title="March meeting", starts_at=at("2021-03-16"), location="Hutton Hall")
    make_topic(march, title="Knife crime in Burnley", summary="Arrests **doubled**.")
    make_topic(march, title="Rural crime")
    hidden = make_meeting(title="Unpublished meeting", starts_at=at("2021-06-15"), published=False)
    make_topic(hidden, title="A topic not yet published")
    make_meeting(
        title="February meeting",
        starts_at=at("2021-02-16"),
        status="rescheduled",
        rescheduled_to=hidden,
        reschedule_reason="Half term",
    )
    return {"october": october, "march": march}


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff"])
def test_the_feeds_have_only_published_meetings_whoever_asks(client_for, meetings, role):
    client = client_for(role)
    panel = read_atom(client.get(PANEL_FEED))
    assert [entry.title for entry in panel.entries] == [
        "Police and Crime Panel, 6 December 2021",
        "Police and Crime Panel, 12 October 2021",
    ]
    scrutiny = read_atom(client.get(SCRUTINY_FEED))
    assert [entry.title for entry in scrutiny.entries] == [
        "March meeting (16 March 2021)",
        "February meeting (16 February 2021)",
    ]


def test_panel_members_get_the_same_feeds_as_the_public(client_for, meetings):
    public = {url: Client().get(url).content for url in (PANEL_FEED, SCRUTINY_FEED)}
    member = client_for("panel member")
    for url, content in public.items():
        assert member.get(url).content == content, url
    assert b"not yet published" not in public[SCRUTINY_FEED]
    # Where the February meeting moved to is not published yet: the feed keeps its date back.
    assert b"15 June 2021" not in public[SCRUTINY_FEED]


def test_a_panel_meeting_entry_has_its_date_venue_and_link(client, meetings):
    feed = read_atom(client.get(PANEL_FEED))
    assert feed.feed.title == "Police and Crime Panel meetings: Lancashire OPCC"
    assert feed.feed.link == "http://testserver/scrutiny/panel/"
    cancelled, october = feed.entries
    assert october.link == "http://testserver/scrutiny/panel/2021-10-12/"
    assert "12 October 2021 at 10:00am, County Hall, Preston. Scheduled." in text(
        soup_of(october.summary)
    )
    assert "venue not recorded. Cancelled." in text(soup_of(cancelled.summary))
    assert october.id.startswith("tag:") and october.id != october.link


def test_a_scrutiny_meeting_entry_has_its_topics(client, meetings):
    feed = read_atom(client.get(SCRUTINY_FEED))
    assert feed.feed.title == "Scrutiny meetings: Lancashire OPCC"
    march, february = feed.entries
    assert march.link == f"http://testserver/scrutiny/meetings/{meetings['march'].pk}/"
    summary = soup_of(march.summary)
    assert [text(h) for h in summary.select("h3")] == ["Knife crime in Burnley", "Rural crime"]
    assert "<strong>doubled</strong>" in march.summary
    assert "16 March 2021 at 10:00am, Hutton Hall. Held." in text(summary)
    assert text(soup_of(february.summary)).startswith(
        "Strategic Scrutiny meeting, 16 February 2021 at 10:00am. Rescheduled: Half term"
    )


def test_an_entry_keeps_its_id_when_its_meeting_moves(client, meetings):
    before = read_atom(client.get(PANEL_FEED)).entries[-1]
    PanelMeeting.objects.filter(pk=meetings["october"].pk).update(starts_at=at("2021-10-19"))
    after = read_atom(client.get(PANEL_FEED)).entries[-1]
    assert after.link == "http://testserver/scrutiny/panel/2021-10-19/" != before.link
    assert after.id == before.id


def test_the_feeds_are_bounded(client, db):
    for n in range(FEED_LIMIT + 3):
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
        make_panel_meeting(day.isoformat())
        make_meeting(starts_at=at(day.isoformat()))
    for url in (PANEL_FEED, SCRUTINY_FEED):
        assert len(read_atom(client.get(url)).entries) == FEED_LIMIT, url
    newest = read_atom(client.get(PANEL_FEED)).entries[0]
    assert newest.title == "Police and Crime Panel, 2 February 2020"


def grow(count: int) -> None:
    start = PanelMeeting.objects.count()
    for i in range(count):
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=start + i)
        make_panel_meeting(day.isoformat())
        make_panel_meeting((day + datetime.timedelta(days=400)).isoformat(), published=False)
        march = make_meeting(starts_at=at(day.isoformat()))
        for _ in range(3):
            make_topic(march)
        make_meeting(status="rescheduled", rescheduled_to=march, reschedule_reason="Moved")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_the_feeds_run_the_same_queries_with_ten_times_the_meetings(client_for, role):
    client = client_for(role)
    grow(2)
    for url in (PANEL_FEED, SCRUTINY_FEED):  # caches of the process warm up
        client.get(url)
    before = {url: count_queries(client, url) for url in (PANEL_FEED, SCRUTINY_FEED)}
    grow(20)
    assert {url: count_queries(client, url) for url in before} == before
    assert max(before.values()) <= 8, before


@pytest.mark.parametrize(
    "page, feed, title",
    [
        ("/scrutiny/panel/", PANEL_FEED, "Police and Crime Panel meetings (Atom feed)"),
        ("/scrutiny/meetings/", SCRUTINY_FEED, "Scrutiny meetings (Atom feed)"),
    ],
)
def test_the_lists_link_their_feeds(client, meetings, page, feed, title):
    html = soup(client.get(page))
    links = html.select('link[rel="alternate"][type="application/atom+xml"]')
    assert [(link["href"], link["title"]) for link in links] == [(feed, title)]
    assert text(html.find("a", href=feed)) == "Subscribe to this list (Atom feed)"


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")
