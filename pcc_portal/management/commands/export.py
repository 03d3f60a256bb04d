"""Writes every record of a kind to a CSV or Excel file (the format follows the extension).

manage.py export awards awards.xlsx
manage.py export awards awards-template.csv --template   # headers and one example row
"""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from pcc_portal.transfer import (
    TransferError,
    format_of,
    transfer_export,
    transfer_kind,
    transfer_kinds,
    transfer_template,
)


class Command(BaseCommand):
    help = "Exports every record of KIND to FILE (.csv or .xlsx), ready to import again."

    def add_arguments(self, parser):
        kinds = ", ".join(kind.key for kind in transfer_kinds())
        parser.add_argument("kind", help=f"one of: {kinds}")
        parser.add_argument("file", help="the file to write, ending .csv or .xlsx")
        parser.add_argument(
            "--template",
            action="store_true",
            help="write the headers and one illustrative example row instead of the records",
        )

    def handle(self, *args, kind, file, template, **options):
        try:
            transfer_kind(kind)
            fmt = format_of(file)
            data = (transfer_template if template else transfer_export)(kind, fmt)
        except TransferError as error:
            raise CommandError(str(error)) from None
        Path(file).write_bytes(data)
        what = "template" if template else kind
        self.stdout.write(f"Wrote the {what} to {file}")
