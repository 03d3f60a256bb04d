"""Staff send an awards spreadsheet to an approver; the approver opens the task on their home
page, checks the preview and confirms; the award is then on the public awards page."""

import csv
import io

import pytest
from playwright.sync_api import expect

from e2e.test_publication import no_serious_axe_violations
from e2e.traffic import count_traffic
from pcc_portal.transfer import transfer_template

pytestmark = pytest.mark.django_db(transaction=True)

STAFF_LOADS = 3  # the import page, the preview, the request sent
APPROVER_LOADS = 4  # home, the request, confirmed (the request again), the awards page
TITLE = "Award sent to check the approval of imports"  # made up for the check


def awards_file(path):
    rows = list(csv.DictReader(io.StringIO(transfer_template("awards", "csv").decode("utf-8-sig"))))
    rows[0].update(identifier="", fund="street-pastors-fund",
                   organisation="Lancashire Violence Reduction Network", title=TITLE,
                   amount="£1,250")  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_staff_send_an_import_and_an_approver_confirms_it(open_as, tmp_path):
    from funding.models import Award

    staff = open_as("staff")
    traffic = count_traffic(staff)
    staff.goto("/import/")
    staff.get_by_label("Awards", exact=True).check()
    staff.get_by_label("Upload the spreadsheet").set_input_files(awards_file(tmp_path / "a.csv"))
    staff.get_by_role("button", name="Preview the import").click()
    expect(staff.locator("main")).to_contain_text("1 row to create")
    expect(staff.get_by_role("button", name="Import awards")).to_have_count(0)
    staff.get_by_label("A note for the approver (optional)").fill("From the spring round")
    staff.get_by_role("button", name="Send to an approver").click()
    expect(staff.locator("main")).to_contain_text("Waiting for an approver")
    no_serious_axe_violations(staff)
    assert not Award.objects.filter(title=TITLE).exists()  # nothing written yet
    assert len(traffic["loads"]) == STAFF_LOADS, traffic["loads"]

    approver = open_as("approver")
    traffic = count_traffic(approver)
    approver.goto("/")
    approver.get_by_role("link", name="1 import waits for your confirmation").click()
    approver.get_by_role("link", name="a.csv").first.click()
    expect(approver.locator("main")).to_contain_text(TITLE)
    expect(approver.locator("main")).to_contain_text("From the spring round")
    no_serious_axe_violations(approver)
    approver.get_by_role("button", name="Confirm import").click()
    expect(approver.locator("main")).to_contain_text("1 created")
    assert Award.objects.filter(title=TITLE).count() == 1
    approver.get_by_role("link", name="See the awards").click()
    expect(approver.locator("main")).to_contain_text(TITLE)
    loads = len(traffic["loads"])
    print(f"import request journey: staff {STAFF_LOADS} page loads, approver {loads}")
    assert loads == APPROVER_LOADS + 1, traffic["loads"]  # + the requests list from the task
