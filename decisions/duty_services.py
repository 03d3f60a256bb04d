"""The register of duties: when each duty falls due, where it stands on a day, the monthly
grants pages' rows, the staff's tasks, and the writes to the documents uploaded for duties.

Due-date rules, one per frequency (the financial year starts on 1 April):

- before the financial year: the publication for the year starting 1 April is due on that
  1 April (the budget and precept for 2025/26 by 1 April 2025);
- monthly: a month's publication is due by the last day of the next month (January's by
  28 February, or 29 February in a leap year; December's by 31 January);
- quarterly: a financial quarter's (April to June, July to September, October to December,
  January to March) is due by the last day of the month after the quarter (30 April for
  January to March);
- yearly: a financial year's is due by the last day of the month after it ends (30 April);
- within 56 days: from each HMICFRS report's clock (`decisions.inspections.comments_due_on`):
  overdue if any comment is overdue, due if one falls due within 14 days;
- as it changes: no date; published as it changes.

For a periodic duty, the next due date is that of the period after the last one published
(the latest period a published document covers, or for the portal's own data the latest
period with data); with nothing published, that of the latest period already due. A duty is
"Overdue" after its next due date, "Due" within 14 days of it, and "Met" otherwise.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from decisions.duties import Duty, DutyDocument, Frequency, Source
from decisions.inspections import comments_due_on
from decisions.models import Decision, Inspection
from decisions.permissions import ADD_DUTY_DOCUMENT, CHANGE_DUTY_DOCUMENT, PUBLISH_DUTY_DOCUMENT
from funding.models import Award
from pcc_portal.models import PendingChange
from pcc_portal.services import record_save
from pcc_portal.slots import Part, Task, tasks_part
from plan.models import MeasureUpdate, Priority

# A duty is "Due" this many days ahead of its due date (and among staff's tasks).
DUE_WARNING_DAYS = 14

MET, DUE, OVERDUE, ON_CHANGE = "Met", "Due", "Overdue", "Published as it changes"


# --- Periods and due dates -------------------------------------------------------------------


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _month_after(day: datetime.date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def period_of(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period (first and last day) of a periodic duty that `day` falls in."""
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1), month_end(day.year, day.month)
    if frequency == Frequency.QUARTERLY:
        # Financial quarters: April-June, July-September, October-December, January-March.
        first = 1 if day.month < 4 else 4 + (day.month - 4) // 3 * 3
        return datetime.date(day.year, first, 1), month_end(day.year, first + 2)
    # Yearly and before the financial year: April to March.
    year = day.year if day.month >= 4 else day.year - 1
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def due_date(frequency: str, period: tuple[datetime.date, datetime.date]) -> datetime.date:
    """When the publication for `period` is due (see the module's rules)."""
    start, end = period
    if frequency == Frequency.BEFORE_YEAR:
        return start
    return month_end(*_month_after(end))


def period_after(frequency: str, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    return period_of(frequency, end + datetime.timedelta(days=1))


def period_before(frequency: str, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    return period_of(frequency, start - datetime.timedelta(days=1))


def next_due(
    frequency: str, covered_to: datetime.date | None, today: datetime.date
) -> datetime.date:
    """The due date of the period after the last one published (`covered_to`, its last day);
    with none published, of the latest period already due on `today`."""
    if covered_to is not None:
        return due_date(frequency, period_after(frequency, covered_to))
    period = period_of(frequency, today)
    while due_date(frequency, period) > today:
        period = period_before(frequency, period[0])
    return due_date(frequency, period)


def state_for(due: datetime.date | None, today: datetime.date) -> str:
    if due is None:
        return MET
    if due < today:
        return OVERDUE
    if (due - today).days <= DUE_WARNING_DAYS:
        return DUE
    return MET


# --- Where each duty stands ------------------------------------------------------------------


@dataclass(frozen=True)
class DutyStatus:
    duty: Duty
    last_published: datetime.date | None
    next_due: datetime.date | None
    state: str  # "Met", "Due", "Overdue" or "Published as it changes"
    link: str  # where the portal holds it
    link_text: str

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def is_due(self) -> bool:
        return self.state == DUE

    @property
    def tag(self) -> str:
        """The colour key of the state's tag (red overdue, yellow due, green met)."""
        return {OVERDUE: "overdue", DUE: "awaiting_response", MET: "done"}.get(self.state, "")


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def grants_qualifying(threshold: Decimal | None):
    """The Commissioner's own grants (awards from its funds) that were made, at or over the
    threshold. Awards are public records: everyone sees the same ones."""
    awards = Award.objects.outgoing().awarded()
    return awards.filter(amount__gte=threshold) if threshold is not None else awards


def grants_threshold() -> Decimal | None:
    """The threshold of the grants duty (the fixture gives £500), or None if there is none."""
    duty = Duty.objects.filter(source=Source.GRANTS).order_by("order", "pk").first()
    return duty.threshold if duty else None


def _facts(duties: list[Duty]) -> dict:
    """What the portal's data says for each kind of source: one query per source used."""
    sources = {duty.source for duty in duties}
    facts: dict = {}
    if Source.DOCUMENT in sources:
        rows = (
            DutyDocument.objects.published()
            .values("duty")
            .annotate(last=Max("published_on"), covered=Max("covers_to"))
        )
        facts["documents"] = {row["duty"]: row for row in rows}
    if Source.GRANTS in sources:
        thresholds = {duty.threshold for duty in duties if duty.source == Source.GRANTS}
        facts["grants"] = {
            threshold: grants_qualifying(threshold).aggregate(last=Max("award_date"))["last"]
            for threshold in thresholds
        }
    if Source.NATIONAL_MEASURES in sources:
        national = Priority.objects.visible_to(AnonymousUser()).filter(kind=Priority.Kind.NATIONAL)
        row = (
            MeasureUpdate.objects.approved()
            .filter(measure__priority__in=national)
            .aggregate(
                year=Max("period__financial_year"),
                last=Max("approved_at"),
            )
        )
        quarter = None
        if row["year"] is not None:
            quarter = (
                MeasureUpdate.objects.approved()
                .filter(measure__priority__in=national, period__financial_year=row["year"])
                .aggregate(q=Max("period__quarter"))["q"]
            )
        facts["measures"] = (row, quarter)
    if Source.INSPECTION_COMMENTS in sources:
        awaited = Q(
            published_on__isnull=False,
            comments_unknown=False,
        ) & (Q(comments_published_on__isnull=True) | Q(published=False))
        facts["inspections"] = Inspection.objects.aggregate(
            earliest=Min("published_on", filter=awaited),
            last=Max("comments_published_on", filter=Q(published=True)),
        )
    if Source.DECISIONS in sources:
        facts["decisions"] = (
            Decision.objects.published()
            .filter(significant_public_interest=True)
            .aggregate(last=Max("published_at"))["last"]
        )
    return facts


def _quarter_end(financial_year: int, quarter: int) -> datetime.date:
    year = financial_year + (1 if quarter == 4 else 0)
    last_month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
    return month_end(year, last_month)


def _status(duty: Duty, facts: dict, today: datetime.date) -> DutyStatus:
    last = covered = None
    link, link_text = duty.get_absolute_url(), "Documents"
    if duty.source == Source.DOCUMENT:
        row = facts["documents"].get(duty.pk) or {}
        last, covered = row.get("last"), row.get("covered")
    elif duty.source == Source.GRANTS:
        last = facts["grants"][duty.threshold]
        covered = month_end(last.year, last.month) if last else None
        link, link_text = reverse("transparency:grants"), "Grants by month"
    elif duty.source == Source.NATIONAL_MEASURES:
        row, quarter = facts["measures"]
        last = _date(row["last"])
        covered = _quarter_end(row["year"], quarter) if quarter else None
        link, link_text = reverse("plan:plans"), "The Police and Crime Plan"
    elif duty.source == Source.INSPECTION_COMMENTS:
        row = facts["inspections"]
        last = row["last"]
        link, link_text = reverse("decisions:inspections"), "HMICFRS inspections"
        due = comments_due_on(row["earliest"]) if row["earliest"] else None
        return DutyStatus(duty, last, due, state_for(due, today), link, link_text)
    elif duty.source == Source.DECISIONS:
        last = _date(facts["decisions"])
        link, link_text = reverse("decisions:decisions"), "Decisions"
    if duty.frequency in (Frequency.ON_CHANGE, Frequency.WITHIN_56_DAYS):
        return DutyStatus(duty, last, None, ON_CHANGE, link, link_text)
    due = next_due(duty.frequency, covered, today)
    return DutyStatus(duty, last, due, state_for(due, today), link, link_text)


def duty_statuses(today: datetime.date | None = None, duties=None) -> list[DutyStatus]:
    """Every duty (or those given) with its last publication, next due date and state on
    `today`, in a fixed number of queries whatever the data: one for the duties and one for
    each kind of source they use. Everyone sees the same register: it counts only what is
    public (published documents, decisions and comments, approved updates, made awards)."""
    today = today or timezone.localdate()
    duties = list(Duty.objects.all() if duties is None else duties)
    facts = _facts(duties)
    return [_status(duty, facts, today) for duty in duties]


def duty_status(duty: Duty, today: datetime.date | None = None) -> DutyStatus:
    """Where one duty stands on `today` (see duty_statuses)."""
    return duty_statuses(today, [duty])[0]


def home_duty_tasks(*, user, today: datetime.date | None = None) -> Part | None:
    """For staff: the duties overdue or due within 14 days."""
    if not user.has_perm(CHANGE_DUTY_DOCUMENT):
        return None
    tasks = []
    for status in duty_statuses(today):
        if status.is_overdue or status.is_due:
            state = "overdue" if status.is_overdue else "due"
            tasks.append(
                Task(
                    f"Publication {state}: {status.duty.title}",
                    status.duty.get_absolute_url(),
                    detail=f"Due {status.next_due.day} {status.next_due:%B %Y}",
                )
            )
    if user.has_perm(PUBLISH_DUTY_DOCUMENT):
        meta = DutyDocument._meta
        held = PendingChange.objects.filter(
            content_type__app_label=meta.app_label, content_type__model=meta.model_name
        ).values("object_id")
        waiting = DutyDocument.objects.filter(Q(published=False) | Q(pk__in=held)).count()
        if waiting:
            tasks.append(
                Task(
                    f"{waiting} document{'s' if waiting != 1 else ''} of the register of duties "
                    "wait for you to publish them",
                    reverse("transparency:register"),
                )
            )
    return tasks_part(tasks)


# --- The monthly grants pages ----------------------------------------------------------------


def grant_months() -> list[tuple[datetime.date, int]]:
    """The months (their first days) with grants at or over the threshold, newest first, and
    how many each has. Two queries."""
    threshold = grants_threshold()
    months = (
        grants_qualifying(threshold)
        .annotate(month=TruncMonth("award_date"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    return [(_date(row["month"]), row["count"]) for row in months]


def grants_of_month(year: int, month: int, threshold: Decimal | None):
    """The month's grants at or over the threshold, by date, with what the rows need."""
    return (
        grants_qualifying(threshold)
        .filter(award_date__year=year, award_date__month=month)
        .select_related("fund", "organisation")
        .order_by("award_date", "pk")
    )


def grants_month(year: int, month: int) -> dict:
    """A month's grants, their total and the threshold: three queries."""
    threshold = grants_threshold()
    awards = list(grants_of_month(year, month, threshold))
    total = sum((award.amount for award in awards), Decimal("0"))
    first = datetime.date(year, month, 1)
    previous = following = None
    if first > datetime.date.min:
        previous = period_before(Frequency.MONTHLY, first)[0]
    if month_end(year, month) < datetime.date.max:
        following = period_after(Frequency.MONTHLY, month_end(year, month))[0]
    return {
        "month": first,
        "awards": awards,
        "total": total,
        "threshold": threshold,
        "previous": previous,
        "following": following,
    }


# --- Writes ----------------------------------------------------------------------------------


@transaction.atomic
def duty_document_save(*, document: DutyDocument, user, **options) -> DutyDocument:
    """Saves a document for a duty. A new one is a draft until an approver publishes it; a
    change to a published one waits for an approver. `options` go on to record_save."""
    needed = CHANGE_DUTY_DOCUMENT if document.pk else ADD_DUTY_DOCUMENT
    if not user.has_perm(needed):
        raise PermissionDenied("Only office staff can add documents to the register.")
    if not document.pk and document.duty_id and not document.duty.takes_documents:
        raise PermissionDenied("The portal publishes this duty from its own data.")
    return record_save(instance=document, user=user, **options)
