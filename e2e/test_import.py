"""An approver imports awards in the browser: the template downloaded, filled in as a
spreadsheet would be, uploaded, previewed and confirmed, in three page loads. (Awards are
public once written, so staff send theirs to an approver: e2e/test_import_request.py.)"""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.test_publication import no_serious_axe_violations
from e2e.traffic import count_traffic

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_LOADS = 3  # the import page, the preview, the result


def test_staff_fill_in_the_template_preview_and_import(open_as, tmp_path):
    from funding.models import Award

    staff = open_as("approver")
    traffic = count_traffic(staff)
    staff.goto("/import/")
    with staff.expect_download() as saved:
        staff.get_by_role("link", name="Download the template (CSV) for awards").click()
    rows = list(csv.DictReader(io.StringIO(Path(saved.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == 1  # the example row, to be replaced
    # A row as staff would type it, naming a fund and an organisation the demo holds (an
    # award made up for the check, not a fact of the demo).
    rows[0].update(
        fund="street-pastors-fund",
        organisation="Lancashire Violence Reduction Network",
        title="Award entered to check the import",
        amount="£1,250",
    )
    edited = tmp_path / "awards.csv"
    with edited.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = Award.objects.count()

    staff.get_by_label("Awards", exact=True).check()
    staff.get_by_label("Upload the spreadsheet").set_input_files(edited)
    staff.get_by_role("button", name="Preview the import").click()
    expect(staff.locator("h1")).to_have_text("Check the import")
    expect(staff.locator("main")).to_contain_text("1 row to create, 0 to change")
    expect(staff.locator("main")).to_contain_text("Award entered to check the import")
    no_serious_axe_violations(staff)
    assert Award.objects.count() == before  # the preview wrote nothing

    staff.get_by_role("button", name="Import awards").click()
    expect(staff.locator("h1")).to_have_text("Import complete")
    no_serious_axe_violations(staff)
    assert Award.objects.filter(title="Award entered to check the import").count() == 1
    expect(staff.get_by_role("link", name="See the awards")).to_be_visible()

    assert len(traffic["loads"]) == PAGE_LOADS, traffic["loads"]
    print(f"import journey: {len(traffic['loads'])} page loads, {len(traffic['posts'])} posts")
