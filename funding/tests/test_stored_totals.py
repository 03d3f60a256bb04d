"""The funding totals are stored and follow the awards: added, changed, deleted, imported, their
priorities changed. Once the change commits a task counts the changed years again; a page read
before the task has run counts them itself. The figures are those summed from the awards."""

import datetime
from contextlib import suppress
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from funding.filters import AwardFilter
from funding.models import Award, FundingTotal, FundingYearChange
from funding.selectors import award_list_totals, funding_summary
from funding.tests.factories import make_award, make_fund, make_org
from funding.totals import FundingTotalsEnqueue, funding_totals_count
from pcc_portal.transfer import transfer_export, transfer_import
from plan.tests.factories import make_plan, make_priority
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

FIXTURES = (
    "020_areas_lancashire",
    "025_reporting_periods",
    "030_plan_lancashire_2021_2025",
    "050_funding_lancashire",
)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the transaction to commit, as a real request's commit would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = change()
        return result, callbacks

    return run


def totals_tasks(callbacks) -> list:
    return [callback for callback in callbacks if isinstance(callback, FundingTotalsEnqueue)]


def outgoing():
    return {s.direction: s for s in funding_summary()}["outgoing"]


def by_year(summary) -> dict[str, Decimal]:
    return {row.label: row.amount for row in summary.by_year}


def test_an_award_added_is_counted_once_its_change_commits(committed):
    fund = make_fund(name="Street pastors fund")
    assert outgoing().total == 0

    def record_two():
        make_award(fund, amount="500.00")
        make_award(fund, amount="250.00")

    _, callbacks = committed(record_two)
    assert len(totals_tasks(callbacks)) == 1  # one task for the transaction
    assert not FundingYearChange.objects.exists()  # the task counted the year
    assert FundingTotal.objects.filter(fund=fund, status="awarded").exists()
    assert outgoing().total == Decimal("750.00")


def test_a_page_read_before_the_task_has_run_shows_the_change(client):
    fund = make_fund(name="Street pastors fund")
    make_award(fund, amount="500.00")  # in the test's transaction: no commit, no task
    assert FundingYearChange.objects.exists()
    page = text(soup(client.get("/funding/")).main)
    assert "£500" in page
    assert not FundingYearChange.objects.exists()


def test_an_award_moved_to_another_year_leaves_the_old_one(committed):
    fund = make_fund()
    award = make_award(fund, amount="900.00", award_date=datetime.date(2020, 5, 1))
    assert by_year(outgoing()) == {"2020/21": Decimal("900.00")}
    award = Award.objects.get(pk=award.pk)  # as a form loads it
    award.award_date = datetime.date(2022, 5, 1)
    award.amount = Decimal("950.00")
    committed(award.save)
    assert by_year(outgoing()) == {"2022/23": Decimal("950.00")}


def test_an_award_no_longer_awarded_or_deleted_leaves_the_totals(committed):
    fund = make_fund()
    kept = make_award(fund, amount="100.00")
    bid = make_award(fund, amount="200.00")
    gone = make_award(fund, amount="400.00")
    assert outgoing().total == Decimal("700.00")
    bid.status = Award.Status.BID_SUBMITTED
    committed(bid.save)
    committed(gone.delete)
    summary = outgoing()
    assert (summary.total, summary.count) == (kept.amount, 1)


def test_a_year_noted_in_a_savepoint_rolled_back_is_noted_again_when_changed_after(committed):
    fund = make_fund()

    def change():
        make_award(fund, amount="100.00", award_date=datetime.date(2020, 5, 1))
        with suppress(IntegrityError), transaction.atomic():  # a row an import gave up on
            make_award(fund, amount="200.00", award_date=datetime.date(2022, 5, 1))
            raise IntegrityError("given up")
        make_award(fund, amount="300.00", award_date=datetime.date(2022, 6, 1))

    committed(change)
    assert by_year(outgoing()) == {"2020/21": Decimal("100.00"), "2022/23": Decimal("300.00")}


def test_a_bulk_change_of_status_or_date_moves_the_totals(committed):
    fund = make_fund()
    for _ in range(3):
        make_award(fund, amount="10.00", award_date=datetime.date(2019, 6, 1))
    committed(lambda: Award.objects.filter(amount=Decimal("10.00")).update(status="withdrawn"))
    assert outgoing().total == 0
    Award.objects.update(status="awarded")
    committed(lambda: Award.objects.update(award_date=datetime.date(2023, 6, 1)))
    assert by_year(outgoing()) == {"2023/24": Decimal("30.00")}


def test_a_priority_added_to_an_award_counts_it_for_that_priority(committed):
    priority = make_priority(make_plan(), title="Tackling violence")
    award = make_award(make_fund(), amount="300.00")
    assert outgoing().by_priority == []
    committed(lambda: award.priorities.add(priority))
    assert [(row.label, row.amount) for row in outgoing().by_priority] == [
        ("Tackling violence", Decimal("300.00"))
    ]
    committed(lambda: priority.awards.remove(award))  # from the priority's side
    assert outgoing().by_priority == []


def test_imported_awards_are_counted(committed):
    fund = make_fund(name="Community Fund", slug="community-fund")
    organisation = make_org(name="Bright Futures", org_identifier="GB-CHC-1234567")
    for n in range(3):
        make_award(fund, organisation, amount="100.00", identifier=f"360G-other-{n:04d}")
    data = transfer_export("awards", "csv")
    Award.objects.all().delete()
    assert outgoing().total == 0
    result = transfer_import("awards", data, "csv", None)
    assert len(result.created) == 3
    # the three awards of one year note it once, for one count
    assert list(FundingYearChange.objects.values_list("financial_year", flat=True)) == [2020]
    assert (outgoing().total, outgoing().count) == (Decimal("300.00"), 3)


def test_awards_written_in_bulk_are_counted(committed):
    fund = make_fund()
    organisation = make_org()
    committed(
        lambda: Award.objects.bulk_create(
            Award(
                fund=fund,
                organisation=organisation,
                title=f"Grant {n}",
                amount=Decimal("5.00"),
                award_date=datetime.date(2018 + n % 2, 7, 1),
            )
            for n in range(4)
        )
    )
    assert by_year(outgoing()) == {
        "2019/20": Decimal("10.00"),
        "2018/19": Decimal("10.00"),
    }


def stored_rows() -> list[tuple]:
    rows = FundingTotal.objects.values_list(
        "status", "fund", "financial_year", "priority", "area", "amount", "count"
    )
    return sorted(rows, key=lambda row: tuple((value is None, value or 0) for value in row))


def test_the_rebuild_command_counts_every_year_again(committed):
    for name in FIXTURES:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    call_command("funding_totals_rebuild", verbosity=0)
    counted = stored_rows()
    assert counted
    FundingTotal.objects.filter(status="awarded").update(amount=Decimal("1.00"))
    call_command("funding_totals_rebuild", verbosity=0)
    assert stored_rows() == counted
    FundingTotal.objects.all().delete()
    funding_totals_count()  # what the migration does, with the current models
    assert stored_rows() == counted


AWARD_LIST_FILTERS = [
    "",
    "status=awarded",
    "direction=outgoing&status=awarded",
    "direction=incoming&year=2018",
    "fund=street-pastors-fund",
    "priority=1",
    "area=101&status=awarded",
    "priority=1&area=101",  # both: summed over the awards
    "q=pastors",  # a search: summed over the awards
    "year=nonsense&status=awarded",  # a wrong filter is ignored, as the list ignores it
]


@pytest.mark.parametrize("query", AWARD_LIST_FILTERS)
def test_the_award_lists_totals_are_the_awards_sums(query, rf):
    for name in FIXTURES:
        call_command("loaddata", f"fixtures/{name}.json", verbosity=0)
    request = rf.get(f"/funding/awards/?{query}")
    filterset = AwardFilter(
        request.GET or None, queryset=Award.objects.order_by("-award_date"), request=request
    )
    awards = filterset.qs
    summed = awards.order_by().totals_by_direction()
    assert summed or query.startswith("direction=incoming")
    assert award_list_totals(filterset, awards) == summed


def test_the_award_list_pages_through_the_awards_the_totals_count(client):
    fund = make_fund()
    organisation = make_org()
    for n in range(27):
        make_award(fund, organisation, status="awarded" if n % 3 else "withdrawn")
    page = soup(client.get("/funding/awards/?page=2"))
    assert len(page.select("main tbody tr")) == 2  # 27 awards, 25 a page
    assert client.get("/funding/awards/?page=3").status_code == 404
    awarded = soup(client.get("/funding/awards/?status=awarded"))
    assert len(awarded.select("main tbody tr")) == 18
    assert "in 18 awards" in text(awarded.main)
    assert client.get("/funding/awards/?status=awarded&page=2").status_code == 404
