"""The register of duties: what the office must publish, under which law, how often, and what
the portal holds for each (data it computes, or documents staff upload).

The duties are data (fixtures/080_duties_specified_information_order.json), so another office
can adjust the list and the frequencies without a change to the code. A document uploaded for a
duty reaches the public only through an approver (it is `Publishable`).
"""

import uuid
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from decisions.permissions import CHANGE_DUTY_DOCUMENT, PUBLISH_DUTY_DOCUMENT
from pcc_portal.models import Publishable, PublishableQuerySet, TimeStampedModel, VersionedModel
from scrutiny.validators import PAPER_MAX_BYTES, validate_pdf

DOCUMENT_TYPES = {".pdf": "application/pdf", ".csv": "text/csv", ".xlsx": (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)}  # fmt: skip
NOT_ACCEPTED = "The selected file must be a PDF, a CSV file or an Excel (XLSX) spreadsheet"


class Frequency(models.TextChoices):
    BEFORE_YEAR = "before_year", "Before each financial year"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"
    WITHIN_56_DAYS = "within_56_days", "Within 56 days of each inspection report"
    ON_CHANGE = "on_change", "As it changes"


class Source(models.TextChoices):
    GRANTS = "grants", "The Commissioner's grants, from the awards"
    NATIONAL_MEASURES = "national_measures", "The plan's national Crime and Policing Measures"
    INSPECTION_COMMENTS = "inspection_comments", "The Commissioner's comments on HMICFRS reports"
    DECISIONS = "decisions", "Published decisions of significant public interest"
    DOCUMENT = "document", "Documents staff upload"


class Duty(TimeStampedModel):
    """Something the office must publish: kept as data (a fixture), not code."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=250)
    legal_basis = models.CharField(
        max_length=300,
        help_text="The instrument, and the paragraph or section only where it is certain.",
    )
    frequency = models.CharField("how often", max_length=20, choices=Frequency.choices)
    source = models.CharField("what the portal holds", max_length=20, choices=Source.choices)
    order = models.PositiveSmallIntegerField(default=1)
    threshold = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Where the duty applies at or over an amount (grants of £500 or more).",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "duties"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("transparency:duty", kwargs={"slug": self.slug})

    @property
    def takes_documents(self) -> bool:
        return self.source == Source.DOCUMENT

    @property
    def is_periodic(self) -> bool:
        return self.frequency not in (Frequency.ON_CHANGE, Frequency.WITHIN_56_DAYS)


def validate_duty_file(upload) -> None:
    """A duty's document: a PDF (checked as papers are), a UTF-8 CSV file or an XLSX
    spreadsheet, non-empty and at most 20 MB, judged by its content as well as its name."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError("The selected file must be smaller than 20 MB")
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(NOT_ACCEPTED)
    if suffix == ".pdf":
        validate_pdf(upload)
        return
    content = upload.file if isinstance(upload, FieldFile) else upload
    position = content.tell()
    try:
        content.seek(0)
        if suffix == ".csv":
            data = content.read()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    "The selected file must be a CSV file saved as UTF-8"
                ) from None
            if "\x00" in text:
                raise ValidationError("The selected file must be a CSV file saved as UTF-8")
        else:
            try:
                with zipfile.ZipFile(content) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                names = set()
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
                raise ValidationError(
                    "The selected file could not be opened as an Excel (XLSX) spreadsheet"
                )
    finally:
        content.seek(position)


def duty_document_name(instance, filename: str) -> str:
    """Never the uploaded name: `duties/<year>/<random hex><.pdf, .csv or .xlsx>`."""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in DOCUMENT_TYPES else ".bin"
    return f"duties/{timezone.localdate().year}/{uuid.uuid4().hex}{suffix}"


class DutyDocumentQuerySet(PublishableQuerySet):
    pass


class DutyDocument(VersionedModel, TimeStampedModel, Publishable):
    """A document published for a duty the portal does not compute (the budget and precept,
    spending over £500): a file or a link, the date it was published and the period it covers.
    The public sees it once an approver publishes it."""

    VIEW_UNPUBLISHED = CHANGE_DUTY_DOCUMENT
    PUBLISH = PUBLISH_DUTY_DOCUMENT

    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=250)
    file = models.FileField(
        upload_to=duty_document_name,
        blank=True,
        validators=[validate_duty_file],
        help_text="A PDF, CSV or XLSX file of at most 20 MB.",
    )
    link = models.URLField(
        max_length=500, blank=True, help_text="Or a web address where the document is published."
    )
    published_on = models.DateField("date published")
    covers_from = models.DateField(
        "first day of the period it covers",
        null=True,
        blank=True,
        help_text="For a monthly, quarterly or yearly duty: the period the document covers.",
    )
    covers_to = models.DateField("last day of the period it covers", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = DutyDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        permissions = [("publish_dutydocument", "Can publish documents of the register of duties")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("transparency:document", kwargs={"pk": self.pk})

    def get_publication_url(self) -> str:
        return reverse("transparency:document_publication", kwargs={"pk": self.pk})

    def publication_root(self):
        return self

    @property
    def file_suffix(self) -> str:
        return PurePath(self.file.name).suffix.lower() if self.file else ""

    def clean(self):
        errors = {}
        if not self.file and not self.link:
            errors["file"] = "Upload the document or give the web address where it is published"
        elif self.file and self.link:
            errors["link"] = "Give either the file or its web address, not both"
        if bool(self.covers_from) != bool(self.covers_to):
            field = "covers_to" if self.covers_from else "covers_from"
            errors[field] = "Enter both the first and the last day of the period it covers"
        elif self.covers_from and self.covers_to < self.covers_from:
            errors["covers_to"] = "The period must end on or after the day it starts"
        if self.duty_id and self.duty.is_periodic and not self.covers_to:
            errors.setdefault(
                "covers_from",
                "Enter the period the document covers: this duty is published for each period",
            )
        if errors:
            raise ValidationError(errors)
