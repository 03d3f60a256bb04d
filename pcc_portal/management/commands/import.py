"""Imports a kind of record from a CSV or Excel file (the format follows the extension).

    manage.py import awards awards.xlsx            # all rows, or nothing if any row is invalid
    manage.py import awards awards.xlsx --dry-run  # what it would do; nothing is written

Prints how many rows were created, changed and left alone, and each invalid row's errors
("Row 4, column amount: ..."), then exits with status 1, having written nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import BaseCommand, CommandError

from pcc_portal.transfer import (
    TransferError,
    format_of,
    transfer_import,
    transfer_kind,
    transfer_kinds,
    transfer_preview,
)


class Command(BaseCommand):
    help = (
        "Imports KIND from FILE (.csv or .xlsx): every row, in one transaction, or nothing if "
        "any row is invalid."
    )

    def add_arguments(self, parser):
        kinds = ", ".join(kind.key for kind in transfer_kinds())
        parser.add_argument("kind", help=f"one of: {kinds}")
        parser.add_argument("file", help="the file to read, ending .csv or .xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and say what would change, writing nothing",
        )
        parser.add_argument(
            "--user",
            help="the user name the records' history names (who must be allowed to import "
            "KIND); without it the history names nobody",
        )

    def handle(self, *args, kind, file, dry_run, user, **options):
        try:
            transfer_kind(kind)
            fmt = format_of(file)
        except TransferError as error:
            raise CommandError(str(error)) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"There is no active user “{user}”")
        run = transfer_preview if dry_run else transfer_import
        try:
            outcome = run(kind, path.read_bytes(), fmt, account)
        except (TransferError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        for error in outcome.errors:
            self.stderr.write(str(error))
        if outcome.errors:
            raise CommandError(
                f"Nothing was imported: {len(outcome.errors)} "
                f"error{'s' if len(outcome.errors) != 1 else ''} in {file}"
            )
        if dry_run:
            self.stdout.write(f"Would import {kind}: {outcome.summary()} (nothing written)")
        else:
            self.stdout.write(f"Imported {kind}: {outcome.summary()}")
