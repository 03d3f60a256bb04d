"""The search index: one row per findable entry an app's SearchKind gives
(pcc_portal/searchable.py). The full-text part is the database's own, made by the migrations:
an FTS5 table kept in step by triggers on SQLite, a weighted tsvector column with a GIN index on
PostgreSQL (see search/backends.py)."""

from django.db import models

from pcc_portal.searchable import AUDIENCES


class SearchEntry(models.Model):
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=400)
    within = models.CharField(max_length=400, blank=True, default="")
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    audience = models.CharField(max_length=10, choices=[(a, a) for a in AUDIENCES])
    date = models.DateField(null=True, blank=True)
    # "|3|7|": filtered with `contains="|3|"`, alike on both databases.
    priority_ids = models.CharField(max_length=400, blank=True, default="")
    area_ids = models.CharField(max_length=400, blank=True, default="")

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "key"], name="one_search_entry")
        ]
        indexes = [models.Index(fields=["audience", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.key}: {self.title}"


def ids_text(ids) -> str:
    """(3, 7) -> "|3|7|"; () -> ""."""
    return f"|{'|'.join(str(i) for i in ids)}|" if ids else ""
