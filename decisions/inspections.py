"""HMICFRS inspection reports, their recommendations and areas for improvement, and the
Commissioner's comments on each report, due 56 days after its publication (Police Act 1996,
section 55).

The reports and their recommendations are published by HMICFRS, so everyone sees them. The
office's responses and the Commissioner's comments reach the public only through an approver:
an inspection is `Publishable`, and until it is published only staff see those parts; once
published, staff changes to it and its recommendations wait for an approver (the publication
gate).
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from decisions.permissions import CHANGE_INSPECTION, PUBLISH_INSPECTION
from pcc_portal.markdown import MARKDOWN_HINT
from pcc_portal.models import Publishable, PublishableQuerySet, TimeStampedModel, VersionedModel
from plan.models import Priority
from scrutiny.models import Action

# Police Act 1996, s55(1): the comments are due within 56 days of the report's publication.
COMMENTS_DAYS = 56
# Staff see comments due this many days ahead among their tasks on the home page.
TASK_WARNING_DAYS = 14


def comments_due_on(published_on: datetime.date) -> datetime.date:
    """The last day for the Commissioner's comments on a report published on `published_on`:
    56 days later (published 5 January 2024, due 1 March 2024)."""
    return published_on + datetime.timedelta(days=COMMENTS_DAYS)


def published_on_or_before_for_due(due_by: datetime.date) -> datetime.date:
    """The latest publication date whose comments fall due on or before `due_by` (the
    inverse of comments_due_on, for querysets)."""
    return due_by - datetime.timedelta(days=COMMENTS_DAYS)


@dataclass(frozen=True)
class CommentsClock:
    """Where the Commissioner's comments stand on a day, in words and numbers."""

    due_on: datetime.date | None
    days_left: int | None  # negative once overdue; None when not counting
    state: str  # "published", "late", "due", "overdue", "not recorded"

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def words(self) -> str:
        if self.state == "published":
            return "Comments published"
        if self.state == "late":
            return "Comments published after the due date"
        if self.state == "not recorded":
            return "Not recorded"
        if self.state == "overdue":
            days = -self.days_left
            return f"Overdue by {days} day{'s' if days != 1 else ''}"
        if self.days_left == 0:
            return "Due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


class InspectionKind(models.TextChoices):
    PEEL = "peel", "PEEL"
    THEMATIC = "thematic", "Thematic"
    JOINT = "joint", "Joint"
    OTHER = "other", "Other"


class InspectionQuerySet(PublishableQuerySet):
    def visible_to(self, user):
        """Everyone sees every inspection: HMICFRS publishes its reports. What the office
        adds (responses, comments) is shown by `Inspection.shows_office_parts_to`."""
        return self

    def comments_awaited(self):
        """Inspections whose comments are not yet published (and whose publication date is
        recorded, so a clock runs)."""
        return self.filter(
            published_on__isnull=False, comments_published_on__isnull=True, comments_unknown=False
        )

    def comments_due_by(self, day: datetime.date):
        """Awaited comments falling due on or before `day` (overdue ones included)."""
        return self.comments_awaited().filter(published_on__lte=published_on_or_before_for_due(day))


class Inspection(VersionedModel, TimeStampedModel, Publishable):
    """An HMICFRS inspection report about the force, and the Commissioner's comments on it."""

    VIEW_UNPUBLISHED = CHANGE_INSPECTION
    PUBLISH = PUBLISH_INSPECTION

    title = models.CharField(max_length=250)
    kind = models.CharField("type", max_length=10, choices=InspectionKind.choices)
    published_on = models.DateField(
        "date the report was published",
        null=True,
        blank=True,
        help_text="Blank when not recorded. The comments are due 56 days after this date.",
    )
    url = models.URLField("link to the report", max_length=500, blank=True)
    comments = models.TextField("the Commissioner's comments", blank=True, help_text=MARKDOWN_HINT)
    comments_published_on = models.DateField(
        "date the comments were published", null=True, blank=True
    )
    comments_url = models.URLField("link to the comments", max_length=500, blank=True)
    comments_unknown = models.BooleanField(
        "whether comments were published is not recorded",
        default=False,
        help_text="For an old report whose comments the portal has no record of: no clock runs.",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        permissions = [("publish_inspection", "Can publish the office's responses to inspections")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:inspection", kwargs={"pk": self.pk})

    def get_publication_url(self) -> str:
        return reverse("decisions:inspection_publication", kwargs={"pk": self.pk})

    def publication_root(self):
        return self

    @property
    def is_published(self) -> bool:
        return self.published

    @property
    def comments_due(self) -> datetime.date | None:
        return comments_due_on(self.published_on) if self.published_on else None

    def comments_clock(self, today: datetime.date) -> CommentsClock:
        """The 56-day clock on `today`: the due date, the days left and the state in words."""
        due = self.comments_due
        if self.comments_published_on:
            late = due is not None and self.comments_published_on > due
            return CommentsClock(due, None, "late" if late else "published")
        if due is None or self.comments_unknown:
            return CommentsClock(due, None, "not recorded")
        left = (due - today).days
        return CommentsClock(due, left, "overdue" if left < 0 else "due")

    def shows_office_parts_to(self, user) -> bool:
        """The office's responses and the comments: public once an approver publishes them."""
        return self.published or user.has_perm(self.VIEW_UNPUBLISHED)

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.comments_published_on
            and self.published_on
            and self.comments_published_on < self.published_on
        ):
            raise ValidationError(
                {
                    "comments_published_on": "The comments cannot be published before the "
                    "report they comment on"
                }
            )


class InspectionRecommendation(VersionedModel, TimeStampedModel):
    """A recommendation or area for improvement of an inspection report, as the report words
    it, with the force's and the office's responses."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        AREA_FOR_IMPROVEMENT = "afi", "Area for improvement"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.RECOMMENDATION)
    reference = models.CharField(
        "number or reference",
        max_length=30,
        blank=True,
        help_text="As the report gives it, such as 3 or AFI 2. Blank if it gives none.",
    )
    text = models.TextField("the text, exactly as the report gives it")
    force_response = models.TextField("the force's response", blank=True, help_text=MARKDOWN_HINT)
    office_response = models.TextField("the office's response", blank=True, help_text=MARKDOWN_HINT)
    owner = models.CharField(max_length=200, blank=True, help_text="A role or a name.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="hmicfrs_recommendations", verbose_name="priorities"
    )
    actions = models.ManyToManyField(
        Action,
        blank=True,
        editable=False,
        related_name="hmicfrs_recommendations",
        verbose_name="actions raised",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["inspection", "-kind", "pk"]
        verbose_name = "HMICFRS recommendation"

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.reference}" if self.reference else label

    def get_absolute_url(self) -> str:
        return f"{self.inspection.get_absolute_url()}#recommendation-{self.pk}"

    def publication_root(self):
        return self.inspection
