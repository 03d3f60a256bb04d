"""A paper's figures are as at its "as at" date (its meeting's unless given): rendering it
later, after more data has come in, says the same."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup

from funding.tests.factories import make_award, make_fund
from plan.tests.factories import make_period, make_plan_with_measures, make_update
from reports import rendering
from reports.models import Report
from reports.services import paper_save
from reports.tests.factories import add_section, make_report
from scrutiny.tests.factories import at, make_action, make_meeting, make_panel_meeting


def html(report) -> str:
    return rendering.paper_fragment(rendering.paper_context(Report.objects.get(pk=report.pk)))


def text(report) -> str:
    return BeautifulSoup(html(report), "html.parser").get_text(" ", strip=True)


@pytest.fixture
def world(db, make_user):
    """As on 1 March 2021: a paper for the meeting of 8 March 2021 on 2020/21 Q3, with a
    funding table, open actions and outcome measures."""
    staff = make_user("staff")
    with time_machine.travel(at("2021-03-01"), tick=False):
        _plan, measures = make_plan_with_measures(priorities=1, measures_each=2)
        period = make_period(2020, 3)
        make_update(measures[0], period, status="approved", approved_at=at("2021-02-01"))
        fund = make_fund("incoming")
        make_award(fund, amount="1000", award_date=datetime.date(2021, 2, 1))
        scrutiny = make_meeting(starts_at=at("2020-11-01"))
        late = make_action(
            scrutiny, description="Review custody", due_date=datetime.date(2021, 3, 1)
        )
        make_action(scrutiny, description="Publish the survey", due_date=datetime.date(2021, 6, 1))
        report = make_report(make_panel_meeting("2021-03-08"), period=period)
        paper_save(report=report, user=staff, quarter=(2020, 3), expected_version=report.version)
        add_section(
            report, kind="funding_table", heading="Funding", params={"direction": "incoming"}
        )
        add_section(report, kind="open_actions", heading="Actions")
        add_section(report, kind="outcome_measures", heading="Measures")
    return {"report": report, "measures": measures, "period": period, "fund": fund, "late": late}


def test_a_paper_takes_its_meetings_date_and_says_so_in_its_heading(world):
    report = Report.objects.get(pk=world["report"].pk)
    assert report.figures_as_at == datetime.date(2021, 3, 8)
    assert "Figures as at 8 March 2021" in text(report)


def test_what_the_paper_says_as_at_its_date(world):
    page = text(world["report"])
    assert "Total £1,000" in page
    assert "Review custody" in page and "Open, overdue" in page  # due 1 March, open on 8 March
    assert "Publish the survey" in page
    measures = world["measures"]
    assert f"{measures[1].short_label} ({measures[1].priority.title}): not reported" in page


def test_rendering_later_with_more_data_says_the_same(world):
    with time_machine.travel(at("2021-03-08", "09:00"), tick=False):
        before = html(world["report"])
    with time_machine.travel(at("2021-07-01"), tick=False):
        make_award(world["fund"], amount="5000", award_date=datetime.date(2021, 4, 1))
        late = world["late"]
        late.status = "done"
        late.save()
        make_action(late.meeting, description="A later action", due_date=datetime.date(2021, 9, 1))
        make_update(
            world["measures"][1], world["period"], status="approved", approved_at=at("2021-06-01")
        )
        after = html(world["report"])
    assert after == before


def test_an_action_done_before_the_date_is_left_out(world):
    with time_machine.travel(at("2021-03-05"), tick=False):
        late = world["late"]
        late.status = "done"
        late.save()
    assert "Review custody" not in text(world["report"])


def test_the_preview_warns_of_each_section_that_shows_nothing(db, make_user):
    report = make_report(make_panel_meeting("2021-03-08"), period=make_period(2020, 3))
    add_section(report, kind="funding_table", heading="Money", params={"direction": "incoming"})
    add_section(report, kind="outcome_measures", heading="Measures")
    context = rendering.paper_context(report)
    assert context["empty_sections"] == [
        "Money: the funding table totals £0 as at the “as at” date",
        "Measures: no outcome measure has an update approved for the quarter by the “as at” date",
    ]


def test_no_section_heading_is_repeated_as_its_tables_caption(world):
    page = BeautifulSoup(html(world["report"]), "html.parser")
    for table in page.find_all("table"):
        heading = table.find_previous("h2")
        if heading is not None and table.caption is not None:
            assert table.caption.get_text(strip=True) != heading.get_text(strip=True)
