"""The register of duties: the due date of each frequency (month ends, leap years, the financial
year), the states, the register and a duty's documents through the publication gate, the
monthly grants pages and their CSV files, the staff's tasks, the command, and a fixed number of
queries whatever the data."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import force_login_verified
from decisions.duties import Duty, DutyDocument, Frequency, Source
from decisions.duty_services import (
    DUE,
    MET,
    ON_CHANGE,
    OVERDUE,
    due_date,
    duty_status,
    home_duty_tasks,
    next_due,
    period_of,
)
from decisions.inspections import Inspection
from decisions.tests.factories import make_decision, publish_decision
from funding.tests.factories import make_award, make_fund, make_org
from plan.models import MeasureUpdate, ReportingPeriod
from plan.tests.factories import make_plan, make_priority
from plan.tests.test_charts import nu_checker, nu_run
from tests.helpers import soup, text

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat
FIXTURE = "fixtures/080_duties_specified_information_order.json"


def make_duty(frequency="monthly", source="document", **fields) -> Duty:
    n = Duty.objects.count() + 1
    defaults = {"slug": f"duty-{n}", "title": f"Duty {n}", "legal_basis": "An order",
                "order": n}  # fmt: skip
    return Duty.objects.create(frequency=frequency, source=source, **{**defaults, **fields})


def make_document(duty, **fields) -> DutyDocument:
    defaults = {"title": "A document", "link": "https://example.org/doc.pdf",
                "published_on": D("2024-02-10"), "published": True}  # fmt: skip
    return DutyDocument.objects.create(duty=duty, **{**defaults, **fields})


def grants_duty(threshold="500.00") -> Duty:
    return make_duty(
        "monthly", "grants", slug="grants-duty", title="Grants", threshold=Decimal(threshold)
    )


# Periods and due dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "day", "period", "due"),
    [
        # Monthly: by the end of the next month, February's length by the leap year.
        ("monthly", "2024-01-15", ("2024-01-01", "2024-01-31"), "2024-02-29"),
        ("monthly", "2023-01-31", ("2023-01-01", "2023-01-31"), "2023-02-28"),
        ("monthly", "2023-12-01", ("2023-12-01", "2023-12-31"), "2024-01-31"),
        ("monthly", "2024-02-29", ("2024-02-01", "2024-02-29"), "2024-03-31"),
        # Quarterly: financial quarters, by the end of the month after.
        ("quarterly", "2024-04-01", ("2024-04-01", "2024-06-30"), "2024-07-31"),
        ("quarterly", "2024-09-30", ("2024-07-01", "2024-09-30"), "2024-10-31"),
        ("quarterly", "2024-12-31", ("2024-10-01", "2024-12-31"), "2025-01-31"),
        ("quarterly", "2025-02-14", ("2025-01-01", "2025-03-31"), "2025-04-30"),
        ("quarterly", "2023-11-30", ("2023-10-01", "2023-12-31"), "2024-01-31"),
        # Yearly: the financial year, by the end of April after it.
        ("yearly", "2024-03-31", ("2023-04-01", "2024-03-31"), "2024-04-30"),
        ("yearly", "2024-04-01", ("2024-04-01", "2025-03-31"), "2025-04-30"),
        # Before the financial year: due on the 1 April it starts.
        ("before_year", "2024-12-25", ("2024-04-01", "2025-03-31"), "2024-04-01"),
        ("before_year", "2025-01-01", ("2024-04-01", "2025-03-31"), "2024-04-01"),
    ],
)
def test_each_frequency_has_its_period_and_due_date(frequency, day, period, due):
    found = period_of(frequency, D(day))
    assert found == (D(period[0]), D(period[1]))
    assert due_date(frequency, found) == D(due)


@pytest.mark.parametrize(
    ("frequency", "covered_to", "today", "due"),
    [
        # The period after the last one published.
        ("monthly", "2024-01-31", "2024-02-10", "2024-03-31"),
        ("quarterly", "2024-12-31", "2025-03-01", "2025-04-30"),
        ("before_year", "2025-03-31", "2025-03-20", "2025-04-01"),
        ("yearly", "2024-03-31", "2024-05-01", "2025-04-30"),
        # Nothing published: the latest period already due.
        ("monthly", None, "2024-03-15", "2024-02-29"),
        ("monthly", None, "2024-03-31", "2024-03-31"),
        ("quarterly", None, "2024-05-01", "2024-04-30"),
        ("before_year", None, "2024-04-01", "2024-04-01"),
        ("before_year", None, "2024-03-31", "2023-04-01"),
    ],
)
def test_the_next_due_date_follows_the_last_period_published(frequency, covered_to, today, due):
    covered = D(covered_to) if covered_to else None
    assert next_due(frequency, covered, D(today)) == D(due)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        ("2024-01-30", MET),  # 30 days before the due date
        ("2024-02-15", DUE),  # 14 days before
        ("2024-02-29", DUE),  # on the day
        ("2024-03-01", OVERDUE),  # the day after
    ],
)
def test_a_monthly_document_duty_is_met_due_then_overdue(today, state):
    duty = make_duty("monthly")
    make_document(duty, covers_from=D("2023-12-01"), covers_to=D("2023-12-31"))
    status = duty_status(duty, D(today))  # January's is due by 29 February
    assert status.next_due == D("2024-02-29")
    assert status.state == state
    assert status.last_published == D("2024-02-10")


def test_unpublished_documents_do_not_count():
    duty = make_duty("before_year")
    make_document(duty, covers_from=D("2024-04-01"), covers_to=D("2025-03-31"), published=False)
    status = duty_status(duty, D("2024-06-01"))
    assert status.state == OVERDUE and status.last_published is None
    assert status.next_due == D("2024-04-01")


def test_an_on_change_duty_is_published_as_it_changes():
    duty = make_duty("on_change")
    status = duty_status(duty, D("2024-06-01"))
    assert status.state == ON_CHANGE and status.next_due is None
    make_document(duty, published_on=D("2024-05-02"))
    assert duty_status(duty, D("2024-06-01")).last_published == D("2024-05-02")


def test_grants_are_met_by_the_months_with_grants_at_or_over_the_threshold():
    duty = grants_duty()
    fund = make_fund()
    make_award(fund, amount="499.99", award_date=D("2024-03-10"))
    make_award(fund, amount="500.00", award_date=D("2024-01-10"))
    make_award(make_fund("incoming"), amount="9000", award_date=D("2024-04-01"))
    make_award(fund, amount="9000", award_date=D("2024-04-01"), status="bid_submitted")
    status = duty_status(duty, D("2024-03-01"))
    assert status.last_published == D("2024-01-10")
    assert status.next_due == D("2024-03-31") and status.state == MET
    assert duty_status(duty, D("2024-04-01")).state == OVERDUE


def test_national_measures_follow_the_latest_approved_quarter():
    duty = make_duty("quarterly", "national_measures")
    priority = make_priority(make_plan(status="published"), kind="national")
    measure = priority.measures.create(order=1, text="Reduce murder", short_label="Murder")
    period = ReportingPeriod.get_or_create_for(2023, 3)  # October to December 2023
    MeasureUpdate.objects.create(
        measure=measure, period=period, status="approved", rag="green",
        approved_at=datetime.datetime(2024, 1, 20, 12, tzinfo=datetime.UTC),
    )  # fmt: skip
    status = duty_status(duty, D("2024-04-20"))
    assert status.last_published == D("2024-01-20")
    assert status.next_due == D("2024-04-30") and status.state == DUE
    assert duty_status(duty, D("2024-05-01")).state == OVERDUE


def test_inspection_comments_follow_the_56_day_clock():
    duty = make_duty("within_56_days", "inspection_comments")
    assert duty_status(duty, D("2024-01-01")).state == MET
    Inspection.objects.create(title="PEEL", kind="peel", published_on=D("2024-01-05"))
    assert duty_status(duty, D("2024-01-06")).state == MET  # due 1 March, weeks away
    assert duty_status(duty, D("2024-02-20")).state == DUE
    overdue = duty_status(duty, D("2024-03-02"))
    assert overdue.state == OVERDUE and overdue.next_due == D("2024-03-01")
    Inspection.objects.update(comments_published_on=D("2024-02-01"), published=True)
    done = duty_status(duty, D("2024-03-02"))
    assert done.state == MET and done.last_published == D("2024-02-01")


def test_decisions_show_the_last_published_decision_of_significant_public_interest(make_user):
    duty = make_duty("on_change", "decisions")
    assert duty_status(duty).last_published is None
    publish_decision(make_decision(), make_user("approver"))
    assert duty_status(duty).last_published is not None


# The register page -------------------------------------------------------------------------


def load_duties():
    call_command("loaddata", FIXTURE, verbosity=0)


def test_the_register_lists_every_duty_of_the_order_with_its_state(client_for):
    load_duties()
    assert Duty.objects.count() == 10
    assert Duty.objects.get(source="grants").threshold == Decimal("500.00")
    page = soup(client_for("anonymous").get(reverse("transparency:register")))
    rows = page.select("main table tbody tr")
    assert len(rows) == 10
    words = text(page)
    assert "Police Act 1996, section 55" in words
    assert "Overdue" in words  # nothing is published yet: the periodic duties are overdue
    assert "Published as it changes" in words
    assert page.find("a", href=reverse("transparency:grants"))
    assert "Add a document" not in words


def test_every_page_links_the_register_from_its_footer(client_for):
    page = soup(client_for("anonymous").get("/"))
    link = page.select_one(f"footer a[href='{reverse('transparency:register')}']")
    assert link is not None and text(link) == "Transparency"


def test_staff_see_a_link_to_add_a_document_per_document_duty(client_for):
    load_duties()
    page = soup(client_for("staff").get(reverse("transparency:register")))
    links = page.select("main a[href$='/documents/new/']")
    assert len(links) == Duty.objects.filter(source="document").count()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=72, height=72)
    writer.write(out)
    return out.getvalue()


def date_fields(name, day: datetime.date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_staff_add_a_document_an_approver_publishes_it_the_public_then_sees_it(make_user):
    duty = make_duty("quarterly", slug="iopc")
    staff = force_login_verified(Client(), make_user("staff"))
    url = reverse("transparency:document_create", args=[duty.slug])
    data = {
        "title": "Complaints data",
        "file": SimpleUploadedFile("data.csv", b"month,complaints\n2024-01,12\n"),
        "link": "",
        **date_fields("published_on", D("2024-04-20")),
        **date_fields("covers_from", D("2024-01-01")),
        **date_fields("covers_to", D("2024-03-31")),
    }
    response = staff.post(url, data)
    assert response.status_code == 302, text(soup(response))
    document = DutyDocument.objects.get()
    assert not document.published and document.file.name.endswith(".csv")
    public = Client()
    assert public.get(document.get_absolute_url()).status_code == 404
    file_url = reverse("transparency:document_file", args=[document.pk])
    assert public.get(file_url).status_code == 404
    assert staff.get(document.get_absolute_url()).status_code == 200
    assert duty_status(duty, D("2024-05-01")).state == OVERDUE  # not public yet
    # Staff cannot publish; an approver can.
    assert staff.post(document.get_publication_url(), {"action": "publish"}).status_code in (
        302,
        400,
        403,
    )
    document.refresh_from_db()
    assert not document.published
    approver = force_login_verified(Client(), make_user("approver"))
    page = soup(approver.get(document.get_publication_url()))
    reviewed = page.select_one("input[name=reviewed]")["value"]
    approver.post(document.get_publication_url(), {"action": "publish", "reviewed": reviewed})
    document.refresh_from_db()
    assert document.published
    assert public.get(document.get_absolute_url()).status_code == 200
    download = public.get(file_url)
    assert download.status_code == 200 and b"complaints" in b"".join(download.streaming_content)
    assert duty_status(duty, D("2024-05-01")).state == MET
    assert document.history.count() >= 2


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("a.exe", b"MZ", "must be a PDF, a CSV file or an Excel"),
        ("a.pdf", b"not a pdf", "must be a PDF"),
        ("a.csv", b"\xff\xfe\x00bad", "saved as UTF-8"),
        ("a.xlsx", b"PK not a zip", "could not be opened as an Excel"),
    ],
)
def test_a_bad_file_is_refused_in_the_error_summary_and_nothing_is_saved(
    make_user, name, content, error
):
    duty = make_duty("on_change")
    staff = force_login_verified(Client(), make_user("staff"))
    response = staff.post(
        reverse("transparency:document_create", args=[duty.slug]),
        {"title": "A", "file": SimpleUploadedFile(name, content),
         **date_fields("published_on", D("2024-04-20"))},
    )  # fmt: skip
    assert response.status_code == 200
    summary = text(soup(response).select_one(".govuk-error-summary"))
    assert error in summary
    assert not DutyDocument.objects.exists()


def test_a_pdf_and_an_xlsx_are_accepted(make_user):
    duty = make_duty("on_change")
    staff = force_login_verified(Client(), make_user("staff"))
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    for name, content in (("a.pdf", pdf_bytes()), ("b.xlsx", workbook.getvalue())):
        response = staff.post(
            reverse("transparency:document_create", args=[duty.slug]),
            {"title": name, "file": SimpleUploadedFile(name, content),
             **date_fields("published_on", D("2024-04-20"))},
        )  # fmt: skip
        assert response.status_code == 302, text(soup(response))
    assert DutyDocument.objects.count() == 2


def test_a_periodic_duty_needs_the_period_and_a_file_or_a_link(make_user):
    duty = make_duty("monthly")
    staff = force_login_verified(Client(), make_user("staff"))
    response = staff.post(
        reverse("transparency:document_create", args=[duty.slug]),
        {"title": "Spending", "link": "", **date_fields("published_on", D("2024-04-20"))},
    )
    summary = text(soup(response).select_one(".govuk-error-summary"))
    assert "Upload the document or give the web address" in summary
    assert "Enter the period the document covers" in summary
    assert not DutyDocument.objects.exists()


def test_a_published_documents_change_waits_for_an_approver(make_user):
    duty = make_duty("on_change")
    document = make_document(duty, title="Contracts")
    staff = force_login_verified(Client(), make_user("staff"))
    url = reverse("transparency:document_edit", args=[document.pk])
    version = soup(staff.get(url)).select_one("input[name=version]")["value"]
    response = staff.post(
        url, {"title": "Contracts, corrected", "link": document.link, "version": version,
              **date_fields("published_on", D("2024-02-10"))},
    )  # fmt: skip
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Contracts"  # the public still sees the published version
    # A stale version is a conflict, not a lost update.
    stale = staff.post(
        url, {"title": "Again", "link": document.link, "version": version,
              **date_fields("published_on", D("2024-02-10"))},
    )  # fmt: skip
    assert stale.status_code == 409


@pytest.mark.parametrize("role", ["anonymous", "panel member"])
def test_only_staff_may_add_documents(client_for, role):
    duty = make_duty("on_change")
    response = client_for(role).get(reverse("transparency:document_create", args=[duty.slug]))
    assert response.status_code in (302, 403)


def test_no_documents_can_be_added_to_a_computed_duty(client_for):
    duty = grants_duty()
    url = reverse("transparency:document_create", args=[duty.slug])
    assert client_for("staff").get(url).status_code == 404


# The monthly grants pages ------------------------------------------------------------------


def grants_in_march():
    fund = make_fund(name="Community Action Fund")
    org = make_org(name="Safer Streets Trust")
    make_award(fund, org, amount="1500.00", award_date=D("2021-03-08"), title="Street lights",
               purpose="Lights on the estate.")  # fmt: skip
    make_award(fund, org, amount="500.00", award_date=D("2021-03-31"), title="Leaflets")
    make_award(fund, org, amount="499.99", award_date=D("2021-03-15"), title="Too small")
    make_award(fund, org, amount="800.00", award_date=D("2021-04-01"), title="April's")
    make_award(make_fund("incoming"), amount="90000", award_date=D("2021-03-10"), title="In")


def test_the_grants_month_lists_grants_at_or_over_the_threshold_with_a_total(client_for):
    grants_duty()
    grants_in_march()
    page = soup(client_for("anonymous").get(reverse("transparency:grants_month", args=["2021-03"])))
    words = text(page)
    rows = page.select("main table tbody tr")
    assert [text(row.select("td")[2]).split(" ")[0] for row in rows] == ["Street", "Leaflets"]
    assert (
        "Too small" not in words and "April's" not in words and "In" not in [text(r) for r in rows]
    )
    assert "Total £2,000" in words
    assert "£500 or more" in words
    assert "Safer Streets Trust" in words and "Community Action Fund" in words
    assert page.find("a", href=reverse("transparency:grants_month", args=["2021-02"]))
    assert page.find("a", href=reverse("transparency:grants_month", args=["2021-04"]))


def test_the_grants_csv_has_the_same_rows_and_a_header(client):
    grants_duty()
    grants_in_march()
    response = client.get(reverse("transparency:grants_month_csv", args=["2021-03"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["date"], r["recipient"], r["amount"], r["title"]) for r in rows] == [
        ("2021-03-08", "Safer Streets Trust", "1500.00", "Street lights"),
        ("2021-03-31", "Safer Streets Trust", "500.00", "Leaflets"),
    ]
    assert rows[0]["purpose"] == "Lights on the estate." and rows[0]["fund"]


def test_a_month_without_grants_says_so_and_its_csv_has_only_the_header(client):
    grants_duty()
    page = text(soup(client.get(reverse("transparency:grants_month", args=["2021-05"]))))
    assert "No grants of £500 or more were made in May 2021." in page
    response = client.get(reverse("transparency:grants_month_csv", args=["2021-05"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [["date", "recipient", "amount", "title", "purpose", "fund", "identifier"]]


def test_the_months_list_names_the_months_with_grants(client):
    grants_duty()
    grants_in_march()
    page = soup(client.get(reverse("transparency:grants")))
    links = [a["href"] for a in page.select("main table a")]
    assert links == [
        reverse("transparency:grants_month", args=["2021-04"]),
        reverse("transparency:grants_month", args=["2021-03"]),
    ]


@pytest.mark.parametrize("month", ["2021-13", "2021-00", "0000-01", "2021-3", "march", "abcd-ef"])
def test_a_bad_month_is_not_found(client, month):
    for suffix in ("/", ".csv"):
        assert client.get(f"/transparency/grants/{month}{suffix}").status_code == 404


def test_the_first_and_last_months_have_no_link_beyond_them(client):
    first = soup(client.get("/transparency/grants/0001-01/"))
    assert not first.select("a[rel=prev]") and first.select("a[rel=next]")
    last = soup(client.get("/transparency/grants/9999-12/"))
    assert not last.select("a[rel=next]")


# Staff's tasks and the command --------------------------------------------------------------


def test_staff_see_overdue_and_due_duties_among_their_tasks(make_user):
    due = make_duty("monthly", title="Spending over £500")
    make_document(due, covers_from=D("2024-01-01"), covers_to=D("2024-01-31"))  # February's next
    make_duty("before_year", title="Budget and precept")  # nothing: overdue
    make_duty("on_change", title="Contracts")
    make_document(Duty.objects.get(title="Contracts"), published=False)
    assert home_duty_tasks(user=make_user("panel member"), today=D("2024-03-20")) is None
    part = home_duty_tasks(user=make_user("staff"), today=D("2024-03-20"))
    labels = [task.text for task in part.context["tasks"]]
    assert "Publication due: Spending over £500" in labels
    assert "Publication overdue: Budget and precept" in labels
    assert not any("wait for you" in label for label in labels)
    approver = home_duty_tasks(user=make_user("approver"), today=D("2024-03-20"))
    assert any("1 document of the register" in t.text for t in approver.context["tasks"])


def test_the_command_prints_the_register_for_a_date():
    load_duties()
    out = io.StringIO()
    call_command("duties", "--date", "2026-11-24", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "The register of duties on 2026-11-24"
    assert lines[2].split() == ["Duty", "Last", "published", "Next", "due", "State"]
    budget = next(line for line in lines if line.startswith("Budget and precept"))
    assert "not recorded" in budget and "2026-04-01" in budget and budget.endswith("Overdue")


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("duties", "--date", "2026-13-01", stdout=io.StringIO())


def test_the_demo_shows_a_mix_of_states(db):
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("demo", "--password=correct-horse-battery", verbosity=0)
    for document in DutyDocument.objects.all():
        assert document.title.startswith("Illustrative")
    states = {
        status.duty.slug: status.state
        for status in [duty_status(duty, D("2026-11-24")) for duty in Duty.objects.all()]
    }
    assert states["budget-and-precept"] == MET
    assert states["spending-over-500"] == DUE
    assert states["iopc-complaints-data"] == OVERDUE
    assert states["hmicfrs-peel-assessment"] == ON_CHANGE


# Queries and markup -------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(n: int):
    fund = make_fund()
    for i in range(n):
        duty = make_duty(list(Frequency)[i % len(Frequency)], title=f"Grown {i}")
        make_document(duty, covers_from=D("2021-01-01"), covers_to=D("2021-03-31"))
        make_document(duty, published=False)
        make_award(fund, amount="700", award_date=D("2021-03-05"))


@pytest.mark.parametrize("role", ["anonymous", "panel member", "staff", "approver"])
def test_pages_run_the_same_queries_with_ten_times_the_data(client_for, role):
    grants_duty()
    for source in Source:
        make_duty("quarterly" if source != "decisions" else "on_change", source)
    grow(2)
    duty = Duty.objects.get(title="Grown 0")
    client = client_for(role)
    pages = {
        "register": reverse("transparency:register"),
        "grants": reverse("transparency:grants"),
        "month": reverse("transparency:grants_month", args=["2021-03"]),
        "duty": duty.get_absolute_url(),
        "document": duty.documents.filter(published=True).first().get_absolute_url(),
        "home": "/",
    }
    for url in pages.values():  # once first: caches of the process warm up
        client.get(url)
    before = {name: count_queries(client, url) for name, url in pages.items()}
    grow(20)
    for _ in range(10):
        make_document(duty)
    after = {name: count_queries(client, url) for name, url in pages.items()}
    assert after == before


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_register_pages_are_valid_html(client, make_user, tmp_path):
    load_duties()
    grants_in_march()
    duty = Duty.objects.get(slug="budget-and-precept")
    document = make_document(duty, covers_from=D("2024-04-01"), covers_to=D("2025-03-31"))
    draft = make_document(duty, title="Draft", published=False)
    pages = [
        reverse("transparency:register"),
        reverse("transparency:grants"),
        reverse("transparency:grants_month", args=["2021-03"]),
        reverse("transparency:grants_month", args=["2021-05"]),
        duty.get_absolute_url(),
        Duty.objects.get(source="grants").get_absolute_url(),
        document.get_absolute_url(),
    ]
    staff = [
        *pages,
        draft.get_absolute_url(),
        reverse("transparency:document_create", args=[duty.slug]),
        reverse("transparency:document_edit", args=[document.pk]),
        draft.get_publication_url(),
        "/",
    ]
    files = []
    for n, url in enumerate(pages):
        files.append(tmp_path / f"public-{n}.html")
        files[-1].write_bytes(client.get(url).content)
    force_login_verified(client, make_user("approver"))
    for n, url in enumerate(staff):
        response = client.get(url)
        assert response.status_code == 200, url
        files.append(tmp_path / f"staff-{n}.html")
        files[-1].write_bytes(response.content)
    invalid = client.post(
        reverse("transparency:document_create", args=[duty.slug]), {"title": "", "link": "x"}
    )
    files.append(tmp_path / "errors.html")
    files[-1].write_bytes(invalid.content)
    result = nu_run(*files)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
