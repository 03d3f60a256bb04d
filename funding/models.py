"""Money: funding the Commissioner secures from funders, and grants from the Commissioner's own
funds. Every total is computed from awards in the database, never typed."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from pcc_portal.markdown import MARKDOWN_HINT
from pcc_portal.models import TimeStampedModel, VersionedModel
from plan.models import Area, Priority
from plan.periods import financial_year_of

MAX_AMOUNT = Decimal("100000000")
ORG_ID_PATTERN = re.compile(r"^(?:[A-Z]{2}-[A-Z]{2,5}-[A-Za-z0-9][A-Za-z0-9._/-]*|360G-.+)$")
# A 360Giving grant identifier: the publisher's 360G- prefix and the grant's own part, or an
# org-id.guide-like form; letters, digits and . _ / - only, no spaces.
GRANT_ID_PATTERN = re.compile(
    r"^(?:360G-[A-Za-z0-9][A-Za-z0-9._/-]*|[A-Z]{2}-[A-Z]{2,5}-[A-Za-z0-9][A-Za-z0-9._/-]*)$"
)
GRANT_ID_MESSAGE = (
    "Enter the grant identifier like 360G-pcc-lancs-0012 (360G-, then letters, numbers, dots, "
    "dashes or slashes, no spaces), or leave it blank for the portal to give one"
)


def portal_grant_identifier(pk) -> str:
    """The grant identifier the portal gives an award that has none of its own: the 360Giving
    prefix and the award's number. Published 360Giving files carry it, so it never changes."""
    return f"{settings.THREESIXTYGIVING_PREFIX}-{pk}"


NAME_LIST_LENGTH = 20  # names offered while a reader types


class NamedQuerySet(models.QuerySet):
    """Records a reader finds by typing part of a name."""

    exact_fields: tuple[str, ...] = ()  # also matched whole: a link's slug or number

    def named(self, text: str):
        """Those with `text` as their whole name (or key), else those whose name contains it:
        a name picked from the list finds that record alone. One query to decide."""
        text = text.strip()
        exact = Q(name__iexact=text)
        for field in self.exact_fields:
            exact |= self._exact(field, text)
        found = self.filter(exact)
        return found if found.exists() else self.filter(name__icontains=text)

    def _exact(self, field: str, text: str) -> Q:
        if field == "pk":  # a number, within what the database holds
            return Q(pk=int(text)) if text.isdigit() and len(text) < 10 else Q(pk__in=[])
        return Q(**{field: text})

    def names_like(self, text: str) -> list[str]:
        """Up to NAME_LIST_LENGTH names containing `text`, in order: what a name box offers."""
        names = self.filter(name__icontains=text.strip()) if text.strip() else self
        return list(
            names.order_by("name").values_list("name", flat=True).distinct()[:NAME_LIST_LENGTH]
        )


class OrganisationQuerySet(NamedQuerySet):
    exact_fields = ("pk",)  # links from search results and the organisations list


class FundQuerySet(NamedQuerySet):
    exact_fields = ("slug",)  # links from a fund's page and the funding totals


class Organisation(VersionedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        GOVERNMENT_DEPARTMENT = "government_department", "Government department"
        POLICE_FORCE = "police_force", "Police force"
        POLICING_BODY = "policing_body", "Police and Crime Commissioner or policing body"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        COMMUNITY_SAFETY_PARTNERSHIP = "csp", "Community safety partnership"
        CHARITY = "charity", "Charity"
        COMMUNITY_GROUP = "community_group", "Community group"
        COMPANY = "company", "Company"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=25, choices=Kind.choices, default=Kind.OTHER)
    is_office_side = models.BooleanField(
        "on the office's side",
        default=False,
        help_text="The office, the Constabulary, or a body the office runs (such as the Violence "
        "Reduction Network): where money secured from funders goes.",
    )
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    org_identifier = models.CharField(
        "organisation identifier",
        max_length=80,
        blank=True,
        help_text="In the org-id.guide form, e.g. GB-CHC-1234567 or GB-COH-01234567.",
    )
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL)
    website = models.URLField(blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.org_identifier and not ORG_ID_PATTERN.match(self.org_identifier):
            raise ValidationError(
                {"org_identifier": "Enter an identifier like GB-CHC-1234567 or GB-COH-01234567"}
            )


class Fund(VersionedModel, TimeStampedModel):
    class Direction(models.TextChoices):
        INCOMING = "incoming", "Funding secured by the Commissioner"
        OUTGOING = "outgoing", "The Commissioner's own grants"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    funder = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
        help_text="Who the money comes from (for funding secured by the Commissioner). Leave "
        "blank if not known: pages show it as not recorded.",
    )
    description = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="funds")
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    budget = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
    )

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["direction", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("funding:fund", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        if not self.slug and self.name:
            errors["slug"] = (
                "Enter a web address name: the fund's name has no letters or numbers to make one"
            )
        if self.slug in {"new"}:  # /funding/funds/new/ is the page for adding a fund
            errors["slug"] = "That web address name is used by the portal itself"
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = "The fund must close after it opens"
        if errors:
            raise ValidationError(errors)


class AwardQuerySet(models.QuerySet):
    def awarded(self):
        return self.filter(status=Award.Status.AWARDED)

    def incoming(self):
        return self.filter(fund__direction=Fund.Direction.INCOMING)

    def outgoing(self):
        return self.filter(fund__direction=Fund.Direction.OUTGOING)

    def with_financial_year(self):
        """Awards carry `financial_year` (the year their April-to-March year starts), stored
        from the award date when they are saved: kept for callers that group or filter by it."""
        return self

    def in_financial_year(self, year: int):
        # April of `year` to March of the next, as `plan.periods.financial_year_of` counts.
        return self.filter(financial_year=year)

    def bulk_create(self, objs, *args, **kwargs):
        # A bulk insert skips `save()`: each award's financial year is set here instead.
        objs = list(objs)
        for award in objs:
            award.financial_year_set()
        made = super().bulk_create(objs, *args, **kwargs)
        funding_years_changed({award.financial_year for award in objs}, awards=len(objs))
        return made

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "award_date" in fields:
            for award in objs:
                award.financial_year_set()
            fields = [*fields, "financial_year"]
        before = self._years_of([award.pk for award in objs])
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        funding_years_changed(before | {award.financial_year for award in objs})
        return updated

    def _years_of(self, pks) -> set[int]:
        years = set()
        for start in range(0, len(pks), 500):  # within SQLite's limit on parameters
            chunk = pks[start : start + 500]
            years |= set(
                self.model.objects.filter(pk__in=chunk)
                .values_list("financial_year", flat=True)
                .distinct()
            )
        return years

    def update(self, **kwargs):
        # An update of the date in place moves the financial year with it.
        day = kwargs.get("award_date")
        if isinstance(day, datetime.date):
            kwargs["financial_year"] = financial_year_of(day)
        elif "award_date" in kwargs:
            raise TypeError("Give award_date as a date, or change each award through save()")
        years = set(self.order_by().values_list("financial_year", flat=True).distinct())
        updated = super().update(**kwargs)
        funding_years_changed(years | {kwargs.get("financial_year")} - {None})
        return updated

    def total(self) -> Decimal:
        """The sum of the amounts, in the database, as a Decimal (0 when there are none)."""
        return self.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    def totals_by_direction(self) -> list["DirectionTotal"]:
        """The amounts summed apart for each direction (money secured, the Commissioner's own
        grants), never added together: one query. Directions without awards are left out."""
        aggregates = {}
        for direction in Fund.Direction:
            only = Q(fund__direction=direction)
            aggregates[f"{direction}_total"] = Sum("amount", filter=only)
            aggregates[f"{direction}_count"] = Count("pk", filter=only)
        return direction_totals(self.aggregate(**aggregates), amount="total")


@dataclass(frozen=True)
class DirectionTotal:
    direction: str
    label: str
    total: Decimal
    count: int


def direction_totals(row: dict, *, amount: str) -> list[DirectionTotal]:
    """Each direction's total and count from one aggregated row (`<direction>_<amount>` and
    `<direction>_count`); directions without awards are left out."""
    return [
        DirectionTotal(
            direction=direction.value,
            label=direction.label,
            total=row[f"{direction}_{amount}"] or Decimal("0"),
            count=row[f"{direction}_count"],
        )
        for direction in Fund.Direction
        if row[f"{direction}_count"]
    ]


class Award(VersionedModel, TimeStampedModel):
    class Status(models.TextChoices):
        EXPRESSION_OF_INTEREST = "expression_of_interest", "Expression of interest"
        BID_SUBMITTED = "bid_submitted", "Bid submitted"
        AWARDED = "awarded", "Awarded"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Ranking(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        TERTIARY = "tertiary", "Tertiary"

    BID_STATUSES = (Status.EXPRESSION_OF_INTEREST, Status.BID_SUBMITTED)
    amount_validators = [
        MinValueValidator(Decimal("0.01"), "The amount must be more than £0"),
        MaxValueValidator(MAX_AMOUNT, "The amount must be £100,000,000 or less"),
    ]

    identifier = models.CharField(
        "grant identifier",
        max_length=100,
        blank=True,
        help_text="The 360Giving grant identifier, like 360G-pcc-lancs-0012. Leave blank and "
        "the portal gives one.",
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="awards")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name="recipient or bidder",
        help_text="Who receives the money: for funding secured by the Commissioner, the office, "
        "the Constabulary or the Violence Reduction Network.",
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=amount_validators,
        help_text="In pounds. Leave blank for a bid whose amount is not known yet.",
    )
    amount_per_year = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=amount_validators
    )
    years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    award_date = models.DateField()
    # The year the award's April-to-March financial year starts, kept from `award_date` on
    # every save so totals group and filter by it in the database (plan.periods counts so).
    financial_year = models.PositiveSmallIntegerField(editable=False, db_index=True)
    award_date_from_paper = models.BooleanField(
        "the date is the reporting paper's",
        default=False,
        help_text="Tick when the award's own date is not recorded and the date given is that of "
        "the paper that reported it.",
    )
    status = models.CharField(max_length=25, choices=Status.choices, default=Status.AWARDED)
    ranking = models.CharField(
        "the Commissioner's ranking of the bid",
        max_length=10,
        choices=Ranking.choices,
        blank=True,
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="awards")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="awards")
    beneficiaries = models.PositiveIntegerField(null=True, blank=True)
    projects = models.PositiveIntegerField(null=True, blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-award_date", "-pk"]
        indexes = [
            models.Index(fields=["status", "award_date"]),
            # the funding totals by fund and year read this index alone, not the awards
            models.Index(
                fields=["status", "fund", "financial_year", "amount", "award_date"],
                name="award_totals",
            ),
            # the award list's order, newest first: a page of it reads 25 rows, not all
            models.Index(fields=["award_date", "id"], name="award_date_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="award_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~Q(identifier=""),
                name="award_identifier_unique",
                violation_error_message="Another award has this grant identifier",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        award = super().from_db(db, field_names, values, *args, **kwargs)
        # the year its totals were counted in: a new date moves them out of it
        award.loaded_financial_year = award.__dict__.get("financial_year")
        return award

    def get_absolute_url(self) -> str:
        return reverse("funding:award", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        self.amount = self.derived_amount()
        self.financial_year_set()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "award_date" in update_fields:
            kwargs["update_fields"] = {*update_fields, "financial_year"}
        super().save(*args, **kwargs)

    def financial_year_set(self) -> None:
        """Sets the financial year from the award date (none while the date is missing)."""
        # A date given as text ("2021-03-31") is saved as a date too: read it the same way.
        day = self._meta.get_field("award_date").to_python(self.award_date)
        if day:
            self.financial_year = financial_year_of(day)

    def _identifier_is_portal_given_to_another(self) -> bool:
        prefix = f"{settings.THREESIXTYGIVING_PREFIX}-"
        number = self.identifier[len(prefix) :] if self.identifier.startswith(prefix) else ""
        if not number.isdigit() or int(number) == self.pk:
            return False
        return Award.objects.filter(pk=int(number), identifier="").exists()

    def derived_amount(self) -> Decimal | None:
        """Where a funder gives so much a year for some years, the total is derived from them."""
        if self.amount_per_year is not None and self.years:
            return self.amount_per_year * self.years
        return self.amount

    @property
    def grant_identifier(self) -> str:
        """The award's 360Giving grant identifier: its own, or the one the portal gives it."""
        return self.identifier or portal_grant_identifier(self.pk)

    @property
    def is_bid(self) -> bool:
        return self.status in self.BID_STATUSES

    def clean(self):
        errors = {}
        self.identifier = (self.identifier or "").strip()
        if self.identifier and not GRANT_ID_PATTERN.match(self.identifier):
            errors["identifier"] = GRANT_ID_MESSAGE
        elif self.identifier and self._identifier_is_portal_given_to_another():
            errors["identifier"] = (
                f"{self.identifier} is the grant identifier the portal gives another award: "
                "use a different one, or leave it blank"
            )
        self.amount = self.derived_amount()
        if (self.amount_per_year is None) != (self.years is None):
            errors["years"] = "Give both the amount a year and the number of years, or neither"
        if self.amount is None and self.status == self.Status.AWARDED:
            # a bid, or one that failed or was withdrawn, may have no amount on record
            errors["amount"] = "Enter the amount"
        if self.ranking and not self.is_bid:
            errors["ranking"] = "Only a bid or an expression of interest can be ranked"
        fund = self.fund if self.fund_id else None
        organisation = self.organisation if self.organisation_id else None
        # Secured money comes to the office's side; bids may name another bidder the
        # Commissioner supports and ranks (e.g. a district council).
        if (
            fund
            and organisation
            and fund.direction == Fund.Direction.INCOMING
            and not organisation.is_office_side
            and not self.is_bid
        ):
            errors["organisation"] = (
                "Funding secured by the Commissioner goes to the office, the Constabulary "
                "or a body the office runs: choose one of those"
            )
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "The planned end must be after the planned start"
        if errors:
            raise ValidationError(errors)


@receiver(pre_save, sender=Award)
def award_financial_year_set(sender, instance, raw=False, **kwargs):
    """Loading fixtures saves raw, past `Award.save()`: the financial year is set here too."""
    if raw:
        instance.financial_year_set()


class FundingTotal(models.Model):
    """The money and number of awards of one status in one fund in one financial year: all
    of them (no priority, no area), or those serving one priority, or covering one area. The
    funding page and the award list's totals add these up instead of every award;
    `funding.totals` keeps them in step with the awards."""

    status = models.CharField(max_length=25, choices=Award.Status.choices)
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    financial_year = models.PositiveSmallIntegerField(db_index=True)
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    count = models.PositiveIntegerField(default=0)
    # the earliest award date in the year: whether the year has begun to have awards by a day
    first_award_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(area__isnull=True),
                name="funding_total_priority_or_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.financial_year}: {self.amount}"


class FundingYearChange(models.Model):
    """A financial year whose awards changed since its totals were counted: one row a change,
    removed when the totals are counted again."""

    financial_year = models.PositiveSmallIntegerField()
    awards = models.PositiveIntegerField(default=1)  # how many awards changed: a large import

    def __str__(self) -> str:
        return str(self.financial_year)


def funding_years_changed(years, *, awards: int = 1) -> None:
    """Notes that the awards of `years` changed, and counts their totals again once the
    transaction commits (a page that finds the note first counts them itself)."""
    from funding.totals import funding_years_mark

    funding_years_mark(years, awards=awards)
