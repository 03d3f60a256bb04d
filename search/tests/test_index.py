"""The index follows what the apps publish: per role, on publish and withdraw, and rebuilt."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import TestCase

from decisions.tests.factories import make_decision, publish_decision
from funding.tests.factories import make_award, make_fund, make_org
from reports.models import Report
from reports.services import report_withdraw
from reports.tests.factories import add_section, make_report, publish
from search.models import SearchEntry
from search.services import search_query

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "panel member", "staff")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def approver(make_user):
    return make_user("approver")


@pytest.fixture
def reader(make_user):
    return lambda role: AnonymousUser() if role == "anonymous" else make_user(role)


def committed():
    """Runs what waits for the commit (the index's task), as a real request would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def urls(page) -> list[str]:
    return [result.url for result in page.results]


def published_paper(approver, *, title="Serious violence", exempt=False) -> Report:
    report = make_report(title=title, is_exempt=exempt)
    add_section(report, body="Burglary fell in Preston.\n\nKnife crime fell in Burnley.")
    publish(report, approver)
    return Report.objects.get(pk=report.pk)


def test_a_published_paper_is_found_at_the_paragraph_that_says_it(approver):
    report = published_paper(approver)
    page = search_query(AnonymousUser(), "knife")
    assert urls(page) == [f"{report.get_absolute_url()}#p2"]
    assert page.results[0].title == "Paragraph 2"
    assert page.results[0].heading == "Serious violence: Paragraph 2"
    assert "<mark>Knife</mark>" in page.results[0].snippet
    # The paper itself, by its title and summary.
    assert report.get_absolute_url() in urls(search_query(AnonymousUser(), "violence"))


@pytest.mark.parametrize("role", ROLES)
def test_an_exempt_paper_is_found_by_whoever_may_see_it_and_no_one_else(approver, reader, role):
    open_paper = published_paper(approver, title="Open paper")
    exempt = published_paper(approver, title="Exempt paper", exempt=True)
    user = reader(role)
    found = {url.split("#")[0] for url in urls(search_query(user, "burglary"))}
    visible = {r.get_absolute_url() for r in Report.objects.visible_to(user).published()}
    assert found == visible
    assert (exempt.get_absolute_url() in found) is (role != "anonymous")
    assert open_paper.get_absolute_url() in found


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_paper_is_never_found(approver, reader, role):
    with committed():
        report = make_report(title="Draft burglary")
        add_section(report, body="Burglary in draft.")
        report.save()
    assert not SearchEntry.objects.filter(kind="paper", object_id=report.pk).exists()
    assert search_query(reader(role), "burglary").total == 0


def test_publishing_then_withdrawing_a_paper_updates_the_index(approver):
    report = published_paper(approver)
    assert search_query(AnonymousUser(), "knife").total == 1
    with committed():
        report_withdraw(report=report, user=approver)
    assert search_query(AnonymousUser(), "knife").total == 0
    assert not SearchEntry.objects.filter(kind="paper", object_id=report.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_a_decisions_exempt_part_is_found_only_by_those_who_may_see_it(approver, reader, role):
    with committed():
        decision = publish_decision(
            make_decision(
                title="Estate sale", summary="Selling the old station.",
                exempt_text="The buyer's burglary alarm contract.", exemption="3",
            ),
            approver,
        )  # fmt: skip
    page = search_query(reader(role), "burglary")
    expected = [] if role == "anonymous" else [f"{decision.get_absolute_url()}#exempt-part"]
    assert urls(page) == expected
    assert page.total == len(expected)
    assert urls(search_query(reader(role), "station")) == [decision.get_absolute_url()]


def test_a_decision_not_yet_published_is_not_found(make_user):
    with committed():
        make_decision(title="Station burglary", exempt_text="x", exemption="3")
    assert search_query(make_user("staff"), "burglary").total == 0


def test_funding_is_found_and_follows_its_organisation():
    with committed():
        fund = make_fund(name="Safer Streets Fund")
        organisation = make_org(name="Burnley Community Safety Partnership")
        award = make_award(fund, organisation, title="Street lighting")
    assert award.get_absolute_url() in urls(search_query(AnonymousUser(), "burnley"))
    with committed():
        organisation.name = "Pendle Community Safety Partnership"
        organisation.save()
    assert award.get_absolute_url() not in urls(search_query(AnonymousUser(), "burnley"))
    assert award.get_absolute_url() in urls(search_query(AnonymousUser(), "pendle"))
    url = award.get_absolute_url()
    with committed():
        award.delete()
    assert url not in urls(search_query(AnonymousUser(), "lighting"))


def test_the_rebuild_command_makes_the_index_again(approver):
    report = published_paper(approver)
    papers = SearchEntry.objects.filter(kind="paper")
    before = sorted(papers.values_list("kind", "object_id", "key"))
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(kind="paper", object_id=999, key="p1", title="Stale", url="/")
    assert search_query(AnonymousUser(), "knife").total == 0
    call_command("search_rebuild", stdout=None)
    assert sorted(papers.values_list("kind", "object_id", "key")) == before
    # The rebuild also indexes what no save announced: the paper's (published) meeting.
    assert SearchEntry.objects.filter(kind="panel_meeting", object_id=report.panel_meeting_id)
    assert urls(search_query(AnonymousUser(), "knife")) == [f"{report.get_absolute_url()}#p2"]


def test_the_demo_ends_with_an_index_of_what_it_published():
    from io import StringIO

    out = StringIO()
    call_command("demo", password="demo-pass", allow_production=True, stdout=out)
    assert "search entries" in out.getvalue()
    published = Report.objects.visible_to(AnonymousUser())
    found = {
        url.split("#")[0]
        for url in SearchEntry.objects.filter(kind="paper").values_list("url", flat=True)
    }
    assert found == {r.get_absolute_url() for r in published}
    assert search_query(AnonymousUser(), "police").total > 0
