"""The decisions pages: the exempt part never reaches the public, the filters, the Atom feed,
the forward plan, the parts on other pages, and a fixed number of queries whatever the data."""

import datetime
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions import services
from decisions.models import Decision, ForwardPlanEntry
from decisions.tests.factories import make_decision, publish_decision
from funding.tests.factories import make_award, make_fund
from plan.tests.factories import make_plan, make_priority
from reports.tests.factories import make_report
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

SECRET = "The tender prices of the three bidders"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def approver(make_user):
    return make_user("approver")


@pytest.fixture
def exempt_decision(approver):
    decision = make_decision(
        title="Contract for victim services", exempt_text=SECRET, exemption="3"
    )
    return publish_decision(decision, approver)


@pytest.mark.parametrize("role", ["anonymous"])
def test_the_public_never_see_the_exempt_part(client_for, exempt_decision, role):
    client = client_for(role)
    page = client.get(exempt_decision.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert SECRET not in body
    assert "Part of this decision is not published" in text(soup(page))
    assert "paragraph 3: the financial or business affairs of a person" in text(soup(page))
    for url in (
        reverse("decisions:decisions"),
        reverse("decisions:decisions") + "?q=tender",
        reverse("decisions:feed"),
        reverse("decisions:forward_plan"),
    ):
        assert SECRET not in client.get(url).content.decode(), url
    # Searching for the exempt words finds nothing.
    found = client.get(reverse("decisions:decisions") + "?q=bidders")
    assert "0 decisions" in text(soup(found))


@pytest.mark.parametrize("role", ["panel member", "staff", "approver"])
def test_panel_members_and_staff_see_the_exempt_part(client_for, exempt_decision, role):
    page = client_for(role).get(exempt_decision.get_absolute_url())
    assert SECRET in page.content.decode()


def test_a_draft_is_not_found_by_the_public_even_by_its_number(client, make_user):
    draft = make_decision()
    assert client.get(reverse("decisions:decision_by_pk", args=[draft.pk])).status_code == 404
    assert client.get("/decisions/2021/001/").status_code == 404


def test_a_decision_with_a_reference_is_found_by_it(client, approver):
    decision = publish_decision(make_decision(decision_date=datetime.date(2021, 4, 14)), approver)
    assert decision.get_absolute_url() == "/decisions/2021/001/"
    by_pk = client.get(reverse("decisions:decision_by_pk", args=[decision.pk]))
    assert by_pk.status_code == 302 and by_pk["Location"] == "/decisions/2021/001/"
    page = client.get("/decisions/2021/001/")
    assert "Decision 2021/001" in text(soup(page))


def test_the_notice_lists_awards_and_their_total(client, approver):
    fund = make_fund()
    decision = make_decision(amount=Decimal("280000"))
    decision.awards.add(
        make_award(fund, amount="15300"),
        make_award(fund, amount="3500"),
        make_award(fund, amount=None),
    )
    decision = publish_decision(decision, approver)
    page = text(soup(client.get(decision.get_absolute_url())))
    assert "Total of the amounts recorded £18,800" in page
    assert "Amount: £280,000" in page


def _titles(client, query="") -> list[str]:
    page = soup(client.get(reverse("decisions:decisions") + query))
    return sorted(text(h) for h in page.select(".portal-section-list h2"))


def test_filters_by_year_maker_priority_and_money(client, approver):
    plan = make_plan(status="published")
    priority = make_priority(plan, title="Safer roads")
    grant = make_decision(title="Grant", decision_date=datetime.date(2022, 3, 31))
    grant.awards.add(make_award(make_fund(), amount="500"))
    grant.priorities.add(priority)
    chief = make_decision(
        title="Delegated", decision_date=datetime.date(2022, 4, 1), decision_maker="chief_executive"
    )
    costed = make_decision(
        title="Costed", decision_date=datetime.date(2022, 5, 1), amount=Decimal("10")
    )
    for decision in (grant, chief, costed):
        publish_decision(decision, approver)
    make_decision(title="Unpublished")  # never listed for the public
    assert _titles(client) == ["2021/001: Grant", "2022/001: Delegated", "2022/002: Costed"]
    assert _titles(client, "?year=2021") == ["2021/001: Grant"]
    assert _titles(client, "?year=2022") == ["2022/001: Delegated", "2022/002: Costed"]
    assert _titles(client, "?maker=chief_executive") == ["2022/001: Delegated"]
    assert _titles(client, f"?priority={priority.pk}") == ["2021/001: Grant"]
    assert _titles(client, "?money=yes") == ["2021/001: Grant", "2022/002: Costed"]
    assert _titles(client, "?money=no") == ["2022/001: Delegated"]
    wrong = client.get(reverse("decisions:decisions") + "?year=abc&maker=chief_executive")
    assert wrong.status_code == 200
    assert "Choose a financial year from the list" in text(soup(wrong))
    assert _titles(client, "?year=abc&maker=chief_executive") == ["2022/001: Delegated"]


def test_the_list_is_paginated_and_says_when_nothing_matches(client, approver):
    empty = client.get(reverse("decisions:decisions"))
    assert "No decisions match these filters." in text(soup(empty))
    for n in range(26):
        publish_decision(make_decision(title=f"Decision {n}"), approver)
    first = soup(client.get(reverse("decisions:decisions")))
    assert len(first.select(".portal-section-list > li")) == 25
    second = soup(client.get(reverse("decisions:decisions") + "?page=2"))
    assert len(second.select(".portal-section-list > li")) == 1


def test_the_feed_is_atom_read_alike_by_two_parsers(client, approver, exempt_decision):
    publish_decision(make_decision(title="Second decision"), approver)
    make_decision(title="A draft never in the feed")
    response = client.get(reverse("decisions:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    tree_titles = sorted(entry.find(f"{ATOM}title").text for entry in entries)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert sorted(entry.title for entry in parsed.entries) == tree_titles
    assert tree_titles == ["2021/001: Contract for victim services", "2021/002: Second decision"]
    links = {entry.link for entry in parsed.entries}
    assert "http://testserver/decisions/2021/001/" in links
    assert SECRET not in response.content.decode()
    exempt = next(e for e in parsed.entries if e.title.startswith("2021/001"))
    assert "Part of this decision is exempt" in exempt.summary


def test_the_list_and_notice_link_the_feed(client, exempt_decision):
    for url in (reverse("decisions:decisions"), exempt_decision.get_absolute_url()):
        link = soup(client.get(url)).select_one('link[rel="alternate"]')
        assert link["type"] == "application/atom+xml"
        assert link["href"] == reverse("decisions:feed")


def test_the_forward_plan_shows_published_entries_and_records_the_decision(client_for, make_user):
    plan = make_plan(status="published")
    priority = make_priority(plan)
    entry = ForwardPlanEntry.objects.create(
        title="Precept proposal", summary="The precept for next year.",
        expected_month=datetime.date.today().replace(day=1), published=True,
    )  # fmt: skip
    entry.priorities.add(priority)
    ForwardPlanEntry.objects.create(
        title="Not yet published", summary="Later.", expected_month=datetime.date(2030, 1, 1)
    )
    public = text(soup(client_for("anonymous").get(reverse("decisions:forward_plan"))))
    assert "Precept proposal" in public and "Not yet published" not in public
    staff = client_for("staff")
    response = staff.post(reverse("decisions:entry_record", args=[entry.pk]))
    decision = Decision.objects.get()
    assert response["Location"] == reverse("decisions:decision_edit", args=[decision.pk])
    assert (decision.title, decision.summary, decision.status) == (
        "Precept proposal", "The precept for next year.", "draft",
    )  # fmt: skip
    assert list(decision.priorities.all()) == [priority]
    entry.refresh_from_db()
    assert entry.decision == decision
    again = staff.post(reverse("decisions:entry_record", args=[entry.pk]))
    assert again.status_code == 302 and Decision.objects.count() == 1


def test_an_entry_is_published_by_an_approver_only(client_for, make_user):
    entry = ForwardPlanEntry.objects.create(
        title="Estates strategy", summary="Sites.", expected_month=datetime.date(2030, 1, 1)
    )
    url = reverse("decisions:entry_publication", args=[entry.pk])
    client_for("staff").post(url, {"action": "publish"})
    entry.refresh_from_db()
    assert not entry.published
    client_for("approver").post(url, {"action": "publish"})
    entry.refresh_from_db()
    assert entry.published


def test_a_new_decision_form_names_its_errors_and_saves_nothing(client_for):
    response = client_for("staff").post(
        reverse("decisions:decision_create"),
        {"title": "", "summary": "", "amount": "lots", "exempt_text": "Secret", "exemption": ""},
    )
    assert response.status_code == 200
    summary = text(soup(response).select_one(".govuk-error-summary"))
    for message in (
        "Enter the decision's title", "Enter a summary of the decision",
        "Enter an amount in pounds",
    ):  # fmt: skip
        assert message in summary
    assert not Decision.objects.exists()


def test_staff_record_a_draft_decision(client_for):
    response = client_for("staff").post(
        reverse("decisions:decision_create"),
        {
            "title": "Grants for street pastors", "summary": "Five groups.",
            "decision_maker": "commissioner", "decision_date_0": "1",
            "decision_date_1": "3", "decision_date_2": "2021",
            "significant_public_interest": "yes", "amount": "£45,490",
            "exempt_text": "Bank details", "exemption": "3",
        },
    )  # fmt: skip
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    assert decision.amount == Decimal("45490") and decision.significant_public_interest is True
    assert decision.decision_date == datetime.date(2021, 3, 1) and decision.reference is None


def test_home_tasks_for_staff_and_approvers(client_for, make_user, approver):
    returned = services.decision_submit(decision=make_decision(title="Returned one"), user=approver)
    services.decision_return(decision=returned, user=approver, reason="Add the options")
    services.decision_submit(decision=make_decision(title="To sign"), user=approver)
    staff_home = text(soup(client_for("staff").get("/")))
    assert "Decision “Returned one” was returned to you" in staff_home
    assert "To sign" not in staff_home
    approver_home = text(soup(client_for("approver").get("/")))
    assert "Decision “To sign” waits to be signed" in approver_home
    assert "Returned one" not in text(soup(client_for("panel member").get("/")))


def test_a_priority_page_lists_its_published_decisions(client, approver):
    plan = make_plan(status="published")
    priority = make_priority(plan)
    shown = make_decision(title="Published for the priority")
    shown.priorities.add(priority)
    shown = publish_decision(shown, approver)
    hidden = make_decision(title="Draft for the priority")
    hidden.priorities.add(priority)
    page = text(soup(client.get(priority.get_absolute_url())))
    assert "Published for the priority" in page and "Draft for the priority" not in page


# --- Queries ------------------------------------------------------------------------------


def grow(approver, plan, n: int) -> None:
    fund = make_fund()
    report = make_report()
    priority = plan.priorities.first()
    for i in range(n):
        decision = make_decision(title=f"Grown {i}", exempt_text="Withheld.", exemption="1")
        decision.priorities.add(priority)
        decision.awards.add(make_award(fund), make_award(fund))
        decision.papers.add(report)
        publish_decision(decision, approver)
        ForwardPlanEntry.objects.create(
            title=f"Entry {i}", summary="Soon.", published=True,
            expected_month=datetime.date(2030, 1 + i % 12, 1),
        )  # fmt: skip
    services.decision_submit(decision=make_decision(title="Submitted"), user=approver)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff", "approver"])
def test_pages_run_the_same_queries_with_ten_times_the_data(client_for, approver, role):
    plan = make_plan(status="published")
    make_priority(plan)
    grow(approver, plan, 2)
    client = client_for(role)
    first = Decision.objects.published().order_by("pk").first()
    pages = {
        "list": reverse("decisions:decisions"),
        "filtered": reverse("decisions:decisions") + f"?money=yes&year=2021&q=Grown&priority="
        f"{plan.priorities.first().pk}",
        "notice": first.get_absolute_url(),
        "feed": reverse("decisions:feed"),
        "forward plan": reverse("decisions:forward_plan"),
        "priority": plan.priorities.first().get_absolute_url(),
        "home": "/",
    }
    for url in pages.values():  # once first: caches of the process (content types) warm up
        client.get(url)
    before = {name: count_queries(client, url) for name, url in pages.items()}
    grow(approver, plan, 20)
    first.awards.add(*[make_award(make_fund()) for _ in range(10)])
    first.papers.add(*[make_report() for _ in range(5)])
    for url in pages.values():  # as before: the first read counts the funding totals noted
        client.get(url)  # as changed, which the worker does once the test's writes commit
    after = {name: count_queries(client, url) for name, url in pages.items()}
    assert after == before


def test_corrections_are_published_from_the_publish_page(client_for, make_user, approver):
    decision = publish_decision(make_decision(title="First title"), approver)
    staff = client_for("staff")
    form = soup(staff.get(reverse("decisions:decision_edit", args=[decision.pk])))
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("main form input[name]")
        if field.get("type") not in ("checkbox", "radio", "submit")
    }
    data.update(
        title="Corrected title", summary=decision.summary, decision_text=decision.decision_text,
        decision_maker="commissioner", significant_public_interest="yes",
    )  # fmt: skip
    saved = staff.post(reverse("decisions:decision_edit", args=[decision.pk]), data)
    assert saved.status_code == 302
    assert Decision.objects.get(pk=decision.pk).title == "First title"  # held
    public = Client()
    assert "Corrected title" not in public.get(decision.get_absolute_url()).content.decode()
    signer = client_for("approver")
    page = soup(signer.get(reverse("decisions:decision_publish", args=[decision.pk])))
    assert "Corrected title" in text(page)
    reviewed = page.select_one("input[name=reviewed]")["value"]
    signer.post(
        reverse("decisions:decision_publish", args=[decision.pk]),
        {"action": "publish", "reviewed": reviewed},
    )
    fresh = Decision.objects.get(pk=decision.pk)
    assert fresh.title == "Corrected title" and fresh.reference == decision.reference
