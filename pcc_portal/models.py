import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

from pcc_portal.signals import rows_updated

logger = logging.getLogger(__name__)

# However the office profile is changed, a cached copy is dropped within this time (a save
# drops it at once; this bounds a change that reached the database without a save signal).
OFFICE_CACHE_SECONDS = 10 * 60


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OfficeProfile(TimeStampedModel):
    """Who runs this portal: the office, its police area and panel, and how to reach them.

    There is one profile (primary key 1). The layout shows it on every page, and papers take
    their default contact officer and signatory from it.
    """

    office_name = models.CharField(
        max_length=200, help_text="For example: Office of the Police and Crime Commissioner."
    )
    office_short_name = models.CharField(max_length=40, blank=True, help_text="For example: OPCC.")
    police_area = models.CharField(max_length=100)
    commissioner_title = models.CharField(max_length=100, default="Police and Crime Commissioner")
    panel_name = models.CharField(max_length=200)
    postal_address = models.TextField(help_text="One line of the address per line.")
    phone = models.CharField(max_length=40)
    email = models.EmailField()
    website = models.URLField(blank=True)
    contact_officer_name = models.CharField(max_length=100)
    contact_officer_phone = models.CharField(max_length=40)
    contact_officer_email = models.EmailField()
    signatory_name = models.CharField(max_length=100)
    signatory_title = models.CharField(max_length=100, help_text="For example: Director.")

    class Meta:
        verbose_name = "office profile"
        permissions = [("view_exempt_items", "Can see exempt (Part II) items")]

    def __str__(self) -> str:
        return self.office_name

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def service_name(self) -> str:
        return f"{self.panel_name} portal"

    @property
    def address_lines(self) -> list[str]:
        return [
            line.strip().rstrip(",") for line in self.postal_address.splitlines() if line.strip()
        ]

    @classmethod
    def load(cls) -> "OfficeProfile":
        """The office profile, from the cache if it is there (every page shows it); an unsaved
        placeholder naming nobody if none is loaded yet, never cached, so that the profile
        shows as soon as it is saved."""
        names = [f.attname for f in cls._meta.concrete_fields]
        values = _cache_call("get", cls.cache_key())
        if values is not None:
            return cls.from_db("default", names, values)
        profile = cls.objects.filter(pk=1).first()
        if profile is None:
            return cls(
                office_name="Office of the Police and Crime Commissioner",
                police_area="",
                panel_name="Police and Crime Panel",
            )
        values = [getattr(profile, name) for name in names]
        _cache_call("set", cls.cache_key(), values, OFFICE_CACHE_SECONDS)
        return profile

    @classmethod
    def cache_key(cls) -> str:
        """Named by the fields too: a release that adds one never reads an older entry."""
        names = ",".join(f.attname for f in cls._meta.concrete_fields)
        return f"office-profile:{hashlib.sha256(names.encode()).hexdigest()[:12]}"

    @classmethod
    def cache_forget(cls, **kwargs) -> None:
        """Drops the cached profile: now, and again once the change commits, since another
        process may have cached the old one from the database in between."""
        _cache_call("delete", cls.cache_key())
        transaction.on_commit(lambda: _cache_call("delete", cls.cache_key()), robust=True)


def _cache_call(method: str, *args):
    """The cache's `method`, or None if its folder cannot be used: pages still show, from the
    database, and the log says why."""
    try:
        return getattr(cache, method)(*args)
    except OSError:
        logger.warning("The cache could not %s %s", method, args[0], exc_info=True)
        return None


class VersionedModel(models.Model):
    """A record protected against lost updates: every save moves `version` on by one, and a save
    that expected an older version is refused (see pcc_portal.services.record_save)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class UpdateSignallingQuerySet(models.QuerySet):
    """A queryset whose `update()` tells `rows_updated` receivers which rows it changed, as a
    save would tell post_save ones: a paper made exempt in bulk stops being served from its
    files all the same. Costs one query more, and only while something listens."""

    def update(self, **kwargs) -> int:
        if not rows_updated.has_listeners(self.model):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            rows_updated.send(sender=self.model, pks=pks, fields=frozenset(kwargs))
        return count


class PublishableQuerySet(UpdateSignallingQuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Staff see every record; panel members and the public only published ones."""
        return self if user.has_perm(self.model.VIEW_UNPUBLISHED) else self.published()


class Publishable(models.Model):
    """Something the public sees only once an approver publishes it.

    While it is published, edits to it (and to the records under it, which name it through
    `publication_root()`) wait as a PendingChange until an approver publishes them.
    Subclasses set VIEW_UNPUBLISHED and PUBLISH to permission names.
    """

    VIEW_UNPUBLISHED = ""
    PUBLISH = ""

    published = models.BooleanField(default=False, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def publication_root(self):
        return self

    @property
    def is_published(self) -> bool:
        return self.published


class PendingChange(models.Model):
    """Changes to a published record (and the records under it) waiting for an approver.

    `operations` is a list of {"model", "pk", "action" (create, update or delete), "fields",
    "m2m", "was"}: field values as JSON, `was` the published values they replace. The record
    itself stays as it was published until an approver publishes the changes.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    operations = models.JSONField(default=list)
    # Moves on with every change, so an approver publishes only what they reviewed.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_pending_change_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"Changes waiting for approval ({len(self.operations)})"


class EmailOptOut(models.Model):
    """A kind of email (pcc_portal.notifications) a user has turned off. Every kind a user may
    receive is on until they turn it off, so new kinds reach everyone they are meant for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "email turned off"
        verbose_name_plural = "emails turned off"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} turned off {self.kind}"


class ImportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Approvers see every request; other office staff their own; anyone else none."""
        from pcc_portal.permissions import CONFIRM_IMPORT

        if not user.is_authenticated:
            return self.none()
        if user.has_perm(CONFIRM_IMPORT):
            return self
        return self.filter(sent_by=user)

    def waiting(self):
        return self.filter(status=ImportRequest.Status.SENT)


class ImportRequest(models.Model):
    """A spreadsheet of records that are public once written (pcc_portal.transfer, a kind
    marked `public`), sent by staff for an approver to confirm. The file stays in the private
    folder of kept uploads, named by `token` and checked against `sha256`, until it is decided."""

    class Status(models.TextChoices):
        SENT = "sent", "Waiting for an approver"
        IMPORTED = "imported", "Imported"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn by the sender"

    kind = models.CharField(max_length=50)
    format = models.CharField(max_length=10)
    file_name = models.CharField("file", max_length=200)
    token = models.CharField(max_length=64, unique=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    summary = models.CharField("what it did", max_length=300, blank=True)

    objects = ImportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["status", "sent_at"], name="import_request_status")]
        permissions = [("confirm_import", "Can confirm imports of records public once written")]

    def __str__(self) -> str:
        return f"Import request {self.pk}: {self.file_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("import_request", args=[self.pk])

    @property
    def waiting(self) -> bool:
        return self.status == self.Status.SENT


class PublishedFile(models.Model):
    """A web address answered with a stored file, as a file server would: a published paper's
    page and PDF, a meeting's agenda reports pack. Only what anyone may read is listed; an entry
    is written once the thing is public and removed when it is not (see pcc_portal.published).
    """

    path = models.CharField("web address", max_length=300, unique=True)
    source = models.CharField(
        max_length=50, db_index=True, help_text='What published it: "paper:12", "meeting:3".'
    )
    name = models.CharField("stored file", max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("size in bytes")
    modified = models.DateTimeField("published at")
    content_type = models.CharField(max_length=100)
    filename = models.CharField(
        max_length=200, blank=True, help_text="The name a download is saved under, if any."
    )
    layout = models.CharField(
        max_length=16, blank=True, help_text="For a web page: the layout it was stored with."
    )

    class Meta:
        verbose_name = "published file"

    def __str__(self) -> str:
        return self.path
