"""Writes to papers: a paper and its quarter, sections added and moved, numbers that follow."""

import pytest
from django.core.exceptions import PermissionDenied

from pcc_portal.services import record_delete
from plan.models import ReportingPeriod
from reports.models import Report, ReportSection
from reports.services import (
    paper_save,
    publish_problems,
    report_next_revision,
    section_add,
    section_move,
    section_remove,
    sections_changed_since_published,
)
from reports.tests.factories import add_section, make_report, publish
from scrutiny.tests.factories import make_panel_meeting, make_task_group


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff(make_user):
    return make_user("staff")


def test_saving_a_paper_with_a_quarter_makes_the_quarter_once(db, staff):
    report = make_report()
    paper_save(report=report, user=staff, quarter=(2020, 3))
    again = make_report()
    paper_save(report=again, user=staff, quarter=(2020, 3))
    assert report.period == again.period
    assert ReportingPeriod.objects.filter(financial_year=2020, quarter=3).count() == 1
    paper_save(report=report, user=staff, quarter=None, expected_version=report.version)
    assert Report.objects.get(pk=report.pk).period is None


def test_a_paper_with_no_place_on_the_agenda_goes_last(db, staff):
    meeting = make_panel_meeting("2021-03-08")
    make_report(meeting, agenda_order=1)
    make_report(meeting, agenda_order=4)
    make_report(make_panel_meeting("2021-06-08"), agenda_order=9)  # another meeting's agenda
    report = make_report(meeting)
    report.agenda_order = None
    paper_save(report=report, user=staff, quarter=None, expected_version=report.version)
    assert Report.objects.get(pk=report.pk).agenda_order == 5


def test_a_section_added_after_one_was_removed_takes_a_number_not_in_use(db, staff):
    report = make_report()
    _first, second, _third = (add_section(report, body=str(n)) for n in range(3))
    record_delete(instance=second, user=staff)
    added = section_add(section=ReportSection(report=report, body="Four."), user=staff)
    assert added.order == 4
    assert sorted(report.sections.values_list("order", flat=True)) == [1, 3, 4]


def test_moving_a_section_renumbers_the_paper_one_two_three(db, staff):
    report = make_report()
    first, second, third = (add_section(report, body=str(n)) for n in range(3))
    record_delete(instance=second, user=staff)
    assert section_move(section=third, user=staff, up=True)
    assert list(report.sections.values_list("body", "order")) == [("2", 1), ("0", 2)]
    assert not section_move(section=third, user=staff, up=True), "already first"
    history = ReportSection.history.filter(id=first.pk).first()
    assert history.history_change_reason == "Moved" and history.history_user == staff


def test_revisions_are_numbered_from_the_highest_one(db, media, make_user):
    approver = make_user("approver")
    report = make_report()
    add_section(report, body="The paragraph.")
    assert report_next_revision(report) == 1
    publish(report, approver)
    publish(report, approver)
    assert report_next_revision(report) == 3
    assert sorted(report.publications.values_list("revision", flat=True)) == [1, 2]


def test_what_stops_publication_is_said_section_by_section(db):
    report = make_report(make_panel_meeting("2021-03-08", published=False))
    assert publish_problems(report) == [
        "A paper with no sections cannot be published.",
        f"{report.panel_meeting} is not published yet: publish the panel meeting first.",
    ]
    group = make_task_group(published=False)
    add_section(report, kind="recommendations", heading="Findings",
                params={"task_group": group.slug})  # fmt: skip
    add_section(report, kind="funding_table", heading="Money", params={})
    assert (
        publish_problems(report)[1:]
        == [
            f"{report.panel_meeting} is not published yet: publish the panel meeting first.",
            f"Findings: the task group “{group}” is not published yet: publish it first.",
            "Money: Choose whether the table shows money secured or money granted.",
        ][1:]
    )


def test_removing_a_section_of_a_draft_removes_it_and_keeps_its_history(db, staff):
    report = make_report()
    section = add_section(report, body="Going.")
    pk = section.pk
    assert section_remove(section=section, user=staff)
    assert not report.sections.exists()
    removed = list(ReportSection.history.filter(id=pk, history_type="-"))
    assert [record.history_user for record in removed] == [staff]


def test_removing_a_section_of_a_published_paper_changes_only_the_next_revision(
    db,
    media,
    make_user,
):
    staff, approver = make_user("staff"), make_user("approver")
    report = make_report()
    add_section(report, heading="Kept", body="Kept.")
    section = add_section(report, heading="Going", body="Published.")
    publish(report, approver)
    assert section_remove(section=section, user=staff)
    assert "Published." in report.latest_publication().html, "readers keep the revision"
    assert sections_changed_since_published(report) == [("Going", "removed")]


def test_only_staff_remove_sections(db, make_user):
    section = add_section(make_report(), body="Kept.")
    with pytest.raises(PermissionDenied):
        section_remove(section=section, user=make_user("panel member"))
    assert ReportSection.objects.filter(pk=section.pk).exists()
