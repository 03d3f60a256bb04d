"""Makes a database ready to try the portal: migrated, every fixture loaded, demo accounts made.

Running it again changes nothing but the demo passwords: fixtures carry fixed primary keys and
accounts are found by user name.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from pcc_portal.roles import OPCC_APPROVER, OPCC_STAFF, PANEL_MEMBER
from reports.services import publish_pending

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# user name, full name, role (None: a superuser for the administration pages)
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None], ...] = (
    ("staff", "Sam Staff", OPCC_STAFF),
    ("approver", "Alex Approver", OPCC_APPROVER),
    ("panel", "Pat Panel", PANEL_MEMBER),
    ("admin", "Ada Administrator", None),
)


def fixture_files() -> list[Path]:
    """Every fixture in fixtures/, in dependency order: their names start with a number."""
    return sorted(FIXTURES_DIR.glob("*.json"))


class Command(BaseCommand):
    help = "Migrate, load every fixture in fixtures/ and create the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo account (default: a new random one, printed).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DJANGO_DEBUG is off.",
        )

    def handle(self, *args, password=None, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DJANGO_DEBUG is off, so this looks like a production database. The demo "
                "command adds demo accounts; add --allow-production if you really mean it."
            )
        call_command("migrate", interactive=False, verbosity=0)
        files = fixture_files()
        with transaction.atomic():
            for path in files:
                call_command("loaddata", str(path), verbosity=0)
            password = password or secrets.token_urlsafe(12)
            accounts = [self._account(*spec, password=password) for spec in DEMO_ACCOUNTS]
        # Papers the fixtures mark published are rendered and stored once (HTML and PDF).
        published = publish_pending()
        self.stdout.write(f"Loaded {len(files)} fixture file(s) from fixtures/.")
        if published:
            self.stdout.write(f"Published {published} paper(s) from the fixtures.")
        self.stdout.write("Demo sign-ins (at /accounts/login/):")
        for username, role in accounts:
            self.stdout.write(f"  {username:<9} {password:<20} {role}")

    def _account(self, username, full_name, role, *, password):
        first_name, last_name = full_name.split(" ", 1)
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_active": True,
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        if role is None:
            user.groups.clear()
            return username, "superuser (administration pages)"
        user.groups.set([Group.objects.get(name=role)])
        return username, role
