"""Organisations, funds and awards in and out as spreadsheets: round trips, natural keys,
amounts and dates as staff write them, and whole files refused with every row's errors."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funding.models import Award, Fund, Organisation
from funding.tests.factories import make_award, make_fund, make_org
from pcc_portal.transfer import (
    RowDone,
    TransferError,
    format_of,
    transfer_export,
    transfer_import,
    transfer_kinds,
    transfer_preview,
    transfer_template,
)
from tests.helpers import csv_of, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def funding_data():
    funder = make_org(name="Home Office", kind="government_department", org_identifier="GB-GOR-PB1")
    office = make_org(name="The Office", is_office_side=True)
    charity = make_org(name="Bright Futures", org_identifier="GB-CHC-1234567")
    incoming = make_fund("incoming", name="Safer Streets", slug="safer-streets", funder=funder)
    grants = make_fund(name="Community Fund", slug="community-fund", budget=Decimal("50000"))
    awards = [
        make_award(incoming, office, amount="550000.00", title="Alleygates"),
        make_award(grants, charity, amount="1250.50", title="=Youth club", purpose="Evenings"),
        make_award(
            grants, charity, amount=None, amount_per_year=Decimal("1000"), years=2, title="Mentors"
        ),
    ]
    return {"office": office, "charity": charity, "grants": grants, "awards": awards}


def test_the_funding_kinds_are_registered_in_order():
    keys = [kind.key for kind in transfer_kinds()]
    assert keys.index("organisations") < keys.index("funds") < keys.index("awards")


@pytest.mark.parametrize("kind", ["organisations", "funds", "awards"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_again_changing_nothing(funding_data, kind, fmt, make_user):
    before = {m: list(m.objects.values().order_by("pk")) for m in (Organisation, Fund, Award)}
    data = transfer_export(kind, fmt)
    result = transfer_import(kind, data, fmt, make_user("approver"))
    assert result.errors == []
    assert result.created == [] and result.changed == []
    assert len(result.unchanged) == {"organisations": 3, "funds": 2, "awards": 3}[kind]
    after = {m: list(m.objects.values().order_by("pk")) for m in (Organisation, Fund, Award)}
    assert after == before  # not even a version moved on


def test_an_edited_cell_changes_that_one_record(funding_data, make_user):
    rows = rows_of(transfer_export("awards", "csv"))
    edited = next(row for row in rows if row["title"] == "Alleygates")
    edited["amount"] = "£1,275,000"
    staff = make_user("approver")  # awards are public once written: approvers import them
    result = transfer_import("awards", csv_of(rows), "csv", staff)
    assert result.changed == [RowDone(2, "Alleygates", ("amount",))]
    assert len(result.unchanged) == 2
    award = Award.objects.get(title="Alleygates")
    assert award.amount == Decimal("1275000.00")
    assert award.version == 2
    latest = award.history.first()
    assert latest.history_user == staff
    assert latest.history_change_reason == "Imported from a spreadsheet"


def test_formula_like_text_round_trips_safely(funding_data):
    rows = rows_of(transfer_export("awards", "csv"))
    assert any(row["title"] == "'=Youth club" for row in rows)
    result = transfer_preview("awards", csv_of(rows), "csv", None)
    assert result.valid and len(result.unchanged) == 3


def _awards_by_identifier() -> list[tuple]:
    return sorted(
        (award.grant_identifier, award.title, award.amount) for award in Award.objects.all()
    )


def test_an_export_imports_into_an_empty_database(funding_data):
    files = {kind: transfer_export(kind, "xlsx") for kind in ("organisations", "funds", "awards")}
    stored = _awards_by_identifier()
    Award.objects.all().delete()
    Fund.objects.all().delete()
    Organisation.objects.all().delete()
    for kind, data in files.items():
        result = transfer_import(kind, data, "xlsx", None)
        assert result.errors == [] and result.written
        assert result.changed == [] and result.unchanged == []
    # The awards keep their grant identifiers (those a published 360Giving file carries).
    assert _awards_by_identifier() == stored
    for kind, data in files.items():
        again = transfer_import(kind, data, "xlsx", None)
        assert again.created == [] and again.changed == [], kind


def test_a_template_has_the_headers_and_one_example_row():
    rows = rows_of(transfer_template("awards", "csv"))
    assert len(rows) == 1
    assert list(rows[0])[:4] == ["identifier", "fund", "organisation", "title"]
    assert "illustrative" in rows[0]["title"]
    sheet = openpyxl.load_workbook(io.BytesIO(transfer_template("funds", "xlsx"))).active
    assert [cell.value for cell in sheet[1]][:3] == ["slug", "name", "direction"]
    assert sheet.max_row == 2


def new_award_rows(**changes) -> bytes:
    row = {
        "identifier": "",
        "fund": "community-fund",
        "organisation": "GB-CHC-1234567",
        "title": "New hub",
        "amount": "£1,275,000",
        "amount_per_year": "",
        "years": "",
        "award_date": "31/03/2021",
        "status": "Awarded",
        "ranking": "",
        "beneficiaries": "",
        "projects": "",
        "planned_start": "",
        "planned_end": "",
        "purpose": "",
        "notes": "",
    }
    return csv_of([{**row, **changes}])


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("£1,275,000", Decimal("1275000.00")),
        ("1275000", Decimal("1275000.00")),
        ("1,275,000.50", Decimal("1275000.50")),
        (" £ 12500 ", Decimal("12500.00")),
    ],
)
def test_amounts_as_spreadsheets_write_them(funding_data, written, amount):
    result = transfer_import("awards", new_award_rows(amount=written), "csv", None)
    assert result.errors == []
    assert Award.objects.get(title="New hub").amount == amount


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1.18m", "Write the amount in full, like 1180000 or £1,180,000: “1.18m” is shorthand"),
        ("£2.5 million", "Write the amount in full"),
        ("-500", "Enter an amount of £0.01 or more: “-500” is negative"),
        ("£-500", "is negative"),
        ("(500)", "is negative"),
        ("twelve", "Enter the amount in pounds, like 1275000 or £1,275,000, not “twelve”"),
        ("12.345", "Enter the amount in pounds"),
    ],
)
def test_amounts_refused_with_a_clear_message(funding_data, written, message):
    result = transfer_import("awards", new_award_rows(amount=written), "csv", None)
    assert not result.written
    [error] = result.errors
    assert error.row == 2 and error.column == "amount"
    assert message in error.message
    assert str(error).startswith("Row 2, column amount: ")
    assert not Award.objects.filter(title="New hub").exists()


@pytest.mark.parametrize(
    ("written", "date"),
    [("31/03/2021", datetime.date(2021, 3, 31)), ("2021-03-31", datetime.date(2021, 3, 31))],
)
def test_dates_in_uk_and_iso_forms(funding_data, written, date):
    assert transfer_import("awards", new_award_rows(award_date=written), "csv", None).written
    assert Award.objects.get(title="New hub").award_date == date


def test_an_excel_date_cell_is_read_as_a_date(funding_data):
    book = openpyxl.load_workbook(io.BytesIO(transfer_template("awards", "xlsx")))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    values = {"fund": "community-fund", "organisation": "Bright Futures", "title": "Dated"}
    values |= {"amount": 900, "award_date": datetime.datetime(2021, 3, 31), "status": "awarded"}
    for column, value in values.items():
        sheet.cell(row=2, column=headers.index(column) + 1, value=value)
    for column in ("planned_start", "planned_end", "beneficiaries"):
        sheet.cell(row=2, column=headers.index(column) + 1, value=None)
    out = io.BytesIO()
    book.save(out)
    result = transfer_import("awards", out.getvalue(), "xlsx", None)
    assert result.errors == []
    award = Award.objects.get(title="Dated")
    assert (award.amount, award.award_date) == (Decimal("900.00"), datetime.date(2021, 3, 31))


def test_every_invalid_row_is_reported_and_nothing_is_written(funding_data):
    rows = rows_of(transfer_export("awards", "csv"))
    rows[0]["amount"] = "1.18m"
    rows[1]["organisation"] = "Nobody Known"
    rows[2]["award_date"] = "31/02/2021"
    rows.append({**rows[0], "identifier": "", "title": "Valid new row", "amount": "100"})
    before = list(Award.objects.values().order_by("pk"))
    result = transfer_import("awards", csv_of(rows), "csv", None)
    assert not result.written
    shown = [str(error) for error in result.errors]
    assert shown[0].startswith("Row 2, column amount: Write the amount in full")
    assert shown[1] == (
        "Row 3, column organisation: No organisation “Nobody Known” is in the portal: add it "
        "with the organisations import first, or correct the name"
    )
    assert shown[2] == "Row 4, column award_date: “31/02/2021” is not a real date"
    assert len(shown) == 3
    assert list(Award.objects.values().order_by("pk")) == before


def test_the_models_rules_apply_to_each_row(funding_data):
    result = transfer_import("awards", new_award_rows(amount="", status="awarded"), "csv", None)
    assert [str(e) for e in result.errors] == ["Row 2, column amount: Enter the amount"]
    result = transfer_import("funds", transfer_template("funds", "csv"), "csv", None)
    assert result.written  # the template's example row is itself valid
    assert Fund.objects.filter(slug="example-small-grants").exists()


def test_a_missing_or_unknown_column_is_named(funding_data):
    rows = [
        {k: v for k, v in row.items() if k != "amount"}
        for row in rows_of(transfer_export("awards", "csv"))
    ]
    rows[0]["amonut"] = "5"
    for row in rows[1:]:
        row["amonut"] = ""
    result = transfer_preview("awards", csv_of(rows), "csv", None)
    shown = [str(error) for error in result.errors]
    assert "Row 1, column amount: the column is missing: add it to the headers" in shown
    assert any(s.startswith("Row 1, column amonut: not a column of this import") for s in shown)


def test_a_preview_writes_nothing(funding_data):
    result = transfer_preview("awards", new_award_rows(), "csv", None)
    assert [done.name for done in result.created] == ["New hub"] and result.valid
    assert not Award.objects.filter(title="New hub").exists()


def test_organisations_are_matched_by_identifier_then_name(funding_data):
    rows = rows_of(transfer_export("organisations", "csv"))
    charity = next(row for row in rows if row["identifier"] == "GB-CHC-1234567")
    charity["name"] = "Bright Futures Trust"
    office = next(row for row in rows if row["name"] == "The Office")
    office["identifier"] = "GB-GOR-X1"
    result = transfer_import("organisations", csv_of(rows), "csv", None)
    assert sorted(done.name for done in result.changed) == ["Bright Futures Trust", "The Office"]
    assert Organisation.objects.get(pk=funding_data["charity"].pk).name == "Bright Futures Trust"
    assert Organisation.objects.get(pk=funding_data["office"].pk).org_identifier == "GB-GOR-X1"
    assert Organisation.objects.count() == 3


def test_importing_needs_the_kinds_permissions(funding_data, make_user):
    with pytest.raises(PermissionDenied):
        transfer_preview("awards", new_award_rows(), "csv", make_user("panel member"))


def test_formats_and_kinds_are_checked():
    assert format_of("awards.CSV") == "csv" and format_of("a/b.xlsx") == "xlsx"
    with pytest.raises(TransferError, match="is not a CSV"):
        format_of("awards.xls")
    with pytest.raises(TransferError, match=r"use one of .*awards"):
        transfer_export("grants", "csv")
    with pytest.raises(TransferError, match="Row 3 has more cells than there are column"):
        transfer_preview("awards", b"id,title\n1,a\n2,b,c\n", "csv", None)
    with pytest.raises(TransferError, match="The file is empty"):
        transfer_preview("awards", b"", "csv", None)
    with pytest.raises(TransferError, match="could not be read as XLSX"):
        transfer_preview("awards", b"not a workbook", "xlsx", None)


def test_a_fund_without_a_slug_is_matched_by_the_slug_its_name_makes(funding_data):
    rows = rows_of(transfer_export("funds", "csv"))
    for row in rows:
        row["slug"] = ""
    result = transfer_import("funds", csv_of(rows), "csv", None)
    assert result.errors == [] and result.created == [] and len(result.unchanged) == 2


def test_empty_lines_are_skipped_but_counted(funding_data):
    data = new_award_rows(amount="1.18m")
    header, row = data.decode().splitlines()
    text = "\n".join([header, ",,,", "", row, ",,", ""])
    result = transfer_preview("awards", text.encode(), "csv", None)
    assert [(e.row, e.column) for e in result.errors] == [(4, "amount")]


# --- the award's grant identifier ----------------------------------------------------------
def test_an_award_without_an_identifier_has_the_one_the_portal_gives_it(funding_data, settings):
    award = funding_data["awards"][0]
    assert award.identifier == ""
    assert award.grant_identifier == f"{settings.THREESIXTYGIVING_PREFIX}-{award.pk}"
    rows = rows_of(transfer_export("awards", "csv"))
    assert sorted(row["identifier"] for row in rows) == sorted(
        a.grant_identifier for a in funding_data["awards"]
    )


def other_system_rows(identifiers=("360G-other-0001", "360G-other-0002")) -> bytes:
    rows = rows_of(new_award_rows())
    return csv_of(
        [
            {**rows[0], "identifier": identifier, "title": f"From {identifier}"}
            for identifier in identifiers
        ]
    )


def test_awards_from_another_system_keep_their_identifiers_and_import_once(funding_data):
    data = other_system_rows()
    first = transfer_import("awards", data, "csv", None)
    assert first.errors == [] and len(first.created) == 2
    again = transfer_import("awards", data, "csv", None)
    assert again.errors == [] and again.created == [] and again.changed == []
    assert len(again.unchanged) == 2
    award = Award.objects.get(identifier="360G-other-0001")
    assert award.grant_identifier == "360G-other-0001" and award.version == 1
    assert Award.objects.count() == 5


def test_a_matched_row_changes_the_award_it_names(funding_data):
    transfer_import("awards", other_system_rows(), "csv", None)
    rows = rows_of(other_system_rows())
    rows[1]["amount"] = "£99"
    result = transfer_import("awards", csv_of(rows), "csv", None)
    assert result.changed == [RowDone(3, "From 360G-other-0002", ("amount",))]
    assert Award.objects.get(identifier="360G-other-0002").amount == Decimal("99.00")


def test_a_blank_identifier_adds_an_award_the_portal_names(funding_data, settings):
    result = transfer_import("awards", new_award_rows(), "csv", None)
    assert len(result.created) == 1
    award = Award.objects.get(title="New hub")
    assert award.identifier == ""
    assert award.grant_identifier == f"{settings.THREESIXTYGIVING_PREFIX}-{award.pk}"


def test_a_duplicate_identifier_in_one_file_is_a_row_error(funding_data):
    data = other_system_rows(("360G-other-0001", "360G-other-0001"))
    result = transfer_import("awards", data, "csv", None)
    assert not result.written
    assert [str(error) for error in result.errors] == [
        "Row 3, column identifier: The grant identifier “360G-other-0001” is on a row above "
        "too: give each award once in a file"
    ]
    assert Award.objects.count() == 3


def test_an_identifier_of_the_wrong_form_is_a_row_error(funding_data):
    result = transfer_import("awards", other_system_rows(("360G-ok-1", "grant 12")), "csv", None)
    assert not result.written
    shown = [str(error) for error in result.errors]
    assert len(shown) == 1
    assert shown[0].startswith("Row 3, column identifier: Enter the grant identifier like ")
    assert shown[0].endswith("not “grant 12”")


def test_an_identifier_the_portal_gives_another_award_is_refused(funding_data, settings):
    taken = funding_data["awards"][0].grant_identifier
    award = funding_data["awards"][1]
    award.identifier = taken
    with pytest.raises(ValidationError, match="the portal gives another award"):
        award.full_clean()
