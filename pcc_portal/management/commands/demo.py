"""Makes a database ready to try the portal: migrated, every fixture loaded, demo accounts made.

Running it again never overwrites what is there: fixtures carry fixed primary keys, and only
the rows whose key is missing are added (a row someone deleted comes back; a row someone edited
stays as they left it). Demo accounts are found by user name and only get the new password.
"""

import secrets
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import BaseCommand, CommandError, call_command
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from pcc_portal.background import background_queue_run
from pcc_portal.roles import OPCC_APPROVER, OPCC_STAFF, PANEL_MEMBER, roles_of
from pcc_portal.signals import demo_loaded

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


def fixtures_add_missing(paths: list[Path]) -> int:
    """Saves every fixture object whose primary key is not in its table yet; returns how many.

    Files are read in the order given and objects saved in file order, as loaddata would, but
    rows that exist are never touched, and many-to-many links are set only for rows added here.
    One query per model and file finds the keys already there. All or nothing: a clash with a
    row already in the database adds nothing and says which object clashed.
    """
    added_models = set()
    added = 0
    with transaction.atomic():
        for path in paths:
            with path.open(encoding="utf-8") as stream:
                objects = list(serializers.deserialize("json", stream))
            for item in _missing(objects, path):
                try:
                    item.save()  # a raw save, as loaddata does, with its many-to-many links
                except IntegrityError as error:
                    raise CommandError(
                        f"{path.name}: {item.object._meta.label} {item.object.pk} clashes with a "
                        f"row already in the database ({_one_line(error)}). Nothing was added."
                    ) from error
                added_models.add(type(item.object))
                added += 1
        _reset_sequences(added_models)
    return added


def _missing(objects: list, path: Path) -> list:
    """The deserialized objects whose primary key is absent from their table, in file order."""
    keys = defaultdict(list)
    for item in objects:
        if item.object.pk is None:
            raise CommandError(f'{path.name}: every object needs a primary key ("pk").')
        keys[type(item.object)].append(item.object.pk)
    existing = {
        model: set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
        for model, pks in keys.items()
    }
    return [item for item in objects if item.object.pk not in existing[type(item.object)]]


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _reset_sequences(models: set) -> None:
    """Rows saved with explicit keys leave PostgreSQL's sequences behind; move them on."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


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
        password = password or secrets.token_urlsafe(12)
        try:
            with transaction.atomic():
                # Accounts first: demo fixtures may name them (by user name).
                accounts = [self._account(*spec, password=password) for spec in DEMO_ACCOUNTS]
                added = fixtures_add_missing(files)
        except IntegrityError as error:  # a deferred foreign key, checked at commit
            raise CommandError(
                f"The fixtures do not fit the rows already in the database ({_one_line(error)}). "
                "Nothing was added."
            ) from error
        # Apps finish what their fixtures need (reports publishes the papers marked published).
        finished = [line for _, line in demo_loaded.send(sender=self.__class__) if line]
        if background_queue_run():
            finished.append("Rendered what that queued for the background worker.")
        self.stdout.write(
            f"Loaded {len(files)} fixture file(s) from fixtures/: added {added} missing row(s); "
            "rows already there were left as they are."
        )
        for line in finished:
            self.stdout.write(line)
        self.stdout.write("Demo sign-ins (at /accounts/login/):")
        for username, role in accounts:
            self.stdout.write(f"  {username:<9} {password:<20} {role}")

    def _account(self, username, full_name, role, *, password):
        """Makes the account the first time; later runs only set its password."""
        first_name, last_name = full_name.split(" ", 1)
        user, created = get_user_model().objects.get_or_create(
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
        if created and role is not None:
            user.groups.set([Group.objects.get(name=role)])
        return username, _holds(user)


def _holds(user) -> str:
    """What the account may do now, which may differ from the demo's if someone changed it."""
    if user.is_superuser:
        held = "superuser (administration pages)"
    else:
        held = ", ".join(role.name for role in roles_of(user)) or "no role"
    return held if user.is_active else f"{held} (deactivated: cannot sign in)"
