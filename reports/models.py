"""Panel papers: composed from sections, some of them live data, and published as frozen
revisions (HTML and an accessible PDF, with a SHA-256)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pcc_portal.markdown import MARKDOWN_HINT
from pcc_portal.models import TimeStampedModel, UpdateSignallingQuerySet, VersionedModel
from pcc_portal.permissions import VIEW_EXEMPT
from plan.models import Plan, ReportingPeriod
from reports.permissions import CHANGE_REPORT, PUBLISH_REPORT
from reports.sections import kind_choices, section_errors
from scrutiny.models import AgendaItem, PanelMeeting


class ReportQuerySet(UpdateSignallingQuerySet):
    def published(self):
        return self.filter(status=Report.Status.PUBLISHED)

    def with_latest_pdf(self):
        """Annotates `pdf_size` and `pdf_page_count`: those of the latest revision's PDF, as
        recorded when it was written (None for a paper never published). No file is read."""
        latest = Publication.objects.filter(report=OuterRef("pk")).order_by("-revision")
        return self.annotate(
            pdf_size=Subquery(latest.values("pdf_size")[:1]),
            pdf_page_count=Subquery(latest.values("page_count")[:1]),
        )

    def with_publication_dates(self):
        """Annotates `first_published_at` and `last_published_at`: when the paper's first and
        latest revisions were published (None for a paper never published)."""
        return self.annotate(
            first_published_at=Min("publications__published_at"),
            last_published_at=Max("publications__published_at"),
        )

    def newest_published_first(self):
        """The papers with their publication dates, the latest published first."""
        latest = models.F("last_published_at").desc(nulls_last=True)
        return self.with_publication_dates().order_by(latest, "-pk")

    def visible_to(self, user):
        """Editors see every paper; others see published ones, the public none that is exempt."""
        if user.has_perm(CHANGE_REPORT):
            return self
        published = self.published().filter(panel_meeting__published=True)
        return published if user.has_perm(VIEW_EXEMPT) else published.filter(is_exempt=False)


class Report(VersionedModel, TimeStampedModel):
    """A paper. Once published, edits to its fields wait for an approver's next publication;
    marking it exempt takes effect at once (it only makes the paper more private)."""

    PRIVATE_NOW = {"is_exempt": True}
    VIEW_UNPUBLISHED = CHANGE_REPORT
    PUBLISH = PUBLISH_REPORT

    class Kind(models.TextChoices):
        COMMISSIONERS_UPDATE = "commissioners_update", "Commissioner's update"
        PERFORMANCE = "performance", "Performance monitoring report"
        TASK_GROUP = "task_group", "Task group report"
        OTHER = "other", "Other report"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        RETURNED = "returned", "Returned"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    panel_meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, related_name="reports"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="papers",
        help_text="The item of the meeting's agenda the paper is for.",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=25, choices=Kind.choices, default=Kind.OTHER)
    period = models.ForeignKey(
        ReportingPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name="quarter reported on",
    )
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name="plan reported on",
        help_text="The Police and Crime Plan whose outcome measures the paper reports. Leave "
        "blank when one plan covers the quarter.",
    )
    contact_name = models.CharField("contact officer", max_length=100)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    executive_summary = models.TextField(help_text=MARKDOWN_HINT)
    recommendation = models.TextField(help_text=MARKDOWN_HINT)
    signatory_name = models.CharField(max_length=100)
    signatory_title = models.CharField(max_length=100)
    is_exempt = models.BooleanField(
        "exempt (Part II)",
        default=False,
        help_text="Exempt papers are for panel members only, never the public.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    agenda_order = models.PositiveSmallIntegerField(default=1)
    as_at = models.DateField(
        "figures as at",
        null=True,
        blank=True,
        help_text="The data sections show their figures as they stood on this date. "
        "Leave blank for the panel meeting's date.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-panel_meeting__starts_at", "agenda_order", "pk"]
        verbose_name = "paper"
        permissions = [("publish_report", "Can publish, republish and withdraw papers")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:paper", kwargs={"pk": self.pk})

    def get_publication_url(self) -> str:
        return reverse("reports:paper_publish", kwargs={"pk": self.pk})

    def get_pdf_url(self) -> str:
        return reverse("reports:paper_pdf", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def figures_as_at(self):
        """The date the data sections take their figures as at: `as_at`, or the meeting's date."""
        return self.as_at or self.panel_meeting.date

    def latest_publication(self) -> "Publication | None":
        return self.publications.order_by("-revision").first()

    def publication_root(self):
        return self

    def clean(self):
        if self.agenda_item_id and self.agenda_item.meeting_id != self.panel_meeting_id:
            raise ValidationError(
                {"agenda_item": "Select an item on the agenda of the paper's meeting"}
            )
        if self.plan_id and self.period_id and not self.plan.covers(self.period.financial_year):
            raise ValidationError(
                {"plan": f"The {self.plan.period_label} plan does not cover {self.period.label}: "
                 "choose the plan in force in the quarter, or another quarter"}
            )  # fmt: skip

    def plan_for_quarter(self) -> "Plan | None":
        """The plan the paper reports on: its own, or the only plan covering its quarter. None
        when it has no quarter, or several plans cover it and none was chosen."""
        if self.plan_id or not self.period_id:
            return self.plan
        plans = list(Plan.objects.covering(self.period.financial_year)[:2])
        return plans[0] if len(plans) == 1 else None


class ReportSection(VersionedModel, TimeStampedModel):
    """A part of a paper: its text, and what its kind shows after it (see reports.sections)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=kind_choices, default="text")
    body = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    params = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = "section"

    def __str__(self) -> str:
        return self.heading or self.get_kind_display()

    def clean(self):
        if errors := section_errors(self):
            raise ValidationError(errors)


class Publication(models.Model):
    """One frozen revision of a published paper. Never changed once written."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="publications")
    revision = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    html = models.TextField()
    pdf = models.FileField(upload_to="reports/")
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    pdf_size = models.PositiveBigIntegerField(
        "size of the PDF in bytes", default=0, help_text="Recorded when the PDF is written."
    )

    objects = UpdateSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["report", "revision"], name="one_revision_number"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="revision_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.report} (revision {self.revision})"


class PaperPublishing(models.Model):
    """An approver's request to publish a paper, worked through in the background: the page
    shows it while it waits and runs, and says why if it failed."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"

    UNFINISHED = (State.WAITING, State.PUBLISHING)

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="publishings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.WAITING)
    # The paper's version when it was asked for: a paper changed since (withdrawn, returned,
    # edited) is not published on that request.
    report_version = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    problem = models.TextField(blank=True)
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["report", "-requested_at"], name="publishing_latest")]
        constraints = [
            # One request at a time per paper: a second click joins the first.
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(state__in=["waiting", "publishing"]),
                name="one_unfinished_publishing",
            )
        ]

    def __str__(self) -> str:
        return f"Publishing {self.report} ({self.get_state_display().lower()})"

    # A request still being published after this long lost its worker (killed mid-render).
    ABANDONED_AFTER = timedelta(minutes=15)

    @property
    def unfinished(self) -> bool:
        return self.state in self.UNFINISHED

    @property
    def abandoned(self) -> bool:
        started = self.started_at
        return (
            self.state == self.State.PUBLISHING
            and started is not None
            and (started < timezone.now() - self.ABANDONED_AFTER)
        )

    def get_status_url(self) -> str:
        return reverse("reports:paper_publishing", kwargs={"pk": self.report_id})


class PackQuerySet(UpdateSignallingQuerySet):
    def visible_to(self, user):
        """The packs of the meetings the user may see: the public one to everyone, the members'
        one (with the Part II papers) to those who may see exempt items."""
        packs = self.filter(meeting__in=PanelMeeting.objects.visible_to(user))
        if user.has_perm(VIEW_EXEMPT):
            return packs.filter(audience=Pack.Audience.MEMBERS)
        return packs.filter(audience=Pack.Audience.PUBLIC)


class Pack(models.Model):
    """One rendering of a meeting's agenda reports pack for one audience, stored like a paper's
    revision and never changed. The first is the pack; each later one, made when a paper is
    published or withdrawn after it went out, is a supplement and says what changed."""

    class Audience(models.TextChoices):
        PUBLIC = "public", "The public (no Part II items)"
        MEMBERS = "members", "Panel members and staff (with Part II items)"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="packs")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    pdf = models.FileField(upload_to="packs/")
    sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveBigIntegerField("size of the PDF in bytes", default=0)
    page_count = models.PositiveIntegerField(default=0)
    changes = models.TextField(blank=True, help_text="What changed since the previous pack.")
    contents = models.JSONField(
        default=list,
        blank=True,
        help_text="The contents as rendered: each entry's number, title and start page.",
    )
    papers = models.JSONField(
        default=list, blank=True, help_text="The [paper, revision] pairs the pack holds."
    )

    objects = PackQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "audience", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "audience", "number"], name="one_pack_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="pack_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.label} for {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse(
            "panel_meeting_pack_number",
            kwargs={"date": self.meeting.date.isoformat(), "number": self.number},
        )

    @property
    def label(self) -> str:
        return "Agenda reports pack" if self.number == 1 else f"Supplement {self.number - 1}"
