"""Areas and quarterly figures in and out as spreadsheets: round trips, natural keys, GSS codes
checked, only drafts written, and whole files refused with every row's errors."""

from decimal import Decimal

import pytest

from pcc_portal.transfer import (
    RowDone,
    transfer_export,
    transfer_import,
    transfer_kinds,
    transfer_template,
)
from plan.models import Area, Commitment, MeasureUpdate, OutcomeMeasure, Plan, Priority
from plan.resources import PLAN_COLUMNS
from plan.tests.factories import make_measure, make_period, make_plan, make_priority, make_update
from tests.helpers import csv_of, rows_of

pytestmark = pytest.mark.django_db


def test_the_plan_kinds_are_registered_before_funding():
    keys = [kind.key for kind in transfer_kinds()]
    assert keys.index("areas") < keys.index("updates") < keys.index("organisations")


# --- areas ------------------------------------------------------------------------------
@pytest.fixture
def areas():
    east = Area.objects.create(kind="division", name="East Division", slug="east-division")
    burnley = Area.objects.create(
        kind="local_authority", name="Burnley", slug="burnley", gss_code="E07000117", parent=east
    )
    return east, burnley


def area_row(**changes) -> dict:
    row = {"kind": "Local authority", "name": "Pendle", "slug": "pendle", "gss_code": "E07000122"}
    return {**row, "parent": "east-division", **changes}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_areas_export_and_import_again_unchanged(areas, fmt):
    before = list(Area.objects.values().order_by("pk"))
    result = transfer_import("areas", transfer_export("areas", fmt), fmt, None)
    assert result.errors == [] and result.created == [] and result.changed == []
    assert len(result.unchanged) == 2
    assert list(Area.objects.values().order_by("pk")) == before


def test_areas_import_into_an_empty_table_and_again(areas):
    data = transfer_export("areas", "csv")
    Area.objects.filter(kind="local_authority").delete()
    Area.objects.all().delete()
    first = transfer_import("areas", data, "csv", None)
    assert first.written and [d.name for d in first.created] == ["East Division", "Burnley"]
    assert Area.objects.get(gss_code="E07000117").parent.slug == "east-division"
    again = transfer_import("areas", data, "csv", None)
    assert again.created == [] and again.changed == [] and len(again.unchanged) == 2


def test_an_area_is_matched_by_its_gss_code(areas):
    rows = rows_of(transfer_export("areas", "csv"))
    rows[1]["slug"] = "burnley-borough"
    result = transfer_import("areas", csv_of(rows), "csv", None)
    assert result.changed == [RowDone(3, "Burnley", ("slug",))]
    assert Area.objects.get(gss_code="E07000117").slug == "burnley-borough"


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"gss_code": "E0700012"}, "gss_code", "letter and eight digits, like E07000117"),
        ({"gss_code": "07000122E"}, "gss_code", "letter and eight digits"),
        ({"name": "Pendel"}, "name", "E07000122 is Pendle's GSS code: correct the code or"),
        ({"parent": "North Division"}, "parent", "No police division “North Division”"),
        ({"kind": "county"}, "kind", "Choose one of"),
        ({"gss_code": ""}, "gss_code", "Enter the local authority's GSS code."),
    ],
)
def test_bad_area_rows_are_named_and_nothing_is_written(areas, changes, column, message):
    rows = [area_row(name="Rossendale", slug="rossendale", gss_code="E07000125")]
    rows.append(area_row(**changes))
    before = list(Area.objects.values().order_by("pk"))
    result = transfer_import("areas", csv_of(rows), "csv", None)
    assert not result.written
    [error] = result.errors
    assert (error.row, error.column) == (3, column)
    assert message in error.message
    assert list(Area.objects.values().order_by("pk")) == before


def test_an_unknown_valid_code_needs_no_known_name(areas):
    row = area_row(name="Testvale (test area)", slug="testvale", gss_code="E07999998")
    assert transfer_import("areas", csv_of([row]), "csv", None).written


# --- quarterly figures ------------------------------------------------------------------
@pytest.fixture
def figures():
    plan = make_plan(slug="2021-2025")
    priority = make_priority(plan, order=1, slug="safer-streets", title="Safer streets")
    first = make_measure(priority, order=1, short_label="Burglary", unit="offences")
    second = make_measure(
        priority,
        order=2,
        short_label="Confidence",
        unit="%",
        desired_direction="increase",
        target_value=Decimal("80"),
    )
    q2 = make_period(2021, 2)
    drafts = [
        make_update(first, q2, value=Decimal("1250"), comparator_value=Decimal("1300")),
        make_update(second, q2, value=Decimal("81.5"), commentary="=Good"),
    ]
    approved = make_update(first, make_period(2021, 1), status="approved", value=Decimal("1400"))
    return {"first": first, "second": second, "drafts": drafts, "approved": approved}


def figure_row(**changes) -> dict:
    row = {
        "plan": "2021-2025",
        "priority": "safer-streets",
        "measure": "2",
        "quarter": "Q3 2021/22",
        "value": "79.5%",
        "comparator_value": "",
        "comparator_label": "",
        "rating": "Amber",
        "direction": "improving",
        "commentary": "Close to target",
        "rating_explanation": "",
    }
    return {**row, **changes}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_figures_export_and_import_again_unchanged(figures, fmt, make_user):
    before = list(MeasureUpdate.objects.values().order_by("pk"))
    result = transfer_import("updates", transfer_export("updates", fmt), fmt, make_user("staff"))
    assert result.errors == [] and result.created == [] and result.changed == []
    assert len(result.unchanged) == 3  # the approved one too, as the export wrote it
    assert list(MeasureUpdate.objects.values().order_by("pk")) == before


def test_figures_make_drafts_through_the_plans_service(figures, make_user):
    staff = make_user("staff")
    result = transfer_import("updates", csv_of([figure_row()]), "csv", staff)
    assert result.errors == [] and len(result.created) == 1
    update = MeasureUpdate.objects.get(measure=figures["second"], period__quarter=3)
    assert (update.status, update.rag, update.value) == ("draft", "amber", Decimal("79.50"))
    assert update.created_by == staff and update.updated_by == staff
    assert update.history.first().history_change_reason == "Imported from a spreadsheet"
    again = transfer_import("updates", csv_of([figure_row()]), "csv", staff)
    assert again.created == [] and again.changed == [] and len(again.unchanged) == 1


def test_an_edited_figure_changes_that_draft(figures):
    rows = rows_of(transfer_export("updates", "csv"))
    row = next(r for r in rows if r["quarter"] == "2021-q2" and r["measure"] == "1")
    row["value"] = "1,200"
    result = transfer_import("updates", csv_of(rows), "csv", None)
    assert [d.columns for d in result.changed] == [("value",)]
    assert MeasureUpdate.objects.get(pk=figures["drafts"][0].pk).value == 1200


def test_an_approved_or_locked_figure_changed_is_an_error_in_words(figures):
    rows = rows_of(transfer_export("updates", "csv"))
    approved = next(r for r in rows if r["quarter"] == "2021-q1")
    approved["value"] = "1"
    result = transfer_import("updates", csv_of(rows), "csv", None)
    assert not result.written
    [error] = result.errors
    assert error.row == rows.index(approved) + 2 and error.column == ""
    assert "Burglary for Q1 2021/22 is approved, so the import leaves it as it is" in str(error)
    period = make_period(2021, 3)
    period.locked = True
    period.save()
    result = transfer_import("updates", csv_of([figure_row()]), "csv", None)
    assert "is locked, so its updates cannot be changed" in result.errors[0].message
    assert not MeasureUpdate.objects.filter(period=period).exists()


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"measure": "9"}, "measure", "No outcome measure is at plan “2021-2025”"),
        ({"priority": "nowhere"}, "measure", "No outcome measure is at"),
        ({"quarter": "Q5 2021"}, "quarter", "Enter the quarter like 2021-q2 or Q2 2021/22"),
        ({"value": "lots"}, "value", "Enter a number, like 1250 or 12.5, not “lots”"),
        ({"rating": "Purple"}, "rating", "Choose one of"),
    ],
)
def test_bad_figure_rows_are_named_and_nothing_is_written(figures, changes, column, message):
    rows = [figure_row(measure="1", value="1100"), figure_row(**changes)]
    before = list(MeasureUpdate.objects.values().order_by("pk"))
    result = transfer_import("updates", csv_of(rows), "csv", None)
    assert not result.written
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert list(MeasureUpdate.objects.values().order_by("pk")) == before


def test_importing_figures_needs_staff(figures, make_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        transfer_import("updates", csv_of([figure_row()]), "csv", make_user("panel member"))


# --- a whole plan, one sheet ------------------------------------------------------------
def plan_sheet(**changes) -> list[dict]:
    """A small made-up plan of a test area, each row below the one it belongs to."""
    blank = dict.fromkeys(PLAN_COLUMNS, "")
    rows = [
        {
            "record": "plan",
            "plan": "testshire-2024-2028",
            "title": "Testshire Police and Crime Plan (test area)",
            "police_area": "Testshire (test area)",
            "start_year": "2024",
            "end_year": "2028",
        },
        {
            "record": "priority",
            "plan": "testshire-2024-2028",
            "priority": "safer-roads",
            "kind": "Police and Crime Plan priority",
            "order": "1",
            "title": "Safer roads",
        },
        {
            "record": "commitment",
            "plan": "testshire-2024-2028",
            "priority": "safer-roads",
            "order": "1",
            "text": "Work with the council on speed limits.",
        },
        {
            "record": "measure",
            "plan": "testshire-2024-2028",
            "priority": "safer-roads",
            "order": "1",
            "title": "Road casualties",
            "text": "Fewer people killed or seriously injured on the roads.",
            "unit": "casualties",
            "desired_direction": "decrease",
            "target": "400",
            "amber_tolerance": "20",
            "active": "yes",
        },
        {
            "record": "priority",
            "plan": "testshire-2024-2028",
            "priority": "national-measures",
            "kind": "national",
            "order": "1",
            "title": "National measures",
        },
        {
            "record": "measure",
            "plan": "testshire-2024-2028",
            "priority": "national-measures",
            "order": "1",
            "title": "Homicide",
            "text": "Reduce murder and other homicide.",
            "active": "yes",
        },
    ]
    rows = [{**blank, **row} for row in rows]
    for index, row_changes in changes.items():
        rows[int(index.removeprefix("row"))].update(row_changes)
    return rows


def plan_counts() -> tuple:
    return tuple(m.objects.count() for m in (Plan, Priority, Commitment, OutcomeMeasure))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_plan_sheet_imports_and_round_trips(fmt):
    first = transfer_import("plan", csv_of(plan_sheet()), "csv", None)
    assert first.errors == [] and len(first.created) == 6
    plan = Plan.objects.get(slug="testshire-2024-2028")
    assert plan.status == "draft" and plan.police_area == "Testshire (test area)"
    measure = OutcomeMeasure.objects.get(priority__plan=plan, short_label="Road casualties")
    assert (measure.target_value, measure.amber_tolerance) == (Decimal("400"), Decimal("20"))
    assert measure.desired_direction == "decrease" and measure.unit == "casualties"
    assert Priority.objects.get(plan=plan, slug="national-measures").kind == "national"
    before = [list(m.objects.values().order_by("pk")) for m in (Plan, Priority, OutcomeMeasure)]
    again = transfer_import("plan", transfer_export("plan", fmt), fmt, None)
    assert again.errors == [] and again.created == [] and again.changed == []
    assert len(again.unchanged) == 6
    after = [list(m.objects.values().order_by("pk")) for m in (Plan, Priority, OutcomeMeasure)]
    assert after == before


def test_an_edited_plan_row_changes_that_record():
    transfer_import("plan", csv_of(plan_sheet()), "csv", None)
    rows = rows_of(transfer_export("plan", "csv"))
    measure = next(r for r in rows if r["title"] == "Road casualties")
    measure["target"] = "380"
    result = transfer_import("plan", csv_of(rows), "csv", None)
    assert [(d.name, d.columns) for d in result.changed] == [("Road casualties", ("target",))]
    assert OutcomeMeasure.objects.get(short_label="Road casualties").target_value == 380


@pytest.mark.parametrize(
    ("changes", "row", "column", "message"),
    [
        ({"row1": {"record": "aim"}}, 3, "record", "plan, priority, commitment or measure"),
        ({"row0": {"end_year": "2020"}}, 2, "end_year", "The plan must end after it starts."),
        ({"row3": {"target": "four"}}, 5, "target", "Enter a number"),
        ({"row3": {"desired_direction": ""}}, 5, "desired_direction", "a target needs a"),
        ({"row2": {"priority": "elsewhere"}}, 4, "priority", "No priority “elsewhere”"),
        ({"row1": {"plan": "other-plan"}}, 3, "plan", "No plan “other-plan”"),
    ],
)
def test_bad_plan_rows_are_named_and_nothing_is_written(changes, row, column, message):
    before = plan_counts()
    result = transfer_import("plan", csv_of(plan_sheet(**changes)), "csv", None)
    assert not result.written
    assert (result.errors[0].row, result.errors[0].column) == (row, column)
    assert message in result.errors[0].message
    assert plan_counts() == before


@pytest.mark.parametrize("kind", ["areas", "plan", "updates"])
def test_each_template_has_the_exports_headers_and_one_example_row(kind):
    template = transfer_template(kind, "csv").decode("utf-8-sig")
    export = transfer_export(kind, "csv").decode("utf-8-sig")
    assert template.splitlines()[0] == export.splitlines()[0]
    assert len(rows_of(template.encode())) == 1
