"""Holding to account in meetings: the Commissioner's scrutiny meetings with the Chief
Constable, the actions arising, the Police and Crime Panel's meetings and its task groups."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pcc_portal.markdown import MARKDOWN_HINT
from pcc_portal.models import Publishable, PublishableQuerySet, TimeStampedModel, VersionedModel
from pcc_portal.permissions import VIEW_EXEMPT
from pcc_portal.uploads import GeneratedName
from plan.models import Priority, ReportingPeriod
from scrutiny.pdf_text import stored_pdf_text
from scrutiny.permissions import (
    PUBLISH_PANELMEETING,
    PUBLISH_PANELMEMBER,
    PUBLISH_SCRUTINYMEETING,
    PUBLISH_TASKGROUP,
    VIEW_UNPUBLISHED,
)
from scrutiny.validators import validate_pdf

# A meeting's expected length, in minutes: what calendars show as its end. Each kind of meeting
# has a default, which staff change per meeting on its form.
SHORTEST_MEETING = 15
LONGEST_MEETING = 12 * 60


def expected_length_field(default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        "expected length, in minutes",
        default=default,
        validators=[MinValueValidator(SHORTEST_MEETING), MaxValueValidator(LONGEST_MEETING)],
        help_text="How long the meeting is expected to last: calendars show it as the end time.",
    )


class MeetingLengthMixin:
    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.expected_length)


class ScrutinyMeetingQuerySet(PublishableQuerySet):
    def newest_first(self):
        return self.order_by("-starts_at", "-pk")


class ScrutinyMeeting(MeetingLengthMixin, Publishable, VersionedModel, TimeStampedModel):
    VIEW_UNPUBLISHED = VIEW_UNPUBLISHED
    PUBLISH = PUBLISH_SCRUTINYMEETING
    DEFAULT_LENGTH = 120

    class Kind(models.TextChoices):
        STRATEGIC_SCRUTINY = "strategic_scrutiny", "Strategic Scrutiny meeting"
        ACCOUNTABILITY_BOARD = "accountability_board", "Accountability board"
        OTHER = "other", "Other meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=25, choices=Kind.choices, default=Kind.STRATEGIC_SCRUTINY)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField("date and time")
    time_recorded = models.BooleanField(
        "time known",
        default=True,
        help_text="Whether the time of day is known; when not, only the date is shown.",
    )
    expected_length = expected_length_field(DEFAULT_LENGTH)
    location = models.CharField(
        max_length=200, blank=True, help_text="Where the meeting is held, if it is to be public."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    reschedule_reason = models.TextField("reason for rescheduling", blank=True)
    rescheduled_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rescheduled_from",
        help_text="The meeting it moved to.",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scrutiny_meetings",
        verbose_name="quarter reviewed",
    )
    chair = models.CharField(max_length=200, blank=True)
    attendees = models.TextField(blank=True, help_text="One person or role per line.")
    note = models.TextField("note of the meeting", blank=True, help_text=MARKDOWN_HINT)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = ScrutinyMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        # The list, newest first, counts and reads one page from here, however many meetings.
        indexes = [models.Index(fields=["published", "starts_at", "id"], name="meeting_listed")]
        permissions = [
            ("view_unpublished_meetings", "Can see scrutiny meetings not yet published"),
            ("publish_scrutinymeeting", "Can publish and unpublish scrutiny meetings"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("scrutiny:meeting", kwargs={"pk": self.pk})

    def get_publication_url(self) -> str:
        return reverse("scrutiny:meeting_publish", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.starts_at and self.status == self.Status.HELD and self.starts_at > timezone.now():
            errors["status"] = "A meeting cannot have been held in the future"
        if self.status == self.Status.RESCHEDULED:
            if not self.rescheduled_to_id:
                errors["rescheduled_to"] = "Select the meeting it was rescheduled to"
            if not self.reschedule_reason.strip():
                errors["reschedule_reason"] = "Enter why the meeting was rescheduled"
        if self.rescheduled_to_id and self.starts_at:
            if self.rescheduled_to_id == self.pk:
                errors["rescheduled_to"] = "A meeting cannot be rescheduled to itself"
            elif self.rescheduled_to.starts_at <= self.starts_at:
                errors["rescheduled_to"] = "A meeting can only be rescheduled to a later date"
        if errors:
            raise ValidationError(errors)

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class PdfTextMixin(models.Model):
    """Keeps the words of the record's uploaded PDF (`file`) in PDF_TEXT_FIELD for searching.

    They are read when a file is first saved or replaced, whichever way the save comes (a form,
    or an approver publishing a held change), and never again on reading."""

    PDF_TEXT_FIELD = "text"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        name = self.file.name or ""
        if name != getattr(self, "_file_text_of", ""):
            setattr(self, self.PDF_TEXT_FIELD, stored_pdf_text(self.file))
        super().save(*args, **kwargs)
        self._file_text_of = self.file.name or ""

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        if "file" in field_names:
            instance._file_text_of = values[field_names.index("file")] or ""
        return instance


class ScrutinyTopic(VersionedModel, TimeStampedModel):
    meeting = models.ForeignKey(ScrutinyMeeting, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="scrutiny_topics")
    summary = models.TextField(
        blank=True, help_text=f"What was examined and concluded. {MARKDOWN_HINT}"
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def publication_root(self):
        return self.meeting if self.meeting_id else None


class ScrutinyPaper(PdfTextMixin, TimeStampedModel):
    meeting = models.ForeignKey(ScrutinyMeeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    received_from = models.CharField(max_length=200, blank=True)
    file = models.FileField(
        upload_to=GeneratedName("scrutiny/papers", suffix=".pdf"),
        blank=True,
        validators=[validate_pdf],
        help_text="A PDF of at most 20 MB.",
    )
    link = models.URLField(blank=True, help_text="Or a web address where the paper is published.")
    # The PDF's words, read once on upload (PdfTextMixin): what the search finds.
    text = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "text"])

    class Meta:
        ordering = ["meeting", "title"]

    def __str__(self) -> str:
        return self.title

    def publication_root(self):
        return self.meeting if self.meeting_id else None

    def clean(self):
        if not self.file and not self.link:
            raise ValidationError("Upload the paper as a PDF or give its web address")
        if self.file and self.link:
            raise ValidationError("Give either the PDF or its web address, not both")


# How many meetings a meeting filter offers: about three years of the panel's meetings.
RECENT_MEETINGS = 24


class PanelMeetingQuerySet(PublishableQuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def recent_or(self, chosen, *, count: int = RECENT_MEETINGS):
        """The latest `count` meetings (those to come included), and the one `chosen` (a pk,
        perhaps from a link to an older meeting): what a list's meeting filter offers, so the
        list does not grow with every meeting ever held."""
        latest = self.order_by("-starts_at", "-pk").values("pk")[:count]
        wanted = Q(pk__in=Subquery(latest))
        if str(chosen).isdigit():
            wanted |= Q(pk=int(chosen))
        return self.filter(wanted)


class PanelMeeting(MeetingLengthMixin, Publishable, VersionedModel, TimeStampedModel):
    """A meeting of the Police and Crime Panel: what papers are written for."""

    VIEW_UNPUBLISHED = VIEW_UNPUBLISHED
    PUBLISH = PUBLISH_PANELMEETING
    DEFAULT_LENGTH = 150

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    starts_at = models.DateTimeField("date and time", unique=True)
    time_recorded = models.BooleanField(
        "time known",
        default=True,
        help_text="Whether the time of day is known; when not, only the date is shown.",
    )
    venue = models.CharField(max_length=200, blank=True, help_text="Leave blank if not known.")
    expected_length = expected_length_field(DEFAULT_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    has_exempt_items = models.BooleanField(
        "exempt items", default=False, help_text="Whether the agenda has exempt (Part II) items."
    )

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = PanelMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        permissions = [("publish_panelmeeting", "Can publish and unpublish panel meetings")]

    def __str__(self) -> str:
        return f"Police and Crime Panel, {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("scrutiny:panel_meeting", kwargs={"date": self.date.isoformat()})

    def get_publication_url(self) -> str:
        return reverse("scrutiny:panel_meeting_publish", kwargs={"date": self.date.isoformat()})

    @property
    def date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    def clean(self):
        if self.starts_at and self.status == self.Status.HELD and self.starts_at > timezone.now():
            raise ValidationError({"status": "A meeting cannot have been held in the future"})
        if self.starts_at:
            day = timezone.localtime(self.starts_at).date()
            clash = PanelMeeting.objects.filter(starts_at__date=day).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"starts_at": "There is already a panel meeting that day"})


class TaskGroupQuerySet(PublishableQuerySet):
    pass


class TaskGroup(Publishable, VersionedModel, TimeStampedModel):
    VIEW_UNPUBLISHED = VIEW_UNPUBLISHED
    PUBLISH = PUBLISH_TASKGROUP

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REPORTED = "reported", "Reported"
        CLOSED = "closed", "Closed"
        NOT_RECORDED = "", "Not recorded"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    reason = models.TextField("reason for the task group", blank=True, help_text=MARKDOWN_HINT)
    chair = models.CharField(max_length=200, blank=True)
    members = models.TextField(blank=True, help_text="One member per line.")
    meeting_dates = models.TextField(
        blank=True, help_text="The dates the group met, one per line, as 2022-02-09."
    )
    findings = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE, blank=True
    )
    follow_up_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = TaskGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("publish_taskgroup", "Can publish and unpublish task groups")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scrutiny:task_group", kwargs={"slug": self.slug})

    def get_publication_url(self) -> str:
        return reverse("scrutiny:task_group_publish", kwargs={"slug": self.slug})

    @property
    def dates(self) -> list[datetime.date]:
        return sorted(
            datetime.date.fromisoformat(line.strip())
            for line in self.meeting_dates.splitlines()
            if line.strip()
        )

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]

    RESERVED_SLUGS = {"new", "edit"}

    def clean(self):
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError({"slug": "That web address name is used by the portal itself"})
        try:
            self.dates  # noqa: B018 - parsing is the check
        except ValueError:
            raise ValidationError(
                {"meeting_dates": "Enter each date on its own line, as 2022-02-09"}
            ) from None


class Recommendation(VersionedModel, TimeStampedModel):
    class Status(models.TextChoices):
        AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
        ACCEPTED = "accepted", "Accepted"
        PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"
        IMPLEMENTED = "implemented", "Implemented"

    task_group = models.ForeignKey(
        TaskGroup, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    response = models.TextField("Commissioner's response", blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_RESPONSE
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["task_group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_group", "number"], name="recommendation_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"

    def publication_root(self):
        return self.task_group if self.task_group_id else None


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions of the scrutiny meetings and task groups the user may see."""
        if user.has_perm(VIEW_UNPUBLISHED):
            return self
        return self.filter(Q(meeting__published=True) | Q(task_group__published=True))

    def still_open(self):
        return self.filter(status__in=Action.OPEN_STATUSES)

    def overdue(self, today=None):
        return self.still_open().filter(due_date__lt=today or timezone.localdate())


class Action(VersionedModel, TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey(
        ScrutinyMeeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name="raised at",
    )
    task_group = models.ForeignKey(
        TaskGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name="raised by task group",
    )
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="A role or a name.")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    dropped_reason = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(task_group__isnull=False),
                name="action_raised_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("scrutiny:action", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.is_open and self.due_date < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def clean(self):
        errors = {}
        if not self.meeting_id and not self.task_group_id:
            errors["meeting"] = "Say which meeting or task group raised the action"
        if self.meeting_id and self.due_date:
            raised_on = timezone.localtime(self.meeting.starts_at).date()
            if self.due_date < raised_on:
                errors["due_date"] = (
                    "The due date cannot be before the meeting that raised it "
                    f"({raised_on:%-d %B %Y})"
                )
        if self.status == self.Status.DROPPED and not self.dropped_reason.strip():
            errors["dropped_reason"] = "Enter why the action was dropped"
        if errors:
            raise ValidationError(errors)


class ActionNote(TimeStampedModel):
    """A dated note of progress on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Schedule12A(models.IntegerChoices):
    """The descriptions of exempt information in Part 1 of Schedule 12A to the Local Government
    Act 1972, shortened: the paragraph that makes an agenda item Part II."""

    INDIVIDUAL = 1, "Paragraph 1: information relating to any individual"
    IDENTITY = 2, "Paragraph 2: information likely to reveal the identity of an individual"
    FINANCIAL = (
        3,
        (
            "Paragraph 3: information relating to the financial or business affairs of any "
            "particular person (including the authority holding that information)"
        ),
    )
    LABOUR_RELATIONS = (
        4,
        (
            "Paragraph 4: consultations or negotiations in connection with a labour relations "
            "matter between the authority and its employees or office holders"
        ),
    )
    LEGAL_PRIVILEGE = (
        5,
        (
            "Paragraph 5: information in respect of which a claim to legal professional privilege "
            "could be maintained in legal proceedings"
        ),
    )
    NOTICE_OR_ORDER = (
        6,
        (
            "Paragraph 6: information revealing that the authority proposes to give a notice "
            "imposing requirements on a person, or to make an order or direction, under an "
            "enactment"
        ),
    )
    CRIME = (
        7,
        (
            "Paragraph 7: action taken or to be taken in connection with the prevention, "
            "investigation or prosecution of crime"
        ),
    )


class AgendaItemQuerySet(models.QuerySet):
    def in_agenda_order(self):
        """Open items first, then Part II items; each part by position."""
        return self.order_by("is_exempt", "position", "pk")

    def visible_to(self, user):
        """The items of the meetings the user may see. Everyone learns that a Part II item is
        there and its paragraph of Schedule 12A; only those who may see exempt items learn its
        title and description: `shown_title` and `shown_description` say what to show."""
        items = self.filter(meeting__in=PanelMeeting.objects.visible_to(user))
        if user.has_perm(VIEW_EXEMPT):
            return items.annotate(shown_title=F("title"), shown_description=F("description"))
        return items.annotate(
            shown_title=Case(
                When(is_exempt=True, then=Value(AgendaItem.EXEMPT_TITLE)),
                default=F("title"),
                output_field=models.CharField(),
            ),
            shown_description=Case(
                When(is_exempt=True, then=Value("")),
                default=F("description"),
                output_field=models.TextField(),
            ),
        )


class AgendaItem(VersionedModel, TimeStampedModel):
    """An item on a panel meeting's agenda. Its number is not stored: it follows from the
    order (open items by position, then Part II items), so numbers are always 1 to n."""

    EXEMPT_TITLE = "Exempt item"
    STANDARD_TITLES = (
        "Apologies for absence",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Public questions",
        "Date of the next meeting",
    )

    class Kind(models.TextChoices):
        STANDARD = "standard", "Standard item"
        PAPER = "paper", "Paper"
        OTHER = "other", "Other business"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True, help_text=MARKDOWN_HINT)
    is_exempt = models.BooleanField(
        "exempt (Part II)",
        default=False,
        help_text="Part II items are taken last, after the press and public are excluded.",
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        "paragraph of Schedule 12A",
        choices=Schedule12A.choices,
        null=True,
        blank=True,
        help_text="The paragraph of Schedule 12A to the Local Government Act 1972 that applies.",
    )

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "is_exempt", "position", "pk"]
        verbose_name = "agenda item"

    def __str__(self) -> str:
        return self.title

    def publication_root(self):
        return self.meeting if self.meeting_id else None

    def clean(self):
        if self.is_exempt and not self.exempt_paragraph:
            raise ValidationError(
                {"exempt_paragraph": "Select the paragraph of Schedule 12A that applies"}
            )
        if not self.is_exempt:
            self.exempt_paragraph = None

    def number(self) -> int:
        """Its number on the agenda (one query)."""
        before = AgendaItem.objects.filter(meeting_id=self.meeting_id).filter(
            Q(is_exempt__lt=self.is_exempt)
            | Q(is_exempt=self.is_exempt, position__lt=self.position)
            | Q(is_exempt=self.is_exempt, position=self.position, pk__lt=self.pk)
        )
        return before.count() + 1


class PanelMemberQuerySet(PublishableQuerySet):
    """The panel's membership is public once an approver publishes it: staff see members
    waiting for approval too (`visible_to`, from PublishableQuerySet)."""

    def in_office_on(self, day: datetime.date):
        return self.filter(term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )

    def in_membership_order(self):
        """Chair, vice-chair, then members, each by name."""
        rank = Case(
            *(When(role=role, then=Value(n)) for n, role in enumerate(PanelMember.Role.values)),
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, "name", "pk")


class PanelMember(Publishable, VersionedModel, TimeStampedModel):
    """A member of the Police and Crime Panel for a term: a councillor of one of the area's
    councils, or an independent member.

    Each member is its own publication root: a member staff add is seen by the office only
    until an approver publishes it, and staff's changes to a published member wait for an
    approver."""

    VIEW_UNPUBLISHED = VIEW_UNPUBLISHED
    PUBLISH = PUBLISH_PANELMEMBER
    INDEPENDENT = "Independent member"

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"

    name = models.CharField(max_length=120)
    council = models.CharField(
        max_length=120,
        blank=True,
        help_text="The council the member represents. Leave empty for an independent member.",
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField("start of term")
    term_end = models.DateField("end of term", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "panel member"
        permissions = [("publish_panelmember", "Can publish and unpublish panel members")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scrutiny:panel_member", kwargs={"pk": self.pk})

    def get_publication_url(self) -> str:
        return reverse("scrutiny:panel_member_publish", kwargs={"pk": self.pk})

    @property
    def represents(self) -> str:
        return self.council or self.INDEPENDENT

    def in_office_on(self, day: datetime.date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

    def clean(self):
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": "The end of term must be after its start"})


class Attendance(VersionedModel, TimeStampedModel):
    """Whether a member attended a panel meeting, sent apologies or was absent."""

    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["meeting", "member"]
        verbose_name = "attendance record"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_status_display()}"

    def publication_root(self):
        return self.meeting if self.meeting_id else None


class DeclarationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Declarations at the meetings the user may see (public, as councils publish them)."""
        return self.filter(meeting__in=PanelMeeting.objects.visible_to(user))


class Declaration(VersionedModel, TimeStampedModel):
    """A member's declaration of an interest in an agenda item."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="declarations")
    interest = models.TextField("the interest", max_length=2000)

    history = HistoricalRecords(excluded_fields=["created_at"])
    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["item", "member__name", "pk"]

    def __str__(self) -> str:
        return f"{self.member}: {self.interest[:60]}"

    def publication_root(self):
        return self.meeting if self.meeting_id else None

    def clean(self):
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            raise ValidationError({"item": "Select an item of this meeting's agenda"})


class MinutesQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(meeting__in=PanelMeeting.objects.visible_to(user))


class Minutes(PdfTextMixin, VersionedModel, TimeStampedModel):
    """A panel meeting's minutes, as Markdown or a PDF. Draft until the next meeting approves
    them under its "Minutes of the last meeting" item."""

    meeting = models.OneToOneField(PanelMeeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField("the minutes", blank=True, help_text=MARKDOWN_HINT)
    file = models.FileField(
        "the minutes as a PDF",
        upload_to=GeneratedName("scrutiny/minutes", suffix=".pdf"),
        blank=True,
        validators=[validate_pdf],
    )
    approved_at = models.ForeignKey(
        PanelMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_approved",
        verbose_name="approved at the meeting",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The words of the PDF, read once on upload (PdfTextMixin): what the search finds.
    file_text = models.TextField(blank=True, editable=False)

    PDF_TEXT_FIELD = "file_text"

    history = HistoricalRecords(excluded_fields=["created_at", "file_text"])
    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "minutes"
        permissions = [("approve_minutes", "Can approve panel meetings' minutes")]

    def __str__(self) -> str:
        return f"Minutes of the {self.meeting}"

    def publication_root(self):
        return self.meeting if self.meeting_id else None

    @property
    def is_draft(self) -> bool:
        return self.approved_at_id is None

    def clean(self):
        if not self.text.strip() and not self.file:
            raise ValidationError("Enter the minutes or upload them as a PDF")
        if self.text.strip() and self.file:
            raise ValidationError("Give either the minutes as text or as a PDF, not both")
