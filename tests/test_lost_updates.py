"""No edit is lost: two people open the same record, the first saves, the second is shown both
versions side by side with what they typed kept, and only saving again replaces the first
person's change. One mechanism for every editable record, for every role that edits."""

from decimal import Decimal

import pytest

from conftest import force_login_verified
from funding.tests.factories import make_award, make_fund
from plan.tests.factories import make_measure, make_period, make_plan, make_priority, make_update
from reports.tests.factories import add_section, make_report
from scrutiny.tests.factories import (
    make_action,
    make_meeting,
    make_panel_meeting,
    make_task_group,
    make_topic,
)
from tests.forms import form_values
from tests.helpers import soup, text


def _records():
    """(what, edit page, record, field the first person changes, field the second changes)."""
    fund = make_fund()
    award = make_award(fund, amount="5000.00")
    meeting = make_meeting(published=False)
    group = make_task_group(published=False)
    report = make_report(make_panel_meeting("2021-06-01", published=False))
    return {
        "award": (f"/funding/awards/{award.pk}/edit/", award, ("amount", "7500"), ("title", "B")),
        "fund": (f"/funding/funds/{fund.slug}/edit/", fund, ("description", "A"), ("name", "B")),
        "organisation": (
            f"/funding/organisations/{award.organisation.pk}/edit/",
            award.organisation,
            ("website", "https://a.example.org/"),
            ("name", "Renamed"),
        ),
        "scrutiny meeting": (
            f"/scrutiny/meetings/{meeting.pk}/edit/",
            meeting,
            ("chair", "A"),
            ("note", "B"),
        ),
        "topic": (
            f"/scrutiny/topics/{make_topic(meeting).pk}/edit/",
            None,
            ("summary", "A"),
            ("title", "B"),
        ),
        "action": (
            f"/scrutiny/actions/{make_action(meeting).pk}/edit/",
            None,
            ("owner", "A"),
            ("description", "B"),
        ),
        "panel meeting": (
            f"/scrutiny/panel/{report.panel_meeting.date.isoformat()}/edit/",
            report.panel_meeting,
            ("venue", "A"),
            ("status", "cancelled"),
        ),
        "task group": (
            f"/scrutiny/task-groups/{group.slug}/edit/",
            group,
            ("chair", "A"),
            ("findings", "B"),
        ),
        "recommendation": (
            f"/scrutiny/recommendations/{group.recommendations.create(number=1, text='T').pk}"
            "/edit/",
            None,
            ("response", "A"),
            ("text", "B"),
        ),
        "paper": (f"/reports/{report.pk}/edit/", report, ("contact_name", "A"), ("title", "B")),
        "section": (
            f"/reports/sections/{add_section(report, body='Text.').pk}/edit/",
            None,
            ("heading", "A"),
            ("body", "B"),
        ),
    }


def _same(shown: str, typed: str) -> bool:
    """A value as the form shows it again equals what was typed (7500.00 is 7500)."""
    try:
        return Decimal(shown) == Decimal(typed)
    except ArithmeticError:
        return shown.strip() == typed


RECORDS = [
    "award",
    "fund",
    "organisation",
    "scrutiny meeting",
    "topic",
    "action",
    "panel meeting",
    "task group",
    "recommendation",
    "paper",
    "section",
]


@pytest.mark.parametrize("what", RECORDS)
@pytest.mark.parametrize("role", ["staff", "approver"])
def test_the_second_save_is_refused_with_both_versions_and_nothing_lost(
    client_for, make_user, client, what, role
):
    url, _, (first_field, first_value), (second_field, second_value) = _records()[what]
    other = client.__class__()
    force_login_verified(other, make_user(role))
    mine = client_for(role)
    opened_by_me = form_values(mine.get(url))
    opened_by_other = form_values(other.get(url))

    saved = other.post(url, {**opened_by_other, first_field: first_value})
    assert saved.status_code == 302, text(soup(saved).main)

    conflict = mine.post(url, {**opened_by_me, second_field: second_value})
    assert conflict.status_code == 409
    page = text(soup(conflict).main)
    assert "since you opened it" in page and "Your changes have not been saved" in page
    assert "Saved version" in page and "Your version (not saved)" in page
    again = form_values(conflict)
    assert again[second_field] == second_value  # what I typed is still in the form
    first_shown = {"7500": "7,500", "cancelled": "Cancelled"}.get(first_value, first_value)
    assert first_shown in page  # the other person's saved change, side by side
    # Nothing of mine was saved: the page the other person saved still reads their value.
    assert _same(form_values(other.get(url))[first_field], first_value)

    replaced = mine.post(url, again)  # saving again replaces the saved version knowingly
    assert replaced.status_code == 302
    assert _same(form_values(mine.get(url))[second_field], second_value)


def test_two_staff_saving_one_award_cannot_revert_the_amount(client_for, make_user, client):
    """Issue 10, finding 3: the amount reverted silently when another person saved the title."""
    award = make_award(make_fund(), amount="5000.00")
    url = f"/funding/awards/{award.pk}/edit/"
    first, second = client_for("staff"), client.__class__()
    force_login_verified(second, make_user("staff"))
    first_form, second_form = form_values(first.get(url)), form_values(second.get(url))
    assert first.post(url, {**first_form, "amount": "7500"}).status_code == 302
    assert second.post(url, {**second_form, "title": "Renamed"}).status_code == 409
    award.refresh_from_db()
    assert (award.amount, award.title) == (Decimal("7500.00"), award.title)
    assert award.title != "Renamed"


def test_a_system_change_makes_open_forms_stale(client_for, make_user):
    """Adding progress moves an open action to in progress; a form opened before that cannot
    silently put the status back."""
    action = make_action(make_meeting())
    client = client_for("staff")
    opened = form_values(client.get(f"/scrutiny/actions/{action.pk}/edit/"))
    client.post(f"/scrutiny/actions/{action.pk}/notes/", {
        "written_on_0": "1", "written_on_1": "10", "written_on_2": "2021", "text": "Started.",
    })  # fmt: skip
    action.refresh_from_db()
    assert action.status == "in_progress"
    response = client.post(f"/scrutiny/actions/{action.pk}/edit/", {**opened, "owner": "New"})
    assert response.status_code == 409
    action.refresh_from_db()
    assert (action.status, action.owner) == ("in_progress", "Chief Constable")


def test_approvers_saving_one_submitted_update_get_the_conflict_page_not_an_error(
    client_for, make_user, client
):
    """Issue 10, finding 4: the second approver got a 500 and lost the text typed."""
    measure = make_measure(make_priority(make_plan()))
    update = make_update(measure, make_period(), status="submitted", commentary="First words.")
    url = update.get_absolute_url()
    first = client_for("approver")
    second = client.__class__()
    force_login_verified(second, make_user("approver"))
    first_form = form_values(first.get(url), form_index=0)
    second_form = form_values(second.get(url), form_index=0)
    assert (
        first.post(url, {**first_form, "commentary": "Approver one.", "save": "x"}).status_code
        == 302
    )
    response = second.post(url, {**second_form, "commentary": "Approver two.", "save": "x"})
    assert response.status_code == 409
    page = soup(response)
    assert "Approver two." in page.select_one("textarea[name=commentary]").text
    assert "Approver one." in text(page.main)
    assert page.select_one("textarea[name=reason]") is not None  # the return form is offered
