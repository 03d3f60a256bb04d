"""/reports/feed/: the newest published papers as Atom, read alike by two parsers; only what
the public may see, whoever asks; linked from the papers list and each panel meeting."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcc_portal.feeds import FEED_LIMIT
from pcc_portal.models import OfficeProfile
from reports.models import Publication, Report
from reports.tests.factories import make_report
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import read_atom, soup, text

pytestmark = pytest.mark.django_db

FEED = "/reports/feed/"


def on(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T09:00"))


def published(report: Report, *days: str) -> Report:
    """The paper published once on each day (a stored revision each, its PDF left out)."""
    report.status = Report.Status.PUBLISHED
    report.save()
    for revision, day in enumerate(days, start=1):
        publication = Publication.objects.create(
            report=report, revision=revision, html="<p>Frozen.</p>", sha256="0" * 64
        )
        Publication.objects.filter(pk=publication.pk).update(published_at=on(day))
    return report


@pytest.fixture
def papers(db):
    meeting = make_panel_meeting("2021-03-08")
    return {
        "public": published(
            make_report(
                meeting, title="Performance report, quarter 3",
                executive_summary="Burglary fell by **a fifth**.",
            ),
            "2021-02-26", "2021-03-02",
        ),
        "exempt": published(
            make_report(meeting, title="Estates disposal (exempt)", is_exempt=True), "2021-03-01"
        ),
        "draft": make_report(meeting, title="A draft paper"),
        "submitted": make_report(meeting, title="A paper waiting for approval", status="submitted"),
        "withdrawn": make_report(meeting, title="A withdrawn paper", status="withdrawn"),
        "unpublished meeting": published(
            make_report(
                make_panel_meeting("2021-06-14", published=False), title="Paper of a draft meeting"
            ),
            "2021-03-03",
        ),
    }  # fmt: skip


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff"])
def test_the_feed_has_only_the_papers_the_public_may_see_whoever_asks(client_for, papers, role):
    feed = read_atom(client_for(role).get(FEED))
    assert [entry.title for entry in feed.entries] == ["Performance report, quarter 3"]


def test_panel_members_get_the_same_feed_as_the_public(client_for, papers):
    public = Client().get(FEED).content
    assert client_for("panel member").get(FEED).content == public
    assert b"exempt" not in public.lower()


def test_an_entry_links_the_paper_with_its_meeting_summary_and_publication_dates(client, papers):
    OfficeProfile.objects.update_or_create(pk=1, defaults={"office_name": "Lancashire OPCC"})
    feed = read_atom(client.get(FEED))
    assert feed.feed.title == "Panel papers: Lancashire OPCC"
    assert feed.feed.author == "Lancashire OPCC"
    assert feed.feed.link == "http://testserver/reports/"
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/reports/{papers['public'].pk}/"
    assert "Performance monitoring report for the panel meeting of 8 March 2021" in entry.summary
    assert "<strong>a fifth</strong>" in entry.summary
    # Published when first published; updated when its latest revision was.
    assert entry.published_parsed[:3] == (2021, 2, 26)
    assert entry.updated_parsed[:3] == (2021, 3, 2)
    assert entry.id.startswith("tag:") and entry.id != entry.link


def test_entry_ids_stay_the_same_when_a_paper_is_republished(client, papers):
    first = read_atom(client.get(FEED)).entries[0].id
    published(make_report(title="Another paper"), "2021-04-01")
    Publication.objects.create(
        report=papers["public"], revision=3, html="<p>Corrected.</p>", sha256="1" * 64
    )
    entries = read_atom(client.get(FEED)).entries
    # Republished today, the paper comes first again, under the same id.
    assert entries[0].title == "Performance report, quarter 3"
    assert entries[0].id == first
    assert len({entry.id for entry in entries}) == len(entries)


def test_the_feed_is_newest_first_and_bounded(client, db):
    meeting = make_panel_meeting("2021-03-08")
    for n in range(FEED_LIMIT + 5):
        day = datetime.date(2021, 1, 1) + datetime.timedelta(days=n)
        published(make_report(meeting, title=f"Paper {n}"), day.isoformat())
    entries = read_atom(client.get(FEED)).entries
    assert len(entries) == FEED_LIMIT
    assert entries[0].title == f"Paper {FEED_LIMIT + 4}"
    assert entries[-1].title == "Paper 5"


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(count: int) -> None:
    for _ in range(count):
        published(make_report(title="Grown paper"), "2021-05-01", "2021-05-02")
        make_report(title="Grown draft")


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_the_feed_runs_the_same_queries_with_ten_times_the_papers(client_for, role):
    client = client_for(role)
    grow(2)
    client.get(FEED)  # caches of the process (the office profile, content types) warm up
    before = count_queries(client, FEED)
    grow(20)
    assert count_queries(client, FEED) == before
    assert before <= 7  # signing in and its permissions, the office, the papers


def test_the_papers_list_and_a_panel_meeting_link_the_feed(client, papers):
    meeting = papers["public"].panel_meeting
    for url in (reverse("reports:papers"), meeting.get_absolute_url()):
        page = soup(client.get(url))
        links = page.select('link[rel="alternate"][type="application/atom+xml"]')
        assert [link["href"] for link in links] == [FEED], url
        assert links[0]["title"] == "Panel papers (Atom feed)"
        subscribe = page.find("a", href=FEED)
        assert subscribe is not None, url
        assert "(Atom feed)" in text(subscribe)
    assert "Subscribe to this list (Atom feed)" in text(soup(client.get(reverse("reports:papers"))))


def test_the_home_page_offers_the_feeds_of_what_it_shows(client, papers):
    make_panel_meeting((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    links = soup(client.get("/")).select('link[rel="alternate"][type="application/atom+xml"]')
    assert sorted(link["href"] for link in links) == [FEED, "/scrutiny/panel/feed/"]
