from django.core.management.base import BaseCommand

from funding.totals import funding_totals_rebuild


class Command(BaseCommand):
    help = (
        "Counts the stored funding totals again from every award, and renews the database's "
        "statistics of the awards. Run it after loading awards past the portal (raw SQL)."
    )

    def handle(self, *args, **options):
        rows = funding_totals_rebuild()
        self.stdout.write(f"The funding totals have {rows} rows.")
