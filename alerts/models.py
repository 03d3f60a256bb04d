"""Email alerts: who is told (a subscriber: an address, an account or none, a secret for the
links in their emails), what they follow (their alerts), and when each findable object was
first found, for each audience (so that "new" survives the index replacing its rows)."""

import secrets

from django.conf import settings
from django.db import models

from pcc_portal.searchable import AUDIENCES


def secret_make() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    email = models.EmailField(max_length=254)
    # A signed-in subscriber's account: they see what their role may see, and are confirmed.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriber",
    )
    secret = models.CharField(max_length=64, unique=True, default=secret_make, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One record per address for the public; an account has its own.
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(user=None), name="one_public_subscriber"
            )
        ]

    def __str__(self) -> str:
        return self.email


class Alert(models.Model):
    class What(models.TextChoices):
        PAPERS = "papers", "New papers for panel meetings"
        PRIORITY = "priority", "Anything new about a priority"
        SEARCH = "search", "New results for a search"

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As soon as something is published"
        DAILY = "daily", "Once a day, when there is something new"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="alerts")
    what = models.CharField(max_length=10, choices=What.choices)
    priority_id = models.PositiveIntegerField(null=True, blank=True)
    query = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=30, blank=True, default="")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["frequency", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.get_what_display()}"

    @property
    def since(self):
        """New for this alert is what was first found after this."""
        return self.last_sent_at or self.confirmed_at


class Found(models.Model):
    """When an object first became findable by an audience. Written once, never updated: a
    re-index or a rebuild leaves the time as it was. Objects first met by a rebuild (indexed
    before alerts were kept) are recorded as not new (`is_news` false)."""

    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    audience = models.CharField(max_length=10, choices=[(a, a) for a in AUDIENCES])
    first_found_at = models.DateTimeField()
    is_news = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "found"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "audience"], name="one_first_found"
            )
        ]
        indexes = [models.Index(fields=["first_found_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.audience}) {self.first_found_at:%Y-%m-%d}"
