"""An inspection's history page, deleting an inspection whole, and the publication page's
wording for inspections (whose report and recommendations are public whatever the office does)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.inspections import Inspection, InspectionRecommendation
from decisions.tests.test_inspections import make_inspection, make_recommendation, publish
from pcc_portal.models import PendingChange
from scrutiny.models import Action
from scrutiny.tests.factories import make_meeting
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db


def history_url(inspection):
    return reverse("decisions:inspection_history", args=[inspection.pk])


def delete_url(inspection):
    return reverse("decisions:inspection_delete", args=[inspection.pk])


# History ----------------------------------------------------------------------------------


def test_staff_read_who_changed_the_inspection_and_its_recommendations(client_for):
    staff = client_for("staff")
    staff.post(reverse("decisions:inspection_create"), {"title": "Crime data integrity",
               "kind": "thematic", "published_on_0": "5", "published_on_1": "1",
               "published_on_2": "2024"})  # fmt: skip
    inspection = Inspection.objects.get()
    page = soup(staff.get(inspection.get_absolute_url()))
    assert page.find("a", href=history_url(inspection))
    recommendation = make_recommendation(inspection)
    recommendation.status = InspectionRecommendation.Status.DONE
    recommendation.save()
    recommendation.delete()
    history = staff.get(history_url(inspection))
    assert history.status_code == 200
    rows = [text(row) for row in soup(history).select("tbody tr")]
    assert "Recommendation 1: deleted" in rows[0]
    assert "Recommendation 1: changed" in rows[1] and "Status: Open → Done" in rows[1]
    assert "Recommendation 1: added" in rows[2]
    assert "The inspection report: added" in rows[3]


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("panel member", 403)])
def test_only_staff_read_the_history(client_for, role, status):
    inspection = make_inspection()
    assert client_for(role).get(history_url(inspection)).status_code == status
    page = soup(client_for(role).get(inspection.get_absolute_url()))
    assert not page.find("a", href=history_url(inspection))


def test_the_history_runs_the_same_queries_with_ten_times_the_changes(client_for):
    staff = client_for("staff")
    inspection = make_inspection()
    make_recommendation(inspection)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(history_url(inspection)).status_code == 200
        return len(queries)

    staff.get(history_url(inspection))
    before = count()
    for n in range(10):
        make_recommendation(inspection, reference=str(n + 2)).delete()
        inspection.title = f"Title {n}"
        inspection.save()
    assert count() == before


# Deleting ---------------------------------------------------------------------------------


def test_staff_delete_an_unpublished_inspection_with_its_recommendations(client_for):
    inspection = make_inspection()
    recommendation = make_recommendation(inspection)
    make_recommendation(inspection, kind="afi", reference="AFI 1")
    meeting = make_meeting(starts_at=timezone.make_aware(datetime.datetime(2024, 2, 1, 10)))
    action = Action.objects.create(
        meeting=meeting, description="Report progress", owner="Chief Constable",
        due_date=datetime.date(2024, 4, 1),
    )  # fmt: skip
    recommendation.actions.add(action)
    staff = client_for("staff")
    assert soup(staff.get(inspection.get_absolute_url())).find("a", href=delete_url(inspection))
    confirm = staff.get(delete_url(inspection))
    assert confirm.status_code == 200
    words = text(soup(confirm).select_one(".govuk-warning-text"))
    assert "1 recommendation and 1 area for improvement are deleted" in words
    assert "The 1 action raised for them stays in the action tracker" in words
    done = staff.post(delete_url(inspection))
    assert done.status_code == 302 and done["Location"] == reverse("decisions:inspections")
    assert not Inspection.objects.exists() and not InspectionRecommendation.objects.exists()
    action.refresh_from_db()
    assert not action.hmicfrs_recommendations.exists()
    assert action.description == "Report progress"


def test_a_published_inspection_is_not_deleted(client_for, make_user):
    inspection = make_inspection()
    make_recommendation(inspection)
    publish(inspection, make_user("approver"))
    for role in ("staff", "approver"):
        client = client_for(role)
        assert not soup(client.get(inspection.get_absolute_url())).find(
            "a", href=delete_url(inspection)
        )
        assert client.get(delete_url(inspection)).status_code == 403
        assert client.post(delete_url(inspection)).status_code == 403
    assert Inspection.objects.count() == 1 and InspectionRecommendation.objects.count() == 1


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("panel member", 403)])
def test_only_staff_delete_inspections(client_for, role, status):
    inspection = make_inspection()
    assert client_for(role).post(delete_url(inspection)).status_code == status
    assert Inspection.objects.count() == 1


def test_deleting_leaves_no_changes_waiting_for_the_deleted_inspection(client_for):
    # Changes held while it was published, left when an approver unpublished it.
    inspection = make_inspection()
    kind = ContentType.objects.get_for_model(Inspection)
    PendingChange.objects.create(content_type=kind, object_id=inspection.pk, operations=[])
    client_for("staff").post(delete_url(inspection))
    assert not Inspection.objects.exists()
    assert not PendingChange.objects.filter(content_type=kind, object_id=inspection.pk).exists()


# The publication page's wording -------------------------------------------------------------


def test_the_publication_page_says_what_unpublishing_an_inspection_does(client_for, make_user):
    inspection = make_inspection()
    approver = client_for("approver")
    url = reverse("decisions:inspection_publication", args=[inspection.pk])
    before = text(soup(approver.get(url)))
    assert "Everyone sees the report and its recommendations" in before
    assert "Publishing shows the office's responses and the Commissioner's comments" in before
    assert "Only office staff can see it." not in before
    publish(inspection, make_user("approver"))
    asked = approver.post(url, {"action": "unpublish"})
    question = text(soup(asked).select_one(".govuk-warning-text"))
    assert "The report and its recommendations stay public." in question
    assert "will no longer see it." not in question
    done = approver.post(url, {"action": "unpublish", "confirm": "yes"}, follow=True)
    assert "The report and its recommendations stay public." in text(soup(done))
    inspection.refresh_from_db()
    assert not inspection.published
