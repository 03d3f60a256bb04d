from django.core.management.base import BaseCommand

from alerts.models import Alert
from alerts.services import alerts_expire, alerts_send


class Command(BaseCommand):
    help = (
        "Emails the daily alerts (what is new since each was last sent) and deletes alerts "
        "never confirmed within 7 days. Run once a day, from cron."
    )

    def handle(self, *args, **options):
        sent = alerts_send(Alert.Frequency.DAILY)
        expired = alerts_expire()
        self.stdout.write(f"Sent {sent} daily alert emails; deleted {expired} unconfirmed alerts.")
