"""Deletes uploaded spreadsheets nothing waits for (pcc_portal.import_requests): run daily from
cron. Uploads previewed but never confirmed, cancelled or sent go once older than --hours
(24 by default); the files of decided import requests go whatever their age; the files of
requests waiting for an approver stay."""

import datetime

from django.core.management.base import BaseCommand

from pcc_portal.import_requests import KEPT_FOR, import_uploads_clear


class Command(BaseCommand):
    help = "Delete uploaded spreadsheets no one has confirmed, cancelled or sent in a day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=KEPT_FOR.total_seconds() / 3600,
            help="Delete unsent uploads older than this many hours (default 24).",
        )

    def handle(self, *args, hours, **options):
        deleted = import_uploads_clear(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(f"Deleted {deleted} kept upload(s).")
