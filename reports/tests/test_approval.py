"""Papers go through approval: staff submit, an approver publishes or returns with a reason."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pcc_portal.slots import HOME_TASKS, fill
from reports.models import Report, ReportSection
from reports.services import (
    paper_save,
    report_return,
    report_submit,
    section_add,
    section_save,
)
from reports.tests.factories import add_section, make_report, publish
from scrutiny.tests.factories import make_panel_meeting


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def people(make_user):
    return {
        "staff": make_user("staff", email="sam@example.org"),
        "approver": make_user("approver", email="amy@example.org"),
        "panel": make_user("panel member", email="pat@example.org"),
    }


@pytest.fixture
def paper(db):
    meeting = make_panel_meeting("2021-03-08", published=True)
    report = make_report(meeting, title="Performance to December")
    add_section(report, body="The quarter went well.")
    return report


def fresh(report) -> Report:
    return Report.objects.get(pk=report.pk)


def submit(report, user):
    report = fresh(report)
    return report_submit(report=report, user=user, expected_version=report.version)


def give_back(report, user, reason="Add the funding table."):
    report = fresh(report)
    return report_return(report=report, user=user, reason=reason, expected_version=report.version)


@pytest.mark.parametrize(
    "role, may_submit", [("staff", True), ("approver", True), ("panel", False)]
)
def test_who_may_submit_a_paper(paper, people, role, may_submit):
    if may_submit:
        assert submit(paper, people[role]).status == Report.Status.SUBMITTED
    else:
        with pytest.raises(PermissionDenied):
            submit(paper, people[role])


@pytest.mark.parametrize(
    "role, may_return", [("staff", False), ("approver", True), ("panel", False)]
)
def test_who_may_return_a_paper(paper, people, role, may_return):
    submit(paper, people["staff"])
    if may_return:
        assert give_back(paper, people[role]).status == Report.Status.RETURNED
    else:
        with pytest.raises(PermissionDenied):
            give_back(paper, people[role])


def test_returning_needs_a_reason_and_only_a_paper_waiting_can_be_returned(paper, people):
    with pytest.raises(PermissionDenied):  # a draft
        give_back(paper, people["approver"])
    submit(paper, people["staff"])
    with pytest.raises(ValidationError):
        give_back(paper, people["approver"], reason="   ")
    assert fresh(paper).status == Report.Status.SUBMITTED


def test_a_paper_is_submitted_once_until_returned(paper, people):
    submit(paper, people["staff"])
    with pytest.raises(PermissionDenied):
        submit(paper, people["staff"])
    give_back(paper, people["approver"])
    assert submit(paper, people["staff"]).status == Report.Status.SUBMITTED


def test_staff_cannot_change_a_paper_waiting_for_approval_but_an_approver_can(paper, people):
    submit(paper, people["staff"])
    with pytest.raises(PermissionDenied):
        section_add(section=ReportSection(report=fresh(paper), body="More."), user=people["staff"])
    section = paper.sections.get()
    section.body = "Changed."
    with pytest.raises(PermissionDenied):
        section_save(section=section, user=people["staff"], expected_version=section.version)
    report = fresh(paper)
    with pytest.raises(PermissionDenied):
        paper_save(report=report, user=people["staff"], quarter=None, expected_version=1)
    section_add(section=ReportSection(report=fresh(paper), body="More."), user=people["approver"])
    give_back(paper, people["approver"])
    section_add(section=ReportSection(report=fresh(paper), body="Again."), user=people["staff"])
    assert paper.sections.count() == 3


def test_publishing_clears_the_return_and_history_keeps_every_step(paper, people, media):
    submit(paper, people["staff"])
    give_back(paper, people["approver"], reason="Say which quarter.")
    returned = fresh(paper)
    assert (returned.return_reason, returned.returned_by) == (
        "Say which quarter.",
        people["approver"],
    )
    submit(paper, people["staff"])
    publish(fresh(paper), people["approver"])
    published = fresh(paper)
    assert published.status == Report.Status.PUBLISHED and published.return_reason == ""
    reasons = list(
        published.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons[-4:] == [
        "Submitted for approval",
        "Returned: Say which quarter.",
        "Submitted for approval",
        "Published revision 1",
    ]


def test_staff_cannot_publish(paper, people):
    submit(paper, people["staff"])
    with pytest.raises(PermissionDenied):
        publish(fresh(paper), people["staff"])


def test_submitting_emails_the_approvers_and_returning_emails_who_submitted(
    paper, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(paper, people["staff"])
    assert [m.to for m in mail.outbox] == [["amy@example.org"]]
    assert "Performance to December" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        give_back(paper, people["approver"], reason="Add the funding table.")
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert "Add the funding table." in mail.outbox[0].body


def _task_texts(user):
    parts = [part for part in fill(HOME_TASKS, user=user) if part is not None]
    return " ".join(str(task.text) + " " + task.detail for part in parts
                    for task in part.context.get("tasks", []))  # fmt: skip


def test_home_tasks_show_approvers_papers_waiting_and_staff_papers_returned(paper, people):
    submit(paper, people["staff"])
    assert "“Performance to December” waits for your approval" in _task_texts(people["approver"])
    assert "Performance to December" not in _task_texts(people["panel"])
    give_back(paper, people["approver"], reason="Add the funding table.")
    staff_tasks = _task_texts(people["staff"])
    assert "“Performance to December” was returned to you" in staff_tasks
    assert "Reason: Add the funding table." in staff_tasks
    submit(paper, people["staff"])
    assert "was returned" not in _task_texts(people["staff"])


ROLES = ["anonymous", "panel member", "staff", "approver"]


@pytest.mark.parametrize(
    "role, submit_status, return_page_status",
    [
        ("anonymous", 302, 302),
        ("panel member", 403, 403),
        ("staff", 302, 403),
        ("approver", 302, 200),
    ],
)
def test_submit_and_return_routes_by_role(
    paper, client_for, role, submit_status, return_page_status
):
    client = client_for(role)
    response = client.post(
        reverse("reports:paper_submit", args=[paper.pk]), {"version": fresh(paper).version}
    )
    assert response.status_code == submit_status
    response = client.get(reverse("reports:paper_return", args=[paper.pk]))
    assert response.status_code == return_page_status


def test_the_return_page_needs_a_reason_and_shows_the_error_summary(paper, people, client_for):
    submit(paper, people["staff"])
    client = client_for("approver")
    url = reverse("reports:paper_return", args=[paper.pk])
    response = client.post(url, {"reason": "", "version": fresh(paper).version})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert 'href="#id_reason"' in response.text
    assert fresh(paper).status == Report.Status.SUBMITTED
    response = client.post(url, {"reason": "Check the figures.", "version": fresh(paper).version})
    assert response.status_code == 302
    assert fresh(paper).return_reason == "Check the figures."


def test_the_paper_page_shows_the_reason_to_staff_and_the_buttons_by_status(
    paper, people, client_for
):
    submit(paper, people["staff"])
    give_back(paper, people["approver"], reason="Check the figures.")
    page = client_for("staff").get(paper.get_absolute_url()).text
    assert "Reason: Check the figures." in page
    assert "Submit for approval" in page
    assert "Return to staff" not in page
    assert "Figures as at 8 March 2021" in page


def test_papers_tasks_and_the_return_page_run_a_fixed_number_of_queries(people, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = make_panel_meeting("2021-03-08")

    def counts(n):
        for _ in range(n):
            submit(make_report(meeting), people["staff"])
            give_back(submit(make_report(meeting), people["staff"]), people["approver"])
        with CaptureQueriesContext(connection) as tasks_approver:
            fill(HOME_TASKS, user=people["approver"])
        with CaptureQueriesContext(connection) as tasks_staff:
            fill(HOME_TASKS, user=people["staff"])
        return len(tasks_approver), len(tasks_staff)

    once = counts(1)
    assert counts(9) == once  # 10 of each in all
    client = client_for("approver")
    paper = Report.objects.filter(status=Report.Status.SUBMITTED).first()
    url = reverse("reports:paper_return", args=[paper.pk])
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    print(f"home tasks (approver, staff): {once} queries at 1x and 10x; return page: {len(page)}")
