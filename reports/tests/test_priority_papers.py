"""A priority's page lists the papers reporting on its measures (the golden thread)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plan.tests.factories import make_measure, make_period, make_plan, make_priority
from reports.models import Report
from reports.selectors import papers_on_priority, priority_papers
from reports.tests.factories import add_section, make_report
from scrutiny.models import PanelMeeting
from scrutiny.tests.factories import make_panel_meeting

pytestmark = pytest.mark.django_db


def paper(title, *, priorities=None, plan=None, day="2021-10-12", **fields):
    """A published paper on the panel meeting of `day` with an outcome measures section naming
    `priorities` (none: every priority of its plan)."""
    fields.setdefault("status", Report.Status.PUBLISHED)
    report = make_report(
        make_panel_meeting(day), title=title, period=make_period(2021, 2), plan=plan, **fields
    )
    params = {"priorities": [p.pk for p in priorities]} if priorities else {}
    add_section(report, kind="outcome_measures", params=params)
    return report


@pytest.fixture
def plans():
    plan = make_plan(slug="thread", start_year=2021, end_year=2025)
    first, second = make_priority(plan), make_priority(plan)
    make_measure(first), make_measure(second)
    return plan, first, second


def titles(priority, user=None):
    return [
        p.title for p in priority_papers(priority, user=user or AnonymousUser()).context["papers"]
    ]


def test_a_paper_on_a_priority_appears_on_its_page_and_not_on_another(plans, client):
    plan, first, second = plans
    paper("On the first", priorities=[first], day="2021-10-12")
    paper("On both", priorities=[first, second], day="2021-11-12")
    paper("On every priority", plan=plan, day="2021-12-12")
    assert titles(first) == ["On every priority", "On both", "On the first"]
    assert titles(second) == ["On every priority", "On both"]
    page = client.get(second.get_absolute_url()).content.decode()
    assert "On both" in page and "On the first" not in page
    assert "reporting on this priority’s measures" in page


def test_a_paper_carries_to_the_search_the_priorities_whose_page_lists_it(plans):
    from reports.searchable import paper_entries

    plan, first, second = plans
    for report, expected in (
        (paper("On the first", priorities=[first]), [first.pk]),
        (paper("On every priority", plan=plan, day="2021-12-12"), [first.pk, second.pk]),
    ):
        report.panel_meeting.published = True
        entries = paper_entries(report)
        assert entries and all(list(e.priority_ids) == expected for e in entries)
        # The same papers the priorities' pages list.
        for priority in (first, second):
            listed = report in papers_on_priority(priority)
            assert listed == (priority.pk in expected)


def test_a_paper_naming_no_plan_reports_on_the_plan_covering_its_quarter(plans):
    _, first, _ = plans
    other = make_priority(make_plan(slug="later", start_year=2025, end_year=2029))
    paper("Every priority, no plan named", day="2021-10-12")
    assert titles(first) == ["Every priority, no plan named"]
    assert titles(other) == []


def test_drafts_part_ii_papers_and_text_only_papers_are_not_listed_to_the_public(
    plans, client, make_user
):
    _, first, _ = plans
    paper("A draft", priorities=[first], status=Report.Status.DRAFT, day="2021-10-12")
    paper("Exempt", priorities=[first], is_exempt=True, day="2021-11-12")
    paper("Unpublished meeting", priorities=[first], day="2021-12-12")
    PanelMeeting.objects.filter(reports__title="Unpublished meeting").update(published=False)
    text_only = make_report(make_panel_meeting("2022-01-12"), status=Report.Status.PUBLISHED)
    add_section(text_only, body="Mentions the priority in words only.")
    assert titles(first) == []
    page = client.get(first.get_absolute_url()).content.decode()
    assert "A draft" not in page and "Exempt" not in page
    assert "No published paper reports on this priority’s measures yet." in page
    # Staff see no draft either: the page lists published papers.
    assert titles(first, make_user("staff")) == ["Unpublished meeting", "Exempt"]


def test_the_list_is_capped_with_a_link_to_the_papers_filtered_by_the_priority(plans, client):
    _, first, second = plans
    for n in range(12):
        paper(f"Paper {n:02d}", priorities=[first], day=f"2021-{n % 12 + 1:02d}-03")
    paper("Elsewhere", priorities=[second], day="2021-06-20")
    part = priority_papers(first, user=AnonymousUser())
    assert len(part.context["papers"]) == 10 and part.context["more"]
    page = client.get(first.get_absolute_url()).content.decode()
    assert f"/reports/?priority={first.pk}" in page
    listed = client.get(f"/reports/?priority={first.pk}").content.decode()
    assert "Paper 00" in listed and "Paper 11" in listed and "Elsewhere" not in listed


def test_one_query_whatever_the_papers(plans):
    _, first, _ = plans
    paper("One", priorities=[first])
    with CaptureQueriesContext(connection) as queries:
        priority_papers(first, user=AnonymousUser())
    assert len(queries) == 1
    assert [p.title for p in papers_on_priority(first)] == ["One"]


def test_the_page_reads_as_one_story(plans, client):
    _, first, _ = plans
    page = client.get(first.get_absolute_url()).content.decode()
    h2 = re.findall(r"<h2[^>]*>(.*?)</h2>", page)
    story = ["What was promised", "How it is going", "What was done about it", "What it cost"]
    assert [h for h in h2 if h in story] == story
    # Each section under its heading, in order, with its empty state.
    order = [
        "What was promised", "What the Commissioner will do", "Outcome measures",
        "How it is going", "Not rated yet",
        "What was done about it", "Scrutiny of this priority", "Decisions for this priority",
        "HMICFRS recommendations for this priority", "Panel papers reporting on",
        "What it cost", "Funding for this priority",
    ]  # fmt: skip
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    for empty in (
        "No scrutiny meeting has examined this priority yet.",
        "No published decision serves this priority yet.",
        "No HMICFRS recommendation has been linked to this priority.",
        "No published paper reports on this priority’s measures yet.",
        "No funding has been recorded against this priority yet.",
    ):
        assert empty in page


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_the_priority_page_runs_the_same_queries_with_ten_times_the_papers(plans, client_for, role):
    plan, first, second = plans
    client = client_for(role)

    def grow(count, start):
        for n in range(start, start + count):
            paper(f"P{n}", priorities=[first, second] if n % 2 else None, plan=plan,
                  day=f"20{10 + n // 300:02d}-{n % 12 + 1:02d}-{n % 25 + 1:02d}")  # fmt: skip

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(first.get_absolute_url()).status_code == 200
        return len(queries)

    grow(3, 0)
    before = count()
    grow(27, 3)
    assert count() == before
