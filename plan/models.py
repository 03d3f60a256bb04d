"""The Police and Crime Plan: priorities, commitments, outcome measures, areas, quarters and
the quarterly update of each outcome measure."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from pcc_portal.markdown import MARKDOWN_HINT, render_markdown
from pcc_portal.models import TimeStampedModel, VersionedModel
from pcc_portal.numbers import format_number
from pcc_portal.roles import OPCC_APPROVER, OPCC_STAFF
from plan.periods import financial_year_label, quarter_of, quarter_slug
from plan.permissions import VIEW_DRAFTS

COMMENTARY_MAX_LENGTH = 10_000


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Plan.Status.PUBLISHED)

    def visible_to(self, user):
        return self if user.has_perm(VIEW_DRAFTS) else self.published()

    def current_first(self):
        return self.order_by("-status", "-start_year")

    def covering(self, financial_year: int):
        """The plans in force in a financial year (by the year it starts in April)."""
        return self.filter(start_year__lte=financial_year, end_year__gt=financial_year)


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in web addresses, e.g. 2021-2025."
    )
    police_area = models.CharField(max_length=100)
    start_year = models.PositiveSmallIntegerField(
        help_text="The first financial year the plan covers, by the year it starts in April.",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    end_year = models.PositiveSmallIntegerField(
        help_text="The year the plan's last financial year ends in March.",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    commissioner = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    # Who published the plan, and when (blank while it is a draft): the approver's step,
    # recorded as a quarter's lock is. Set only through plan_publish.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        permissions = [
            ("view_drafts", "Can see draft plans and updates not yet approved"),
            ("publish_plan", "Can publish a draft plan, or withdraw it to draft"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=F("start_year")), name="plan_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_label})"

    def clean(self):
        if self.slug in {"updates"}:
            raise ValidationError({"slug": "That web address is used by the portal itself."})
        if self.start_year and self.end_year and self.end_year <= self.start_year:
            raise ValidationError({"end_year": "The plan must end after it starts."})

    def get_absolute_url(self) -> str:
        return reverse("plan:plan", kwargs={"plan": self.slug})

    @property
    def period_label(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def covers(self, financial_year: int) -> bool:
        return self.start_year <= financial_year < self.end_year


class PriorityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Priorities of the plans the user may see: a draft plan's are for staff only."""
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def for_choices(self, user=None):
        """The priorities `user` may pick in a form or filter, newest plan first.

        A draft plan's priorities are offered only to those who may see drafts; without a
        user (an export built outside a request), those the public may see.
        """
        return (
            self.visible_to(user or AnonymousUser())
            .select_related("plan")
            .order_by("-plan__start_year", "kind", "order")
        )


class Priority(TimeStampedModel):
    class Kind(models.TextChoices):
        LOCAL = "local", "Police and Crime Plan priority"
        NATIONAL = "national", "National Crime and Policing Measure"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOCAL)
    summary = models.TextField(blank=True, help_text=f"Why is this important? {MARKDOWN_HINT}")

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "kind", "order"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="priority_slug_unique_in_plan"),
            models.UniqueConstraint(
                fields=["plan", "kind", "order"], name="priority_order_unique_in_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.slug in {"publish", "withdraw"}:  # the plan's own pages
            raise ValidationError({"slug": "That web address is used by the portal itself."})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:80]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plan:priority", kwargs={"plan": self.plan.slug, "priority": self.slug})

    @property
    def is_national(self) -> bool:
        return self.kind == self.Kind.NATIONAL


class Commitment(TimeStampedModel):
    """One of the things the Commissioner says "I will do" under a priority."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="commitments")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["priority", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class OutcomeMeasureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


# Who may lead a measure: an active member of the office, staff or approver.
LEAD_CHOICES = Q(is_active=True, groups__name__in=(OPCC_STAFF, OPCC_APPROVER))


class OutcomeMeasure(VersionedModel, TimeStampedModel):
    """One of a priority's outcome measures. Its target and lead are set by approvers, protected
    against lost updates like every editable record."""

    class Direction(models.TextChoices):
        INCREASE = "increase", "An increase is better"
        DECREASE = "decrease", "A decrease is better"
        NONE = "none", "Neither"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="The plan's own wording.")
    short_label = models.CharField(max_length=120)
    unit = models.CharField(max_length=40, blank=True, help_text="For example: %, offences.")
    desired_direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.NONE
    )
    data_source = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    # A target lets the portal suggest a rating from the value; the desired direction says
    # which side of the target is better. Measures without one keep judged ratings.
    target_value = models.DecimalField(
        "target",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value the plan aims for, in the measure's unit.",
    )
    amber_tolerance = models.DecimalField(
        "Amber tolerance",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="How far short of the target still counts as Amber, in the measure's unit.",
    )
    # The member of staff who enters the measure's quarterly updates: the quarter page lists
    # what has not started by lead, and each lead's home page lists their own.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures_led",
        limit_choices_to=LEAD_CHOICES,
        help_text="The member of staff who enters this measure's quarterly updates.",
    )

    objects = OutcomeMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["priority__kind", "priority__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "order"], name="measure_order_unique_in_priority"
            )
        ]

    def __str__(self) -> str:
        return self.short_label

    def clean(self):
        errors = {}
        if self.target_value is not None and self.desired_direction == self.Direction.NONE:
            errors["desired_direction"] = (
                "Choose whether an increase or a decrease is better: a target needs a direction"
            )
        if self.amber_tolerance is not None and self.target_value is None:
            errors["amber_tolerance"] = "Enter a target, or leave the Amber tolerance blank"
        if errors:
            raise ValidationError(errors)

    @property
    def has_target(self) -> bool:
        """Whether the portal can suggest a rating from a value: a target, and a direction
        saying which side of it is better."""
        return self.target_value is not None and self.desired_direction in (
            self.Direction.INCREASE,
            self.Direction.DECREASE,
        )

    def suggested_rag(self, value) -> str | None:
        """The rating the target suggests for `value` (a MeasureUpdate.Rag value): Green at or
        beyond the target on the better side, Amber short of it by no more than the Amber
        tolerance, Red further off. None without a target, a direction, or a value."""
        if value is None or not self.has_target:
            return None
        value, target = Decimal(value), self.target_value
        shortfall = (
            target - value
            if self.desired_direction == self.Direction.INCREASE
            else (value - target)
        )
        if shortfall <= 0:
            return MeasureUpdate.Rag.GREEN
        if self.amber_tolerance and shortfall <= self.amber_tolerance:
            return MeasureUpdate.Rag.AMBER
        return MeasureUpdate.Rag.RED

    def figure(self, value) -> str:
        """A value with the measure's unit: 80%, 1,250 offences."""
        unit = self.unit
        return f"{format_number(value)}{'' if unit in ('', '%') else ' '}{unit}"

    @property
    def thresholds_text(self) -> str:
        """The target and the ratings it suggests, in words; blank without a target."""
        if not self.has_target:
            return ""
        target = self.figure(self.target_value)
        tolerance = self.amber_tolerance or 0
        if self.desired_direction == self.Direction.INCREASE:
            edge = self.figure(self.target_value - tolerance)
            green, red = f"Green at or above {target}", f"Red below {edge}"
            amber = f"Amber from {edge} to just under {target}"
        else:
            edge = self.figure(self.target_value + tolerance)
            green, red = f"Green at or below {target}", f"Red above {edge}"
            amber = f"Amber from just over {target} to {edge}"
        bands = [green, amber, red] if tolerance else [green, red]
        return f"Target {target}: {', '.join(bands)}"


class Area(TimeStampedModel):
    class Kind(models.TextChoices):
        DIVISION = "division", "Police division"
        LOCAL_AUTHORITY = "local_authority", "Local authority"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        help_text="The ONS Government Statistical Service code, e.g. E07000123.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_authorities",
        limit_choices_to={"kind": Kind.DIVISION},
        help_text="The police division a local authority is in.",
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="area_gss_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kind == self.Kind.LOCAL_AUTHORITY and not self.gss_code:
            raise ValidationError({"gss_code": "Enter the local authority's GSS code."})
        if self.gss_code and not (len(self.gss_code) == 9 and self.gss_code[0].isalpha()):
            raise ValidationError({"gss_code": "A GSS code is a letter and eight digits."})


class ReportingPeriod(VersionedModel):
    """A quarter of a financial year. Its dates and label are derived, never typed; its
    deadline is set by approvers, protected against lost updates like every editable record."""

    # Quarter -> (first month, last month, whether it ends in the following calendar year)
    _MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}

    financial_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in (April).",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    locked = models.BooleanField(default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    updates_due = models.DateField(
        "deadline for updates",
        null=True,
        blank=True,
        help_text="The day this quarter's updates should be submitted by.",
    )

    class Meta:
        ordering = ["-financial_year", "-quarter"]
        permissions = [("lock_reportingperiod", "Can lock and unlock a quarter")]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "quarter"], name="one_period_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_is_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return self.short_label

    @classmethod
    def containing(cls, day: datetime.date) -> tuple[int, int]:
        """The (financial year, quarter) a date falls in."""
        return quarter_of(day)

    @classmethod
    def get_or_create_for(cls, financial_year: int, quarter: int) -> "ReportingPeriod":
        period, _ = cls.objects.get_or_create(financial_year=financial_year, quarter=quarter)
        return period

    @classmethod
    def for_quarter(cls, quarter: tuple[int, int] | None) -> "ReportingPeriod | None":
        """The saved quarter a form's QuarterField chose (made if new), or None for none."""
        return cls.get_or_create_for(*quarter) if quarter else None

    @property
    def start(self) -> datetime.date:
        first_month, _ = self._MONTHS[self.quarter]
        year = self.financial_year + (1 if self.quarter == 4 else 0)
        return datetime.date(year, first_month, 1)

    @property
    def end(self) -> datetime.date:
        _, last_month = self._MONTHS[self.quarter]
        year = self.financial_year + (1 if self.quarter == 4 else 0)
        next_month = datetime.date(year + last_month // 12, last_month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def short_label(self) -> str:
        """Q2 2021/22."""
        return f"Q{self.quarter} {self.financial_year_label}"

    @property
    def dates_label(self) -> str:
        """1 July to 30 September 2021 (the start's year shown only when it differs)."""
        start, end = self.start, self.end
        start_text = f"{start.day} {start:%B}" + (
            f" {start.year}" if start.year != end.year else ""
        )
        return f"{start_text} to {end.day} {end:%B} {end.year}"

    @property
    def label(self) -> str:
        """Quarter 2 2021/22 (1 July to 30 September 2021)."""
        return f"Quarter {self.quarter} {self.financial_year_label} ({self.dates_label})"

    @property
    def slug(self) -> str:
        """2021-q2, as in /plan/<plan>/quarters/2021-q2/."""
        return quarter_slug(self.financial_year, self.quarter)

    def previous(self) -> tuple[int, int]:
        return (
            (self.financial_year, self.quarter - 1)
            if self.quarter > 1
            else (
                self.financial_year - 1,
                4,
            )
        )

    def following(self) -> tuple[int, int]:
        return (
            (self.financial_year, self.quarter + 1)
            if self.quarter < 4
            else (
                self.financial_year + 1,
                1,
            )
        )


class MeasureUpdateQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=MeasureUpdate.Status.APPROVED)

    def for_period(self, period):
        return self.filter(period=period)

    def visible_to(self, user):
        """Staff see every update; panel members and the public see approved ones only."""
        return self if user.has_perm(VIEW_DRAFTS) else self.approved()

    def on_public_pages(self):
        """The approved updates the plan's pages show everyone: those of the active measures
        of published plans (a priority's page lists its active measures, each with its
        approved updates; a draft plan's pages are for staff only)."""
        return self.approved().filter(
            measure__active=True, measure__priority__plan__status=Plan.Status.PUBLISHED
        )

    def newest_first(self):
        return self.order_by("-period__financial_year", "-period__quarter")


class MeasureUpdate(VersionedModel, TimeStampedModel):
    """How one outcome measure went in one quarter, and where its sign-off has got to."""

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"
        NOT_RATED = "not_rated", "Not rated"

    RATED = (Rag.RED, Rag.AMBER, Rag.GREEN)

    class Direction(models.TextChoices):
        IMPROVING = "improving", "Improving"
        STABLE = "stable", "Stable"
        DETERIORATING = "deteriorating", "Deteriorating"
        NOT_KNOWN = "not_known", "Not known"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="updates")
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices)
    # Blank only in a draft entered in the quarter's grid; submitting needs one.
    direction = models.CharField(
        "direction of travel", max_length=15, choices=Direction.choices, blank=True
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comparator_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comparator_label = models.CharField(
        max_length=100, blank=True, help_text="For example: same quarter last year."
    )
    commentary = models.TextField(
        blank=True, validators=[MaxLengthValidator(COMMENTARY_MAX_LENGTH)], help_text=MARKDOWN_HINT
    )
    # The commentary as sanitised HTML, made from it on every save (see commentary_render), so
    # pages listing many quarters do not turn Markdown into HTML on each request. Derived, so
    # kept out of the history, the forms and the exports.
    commentary_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(blank=True)
    rating_explanation = models.TextField(
        "why the rating differs from the suggested one",
        blank=True,
        validators=[MaxLengthValidator(COMMENTARY_MAX_LENGTH)],
    )
    copied_forward = models.BooleanField(
        default=False,
        help_text="Copied from last quarter's approved update and not edited since.",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "commentary_html"])
    objects = MeasureUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-period__financial_year", "-period__quarter", "measure"]
        permissions = [("approve_measureupdate", "Can approve, return and reopen updates")]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_update_per_quarter")
        ]
        indexes = [
            # The ratings worse since the last panel meeting (a panel member's home page) start
            # from the updates approved since then; the register of duties asks for the latest.
            models.Index(fields=["status", "approved_at"], name="measure_update_approved"),
            # a measure's approved updates, ranked and counted without reading the rows
            models.Index(fields=["measure", "status", "period"], name="update_measure_status"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} – {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("plan:update_edit", kwargs={"pk": self.pk})

    def commentary_render(self) -> None:
        """Sets the stored HTML from the commentary. Every save calls it, a fixture's too
        (`commentary_html_set`); a bulk write of commentary must call it on each row itself."""
        self.commentary_html = render_markdown(self.commentary)

    @property
    def commentary_as_html(self) -> SafeString:
        """The stored HTML of the commentary, for a page: sanitised when it was saved."""
        return mark_safe(self.commentary_html)  # made by render_markdown

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "commentary" in update_fields:
            update_fields = {*update_fields, "commentary_html"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def suggested_rag(self) -> str | None:
        """The rating the measure's target suggests for this value (None: no suggestion)."""
        return self.measure.suggested_rag(self.value)

    @property
    def suggested_rag_label(self) -> str:
        """Green, Amber or Red as the target suggests; blank when it suggests none."""
        suggested = self.suggested_rag
        return self.Rag(suggested).label if suggested else ""

    @property
    def rating_differs(self) -> bool:
        """Rated Red, Amber or Green other than the target suggests (Not rated never differs)."""
        suggested = self.suggested_rag
        return bool(suggested) and self.rag in self.RATED and self.rag != suggested

    def rating_explanation_missing(self) -> str | None:
        """What to say when the rating differs from the suggestion with no sentence saying
        why; None when nothing is missing."""
        if not self.rating_differs or (self.rating_explanation or "").strip():
            return None
        return (
            f"Rated {self.get_rag_display()} but the target suggests "
            f"{self.suggested_rag_label}: say why the rating differs"
        )

    @property
    def is_on_public_pages(self) -> bool:
        """Whether the plan's pages show this update to everyone (as `on_public_pages`)."""
        measure = self.measure
        return (
            self.status == self.Status.APPROVED
            and measure.active
            and measure.priority.plan.status == Plan.Status.PUBLISHED
        )

    @property
    def change(self) -> Decimal | None:
        """The value less the comparator, where both are given."""
        if self.value is None or self.comparator_value is None:
            return None
        return self.value - self.comparator_value


def commentary_html_set(sender, instance: MeasureUpdate, **kwargs) -> None:
    """Before every save of an update, loaddata's raw saves included: its stored HTML."""
    instance.commentary_render()


def quarter_choices(now=None) -> list[tuple[str, str]]:
    """The quarters of the plans, newest first, as 2021-q2 -> label: from the first quarter of
    the earliest plan to the quarter after today's (a meeting may be planned, or a paper
    written, a little ahead). Without a plan, from this financial year's first quarter."""
    this_year, this_quarter = quarter_of(timezone.localdate(now))
    last = ReportingPeriod(financial_year=this_year, quarter=this_quarter).following()
    first_year = Plan.objects.aggregate(first=models.Min("start_year"))["first"] or this_year
    choices = [("", "Not about a particular quarter")]
    for year in range(last[0], min(first_year, last[0]) - 1, -1):
        for quarter in (4, 3, 2, 1):
            if (year, quarter) <= last:
                period = ReportingPeriod(financial_year=year, quarter=quarter)
                choices.append((period.slug, period.label))
    return choices
