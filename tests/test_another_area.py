"""A second police area through the import commands: a made-up area's areas, plan and a
quarter of figures (tests/transfer/another_area/) sit beside Lancashire's, and nothing in the
portal assumes there is only one."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import force_login_verified
from plan.models import Area, MeasureUpdate, Plan
from reports.models import Report
from reports.tests.factories import add_section
from scrutiny.tests.factories import make_panel_meeting
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "transfer" / "another_area"
LANCASHIRE = ("020_areas_lancashire", "025_reporting_periods", "030_plan_lancashire_2021_2025")


def run_import(kind: str, name: str) -> str:
    out = io.StringIO()
    call_command("import", kind, str(FILES / name), stdout=out)
    return out.getvalue()


@pytest.fixture
def two_areas():
    for name in LANCASHIRE:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    assert (
        run_import("areas", "areas.csv") == "Imported areas: 3 created, 0 changed, 0 left alone\n"
    )
    assert run_import("plan", "plan.csv") == "Imported plan: 6 created, 0 changed, 0 left alone\n"
    assert run_import("updates", "updates.csv") == (
        "Imported updates: 2 created, 0 changed, 0 left alone\n"
    )
    return Plan.objects.get(slug="testshire-2024-2028")


def test_the_files_import_again_changing_nothing(two_areas):
    for kind, name in (("areas", "areas.csv"), ("plan", "plan.csv"), ("updates", "updates.csv")):
        assert ": 0 created, 0 changed, " in run_import(kind, name)
    assert Area.objects.filter(name__endswith="(test area)").count() == 3
    assert Area.objects.get(gss_code="E07000117").name == "Burnley"  # Lancashire's untouched


def test_the_portal_shows_the_second_plan_beside_lancashires(two_areas, client, make_user):
    papers_before = client.get(reverse("reports:papers"))
    force_login_verified(client, make_user("staff"))
    plans = client.get(reverse("plan:plans"))
    assert plans.status_code == 200
    text = plans.content.decode()
    assert "Testshire Police and Crime Plan (test area)" in text
    assert "Leading the Fight Against Crime" in text

    quarter = client.get(
        reverse("plan:quarter", kwargs={"plan": two_areas.slug, "quarter": "2024-q1"})
    )
    assert quarter.status_code == 200
    text = quarter.content.decode()
    assert "Road casualties (test)" in text and "Homicide (test)" in text
    assert "Leading the Fight" not in text
    assert MeasureUpdate.objects.filter(measure__priority__plan=two_areas).count() == 2

    lancashire = client.get(
        reverse("plan:quarter", kwargs={"plan": "2021-2025", "quarter": "2021-q2"})
    )
    assert lancashire.status_code == 200
    assert "(test)" not in lancashire.content.decode()

    client.logout()
    Plan.objects.filter(pk=two_areas.pk).update(status=Plan.Status.PUBLISHED)  # an approver's step
    public = client.get(reverse("plan:plans")).content.decode()
    assert "Testshire Police and Crime Plan (test area)" in public
    assert "Leading the Fight Against Crime" in public
    papers_after = client.get(reverse("reports:papers"))
    assert papers_after.status_code == papers_before.status_code == 200
    assert "Testshire" not in papers_after.content.decode()


def paper_post(meeting, **fields) -> dict:
    return {
        "panel_meeting": meeting.pk, "title": "Performance (test area)", "kind": "performance",
        "contact_name": "A. Officer", "contact_phone": "", "contact_email": "",
        "executive_summary": "The quarter.", "recommendation": "Note it.",
        "signatory_name": "A. Director", "signatory_title": "Director", "agenda_order": "",
        **fields,
    }  # fmt: skip


def test_a_paper_reports_on_its_own_plans_measures(two_areas, client_for):
    """Both plans cover 2024/25: a paper must say which it reports on, and its outcome
    measures are that plan's alone."""
    MeasureUpdate.objects.filter(measure__priority__plan=two_areas).update(
        status=MeasureUpdate.Status.APPROVED, approved_at=timezone.now() - datetime.timedelta(1)
    )
    client = client_for("staff")
    meeting = make_panel_meeting(str(timezone.localdate()))

    refused = client.post("/reports/new/", paper_post(meeting, quarter="2024-q1", plan=""))
    assert refused.status_code == 200
    assert "More than one plan covers quarter 1 of 2024/25" in text(soup(refused).main)
    lancashire = Plan.objects.get(slug="2021-2025")
    late = client.post("/reports/new/", paper_post(meeting, quarter="2026-q1", plan=lancashire.pk))
    assert "The 2021-2025 plan does not cover quarter 1 of 2026/27" in text(soup(late).main)
    assert not Report.objects.exists()

    papers = {}
    for plan in (two_areas, lancashire):
        client.post("/reports/new/", paper_post(meeting, quarter="2024-q1", plan=plan.pk))
        papers[plan.slug] = paper = Report.objects.get(plan=plan)
        add_section(paper, kind="outcome_measures", heading="Outcome measures")

    testshire = text(soup(client.get(papers[two_areas.slug].get_absolute_url())).main)
    assert "Road casualties (test)" in testshire and "Homicide (test)" in testshire
    assert "Improve satisfaction among victims" not in testshire  # a Lancashire measure
    lancashire = text(soup(client.get(papers["2021-2025"].get_absolute_url())).main)
    assert "Improve satisfaction among victims" in lancashire
    assert "Road casualties" not in lancashire and "Homicide (test)" not in lancashire
    assert "of Testshire Police and Crime Plan (test area)." in testshire


def test_approvers_may_import_areas_and_plans_staff_only_the_figures(make_user):
    from pcc_portal.views_transfer import importable_kinds

    def kinds(role):
        return {kind.key for kind in importable_kinds(make_user(role))}

    assert {"areas", "plan", "updates"} <= kinds("approver")
    assert "updates" in kinds("staff")
    assert not {"areas", "plan"} & kinds("staff")
    assert not kinds("panel member")
