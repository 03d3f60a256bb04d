"""The Commissioner's decisions, numbered per financial year once signed, and the forward plan
of decisions to be taken."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from decisions.permissions import CHANGE_DECISION, CHANGE_ENTRY, PUBLISH_DECISION
from funding.models import Award
from pcc_portal.markdown import MARKDOWN_HINT
from pcc_portal.models import (
    Publishable,
    PublishableQuerySet,
    TimeStampedModel,
    VersionedModel,
)
from plan.models import Priority
from reports.models import Report

MAX_AMOUNT = Decimal("100000000")


class DecisionMaker(models.TextChoices):
    COMMISSIONER = "commissioner", "The Police and Crime Commissioner"
    CHIEF_EXECUTIVE = "chief_executive", "The Chief Executive, under delegation"


class Exemption(models.TextChoices):
    """The paragraphs of Schedule 12A to the Local Government Act 1972 a part may be withheld
    under."""

    INDIVIDUAL = "1", "Paragraph 1: information relating to an individual"
    IDENTITY = "2", "Paragraph 2: information likely to reveal the identity of an individual"
    FINANCIAL = "3", "Paragraph 3: the financial or business affairs of a person"
    LABOUR = "4", "Paragraph 4: consultations or negotiations on labour relations"
    LEGAL = "5", "Paragraph 5: legal professional privilege"
    NOTICE = "6", "Paragraph 6: a notice, order or direction to be given"
    CRIME = "7", "Paragraph 7: the prevention, investigation or prosecution of crime"


class DecisionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Decision.Status.PUBLISHED)

    def visible_to(self, user):
        """Staff see every decision; panel members and the public only published ones."""
        return self if user.has_perm(CHANGE_DECISION) else self.published()

    def with_spending(self):
        """Annotates `spends`: whether the decision commits money (an amount, or an award)."""
        awards = Decision.awards.through.objects.filter(
            decision=OuterRef("pk"), award__amount__gt=0
        )
        return self.annotate(
            spends=ExpressionWrapper(Q(amount__gt=0) | Q(Exists(awards)), BooleanField())
        )

    def spending(self, spends: bool = True):
        awards = Decision.awards.through.objects.filter(
            decision=OuterRef("pk"), award__amount__gt=0
        )
        money = Q(amount__gt=0) | Q(Exists(awards))
        return self.filter(money) if spends else self.exclude(money)

    def in_financial_year(self, year: int):
        """Decisions dated April of `year` to March of the next (plan.periods counts so)."""
        return self.filter(
            decision_date__gte=datetime.date(year, 4, 1),
            decision_date__lt=datetime.date(year + 1, 4, 1),
        )


class ReferenceCounter(models.Model):
    """The last reference number given in a financial year. Signing locks the year's row, so
    two decisions signed at once get different numbers, and a number once given is never given
    again, even if its decision is later deleted."""

    financial_year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "reference counter"

    def __str__(self) -> str:
        return f"{self.financial_year}: {self.last_number}"


class Decision(VersionedModel, TimeStampedModel):
    """A decision of the Commissioner (or of the Chief Executive under delegation).

    Once published, edits wait for an approver to publish them (the publication gate), as a
    paper's do.
    """

    VIEW_UNPUBLISHED = CHANGE_DECISION
    PUBLISH = PUBLISH_DECISION

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting to be signed"
        RETURNED = "returned", "Returned"
        SIGNED = "signed", "Signed, waiting to be published"
        PUBLISHED = "published", "Published"

    reference = models.CharField(
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Given when the decision is signed: the financial year and a number.",
    )
    financial_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    title = models.CharField(max_length=200)
    decision_date = models.DateField(
        null=True, blank=True, help_text="Blank when not recorded; required to sign."
    )
    decision_maker = models.CharField(
        max_length=20, choices=DecisionMaker.choices, default=DecisionMaker.COMMISSIONER
    )
    summary = models.TextField(help_text=MARKDOWN_HINT)
    background = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    options_considered = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    decision_text = models.TextField("the decision", blank=True, help_text=MARKDOWN_HINT)
    reasons = models.TextField("reasons for the decision", blank=True, help_text=MARKDOWN_HINT)
    amount = models.DecimalField(
        "amount (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), "The amount cannot be less than £0"),
            MaxValueValidator(MAX_AMOUNT, "The amount must be £100,000,000 or less"),
        ],
        help_text="The money the decision commits. Leave blank if none or not recorded.",
    )
    budget_line = models.CharField(max_length=200, blank=True)
    financial_implications = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    legal_implications = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    equality_implications = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    significant_public_interest = models.BooleanField(
        "a decision of significant public interest",
        null=True,
        blank=True,
        help_text="Blank when not recorded.",
    )
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="decisions", verbose_name="priorities it serves"
    )
    awards = models.ManyToManyField(
        Award, blank=True, related_name="decisions", verbose_name="awards it made"
    )
    papers = models.ManyToManyField(
        Report, blank=True, related_name="decisions", verbose_name="papers it was reported in"
    )
    exempt_text = models.TextField(
        "exempt part",
        blank=True,
        help_text="Only panel members and office staff see this part. " + MARKDOWN_HINT,
    )
    exemption = models.CharField(
        "reason the part is exempt", max_length=2, choices=Exemption.choices, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "-number", "-pk"]
        permissions = [("publish_decision", "Can sign and publish decisions")]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "number"], name="one_decision_number_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        if self.reference:
            return reverse("decisions:decision", kwargs={"reference": self.reference})
        return reverse("decisions:decision_by_pk", kwargs={"pk": self.pk})

    def get_publication_url(self) -> str:
        return reverse("decisions:decision_publish", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def has_exempt_part(self) -> bool:
        return bool(self.exempt_text.strip())

    def publication_root(self):
        return self

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.exempt_text.strip() and not self.exemption:
            errors["exemption"] = "Choose the paragraph the exempt part is withheld under"
        if self.exemption and not self.exempt_text.strip():
            errors["exempt_text"] = "Enter the exempt part, or choose no reason"
        if errors:
            raise ValidationError(errors)


class ForwardPlanEntry(VersionedModel, TimeStampedModel, Publishable):
    """A decision due to be taken, published before it is taken; recording the decision makes
    a draft decision of it."""

    VIEW_UNPUBLISHED = CHANGE_ENTRY
    PUBLISH = PUBLISH_DECISION

    title = models.CharField(max_length=200)
    summary = models.TextField(help_text=MARKDOWN_HINT)
    decision_maker = models.CharField(
        max_length=20, choices=DecisionMaker.choices, default=DecisionMaker.COMMISSIONER
    )
    expected_month = models.DateField(
        "month the decision is expected", help_text="The first day of the month."
    )
    significant_public_interest = models.BooleanField(
        "a decision of significant public interest", default=True
    )
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="forward_plan_entries", verbose_name="priorities"
    )
    decision = models.OneToOneField(
        Decision,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="forward_plan_entry",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["expected_month", "pk"]
        verbose_name = "forward plan entry"
        verbose_name_plural = "forward plan entries"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('decisions:forward_plan')}#entry-{self.pk}"

    def get_publication_url(self) -> str:
        return reverse("decisions:entry_publication", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        if self.expected_month:
            self.expected_month = self.expected_month.replace(day=1)
        super().save(*args, **kwargs)


class DecisionRevisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The revisions of the decisions the user may see."""
        return self.filter(decision__in=Decision.objects.visible_to(user))


class DecisionRevision(models.Model):
    """One publication of a decision notice: the first, then one per correction published.
    Frozen when made: the notice's document for the public (without the exempt part) and, when
    there is an exempt part, the one for panel members and staff (with it). Their PDFs are
    rendered after the publication commits (decisions.notices) and stored with their SHA-256;
    an earlier revision never changes."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=100, help_text="Why it was published: first, corrected.")
    public_html = models.TextField(help_text="The notice the public read: no exempt part.")
    members_html = models.TextField(
        blank=True, help_text="With the exempt part, for panel members and staff; blank if none."
    )
    with_exempt_part = models.BooleanField(
        default=False, help_text="Whether the decision had an exempt part: two documents."
    )
    public_pdf = models.FileField(upload_to="decisions/", blank=True)
    public_sha256 = models.CharField(max_length=64, blank=True)
    public_size = models.PositiveBigIntegerField("size of the public PDF in bytes", default=0)
    public_pages = models.PositiveIntegerField(default=0)
    members_pdf = models.FileField(upload_to="decisions/", blank=True)
    members_sha256 = models.CharField(max_length=64, blank=True)
    members_size = models.PositiveBigIntegerField("size of the members' PDF in bytes", default=0)
    members_pages = models.PositiveIntegerField(default=0)

    objects = DecisionRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "revision"], name="one_decision_revision_number"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="decision_revision_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.decision} (revision {self.revision})"


# The HMICFRS inspections and the register of duties live in their own modules; imported here
# so Django finds the models.
from decisions.duties import Duty, DutyDocument  # noqa: E402, F401
from decisions.inspections import Inspection, InspectionRecommendation  # noqa: E402, F401
