"""`manage.py export KIND FILE` and `manage.py import KIND FILE [--dry-run]`: what they print,
their exit status, and that a file with any invalid row writes nothing."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from funding.models import Award
from funding.tests.factories import make_award, make_fund, make_org

pytestmark = pytest.mark.django_db


def run(*argv) -> tuple[int, str, str]:
    """Runs a command as manage.py does (a CommandError is printed and exits with its status),
    keeping the test's database connection open: the exit status, and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*argv, stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def awards():
    fund = make_fund(name="Community Fund", slug="community-fund")
    charity = make_org(name="Bright Futures")
    return [make_award(fund, charity, title=f"Grant {n}") for n in range(3)]


def edit_csv(path, change) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    change(rows)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_leaves_everything_alone(awards, tmp_path, suffix):
    path = tmp_path / f"awards{suffix}"
    status, out, _ = run("export", "awards", str(path))
    assert status == 0 and out == f"Wrote the awards to {path}\n"
    status, out, err = run("import", "awards", str(path))
    assert status == 0 and err == ""
    assert out == "Imported awards: 0 created, 0 changed, 3 left alone\n"


def test_import_prints_what_it_created_and_changed(awards, tmp_path):
    path = tmp_path / "awards.csv"
    run("export", "awards", str(path))

    def change(rows):
        rows[0]["amount"] = "£2,500"
        rows.append({**rows[1], "identifier": "", "title": "A new grant"})

    edit_csv(path, change)
    status, out, _ = run("import", "awards", str(path), "--dry-run")
    assert status == 0
    assert out == "Would import awards: 1 created, 1 changed, 2 left alone (nothing written)\n"
    assert not Award.objects.filter(title="A new grant").exists()
    status, out, _ = run("import", "awards", str(path))
    assert out == "Imported awards: 1 created, 1 changed, 2 left alone\n"
    assert Award.objects.filter(title="A new grant").exists()


def test_an_invalid_row_exits_non_zero_writing_nothing(awards, tmp_path):
    path = tmp_path / "awards.csv"
    run("export", "awards", str(path))

    def change(rows):
        rows[0]["title"] = "Renamed"
        rows[2]["amount"] = "-5"

    edit_csv(path, change)
    status, out, err = run("import", "awards", str(path))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "Row 4, column amount: Enter an amount of £0.01 or more: “-5” is negative",
        f"CommandError: Nothing was imported: 1 error in {path}",
    ]
    assert not Award.objects.filter(title="Renamed").exists()


def test_the_kind_must_be_a_known_one(tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("import", "grants", str(tmp_path / "grants.csv"))
    message = str(refused.value)
    assert message.startswith("“grants” is not a kind of record to import or export: use one of")
    assert "organisations, funds, awards" in message


def test_the_format_follows_the_extension(tmp_path):
    path = tmp_path / "awards.ods"
    path.write_bytes(b"")
    status, _, err = run("import", "awards", str(path))
    assert status == 1
    assert "“awards.ods” is not a CSV (.csv) or Excel (.xlsx) file" in err
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import", "awards", str(tmp_path / "missing.csv"))


def test_a_template_is_written_and_the_user_is_recorded(awards, tmp_path, make_user):
    path = tmp_path / "template.csv"
    call_command("export", "awards", str(path), "--template", stdout=io.StringIO())
    assert len(path.read_text().splitlines()) == 2
    staff = make_user("approver", username="sam")  # awards are public once written
    edited = tmp_path / "awards.csv"
    call_command("export", "awards", str(edited), stdout=io.StringIO())
    edit_csv(edited, lambda rows: rows[0].update(title="Renamed by Sam"))
    call_command("import", "awards", str(edited), "--user", "sam", stdout=io.StringIO())
    award = Award.objects.get(title="Renamed by Sam")
    assert award.history.first().history_user == staff
    panel = make_user("panel member", username="pat")
    assert panel
    with pytest.raises(CommandError, match="You cannot import awards"):
        call_command("import", "awards", str(edited), "--user", "pat")
    make_user("staff", username="kim")
    with pytest.raises(CommandError, match="an approver confirms their import"):
        call_command("import", "awards", str(edited), "--user", "kim")
    with pytest.raises(CommandError, match="There is no active user “nobody”"):
        call_command("import", "awards", str(edited), "--user", "nobody")
