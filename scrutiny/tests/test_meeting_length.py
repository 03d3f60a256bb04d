"""A meeting's expected length (its end in the calendars) and a scrutiny meeting's location."""

import pytest

from scrutiny.models import PanelMeeting
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text


def panel_form(**changes):
    return {
        "date_0": "8",
        "date_1": "3",
        "date_2": "2021",
        "time": "10:00",
        "venue": "County Hall, Preston",
        "status": "scheduled",
        **changes,
    }


def test_a_blank_length_is_the_kinds_default(client_for, db):
    response = client_for("staff").post("/scrutiny/panel/new/", panel_form(expected_length=""))
    assert response.status_code == 302
    assert PanelMeeting.objects.get().expected_length == PanelMeeting.DEFAULT_LENGTH


@pytest.mark.parametrize("length", ["two hours", "0", "14", "721", "-30", "1.5", "99999999999"])
def test_a_bad_length_is_reported_and_nothing_is_saved(client_for, db, length):
    response = client_for("staff").post("/scrutiny/panel/new/", panel_form(expected_length=length))
    assert response.status_code == 200
    summary = soup(response).find(class_="govuk-error-summary")
    assert "minutes" in text(summary)
    assert summary.find("a")["href"] == "#id_expected_length"
    assert not PanelMeeting.objects.exists()


def test_staff_change_a_meetings_length_with_history(client_for, db):
    meeting = make_panel_meeting("2021-03-08", published=False)
    response = client_for("staff").post(
        "/scrutiny/panel/2021-03-08/edit/",
        panel_form(expected_length="180", version=meeting.version),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.expected_length == 180
    assert [h.expected_length for h in meeting.history.order_by("history_date")] == [150, 180]
