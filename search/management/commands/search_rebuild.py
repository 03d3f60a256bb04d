from django.core.management.base import BaseCommand

from search.index import search_rebuild


class Command(BaseCommand):
    help = "Rebuilds the search index from everything the apps publish."

    def handle(self, *args, **options):
        made = search_rebuild()
        self.stdout.write(f"Indexed {made} search entries.")
