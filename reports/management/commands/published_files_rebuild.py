from django.core.management.base import BaseCommand

from reports.published import published_files_rebuild


class Command(BaseCommand):
    help = (
        "Stores again the published papers' pages and lists every published file. Run it after "
        "a release: pages stored with an earlier layout are not served from files until then."
    )

    def handle(self, *args, **options):
        count = published_files_rebuild.call()
        self.stdout.write(f"{count} web addresses are served from published files.")
