"""A second police area through the import commands: a made-up area's areas, plan and a
quarter of figures (tests/transfer/another_area/) sit beside Lancashire's, and nothing in the
portal assumes there is only one."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import force_login_verified
from plan.models import Area, MeasureUpdate, Plan

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


def test_approvers_may_import_areas_and_plans_staff_only_the_figures(make_user):
    from pcc_portal.views_transfer import importable_kinds

    def kinds(role):
        return {kind.key for kind in importable_kinds(make_user(role))}

    assert {"areas", "plan", "updates"} <= kinds("approver")
    assert "updates" in kinds("staff")
    assert not {"areas", "plan"} & kinds("staff")
    assert not kinds("panel member")
