"""Records in and out as spreadsheets (CSV and Excel .xlsx): export, a template, a preview and
an import, for each kind of record an app registers.

An app registers its kinds from its `AppConfig.ready()` with `register_kind(TransferKind(...))`,
naming its resource by dotted path (a `TransferResource`, i.e. a django-import-export
`ModelResource` with the portal's rules), so this module names no app above it. Then:

- `transfer_kinds()`: the registered kinds, in their order;
- `transfer_export(kind, fmt, user=None)`: the records of the kind (those `user` may see) as
  a file (bytes);
- `transfer_template(kind, fmt)`: the headers and one illustrative example row;
- `transfer_preview(kind, data, fmt, user)`: what an import would create, change and leave
  alone, and every row's errors, with nothing written;
- `transfer_import(kind, data, fmt, user)`: the same, written in one transaction, and only if
  every row is valid. A kind marked `public` (its records are public the moment they are
  written) is imported only by a holder of CONFIRM_IMPORT (approvers): staff send the file to
  an approver (pcc_portal.import_requests).

Rows are matched by natural keys (the resource's `import_id_fields`), so importing a file again
changes nothing. Every write goes through `record_save`: the model's validation, the version
(lost updates), history with the user and "Imported from a spreadsheet", and the publication
gate (a change to a published record waits for an approver, counted as `held`). `user` is None
for the management commands (the history then names nobody) and otherwise must hold the kind's
permissions. Row numbers count as a spreadsheet does: the headers are row 1.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from import_export.resources import ModelResource
from import_export.results import RowResult

from pcc_portal.permissions import CONFIRM_IMPORT
from pcc_portal.publication import held_root
from pcc_portal.services import record_save
from pcc_portal.transfer_widgets import KeyWidget

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
IMPORT_REASON = "Imported from a spreadsheet"


class TransferError(Exception):
    """The request cannot be done at all (unknown kind or format, unreadable file): the message
    says why in words."""


@dataclass(frozen=True)
class TransferKind:
    key: str  # what the commands and addresses call it: "awards"
    label: str  # "Awards"
    resource: str  # dotted path of its TransferResource
    permissions: tuple[str, ...] = ()  # what a user needs to import it
    position: int = 100  # where it stands in lists of kinds
    hint: str = ""  # one sentence on what a row is and how rows are matched
    list_url: str = ""  # the URL name of the page listing these records, if there is one
    # Public the moment they are written (no draft, no publication): only a holder of
    # CONFIRM_IMPORT (approvers) may import them; staff send the file to an approver instead.
    public: bool = False


_KINDS: dict[str, TransferKind] = {}


def register_kind(kind: TransferKind) -> None:
    _KINDS[kind.key] = kind


def transfer_kinds() -> list[TransferKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.position, kind.key))


def transfer_kind(key: str) -> TransferKind:
    try:
        return _KINDS[key]
    except KeyError:
        known = ", ".join(kind.key for kind in transfer_kinds())
        raise TransferError(
            f"“{key}” is not a kind of record to import or export: use one of {known}"
        ) from None


def format_of(filename: str) -> str:
    """The format a file name's extension names: "csv" or "xlsx"."""
    suffix = PurePath(str(filename)).suffix.lower()
    if suffix not in FORMATS:
        raise TransferError(
            f"“{PurePath(str(filename)).name}” is not a CSV (.csv) or Excel (.xlsx) file: save "
            "the spreadsheet in one of those formats"
        )
    return FORMATS[suffix]


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the headers are row 1
    column: str  # "" when the error is the row's as a whole
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"Row {self.row}, column {self.column}: {self.message}"
        return f"Row {self.row}: {self.message}"


@dataclass(frozen=True)
class RowDone:
    row: int
    name: str  # the record, as the portal names it
    columns: tuple[str, ...] = ()  # for a changed record: the columns whose value changed


@dataclass
class Preview:
    """What an import does (or would do) with each row of a file."""

    kind: str
    created: list[RowDone] = field(default_factory=list)
    changed: list[RowDone] = field(default_factory=list)
    unchanged: list[RowDone] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    held: int = 0  # changes to published records, waiting for an approver
    # Where approvers publish the held changes: (the published record, its publication page).
    held_in: list[tuple[str, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.changed) + len(self.unchanged)

    def summary(self) -> str:
        text = (
            f"{len(self.created)} created, {len(self.changed)} changed, "
            f"{len(self.unchanged)} left alone"
        )
        if self.held:
            text += f" ({self.held} waiting for an approver)"
        return text


@dataclass
class Result(Preview):
    written: bool = False


class TransferResource(ModelResource):
    """A django-import-export ModelResource with the portal's rules.

    Subclasses declare their fields (each with a widget from pcc_portal.transfer_widgets),
    `Meta.import_id_fields` (the natural key) and `example` (one illustrative row for the
    template, by column). They may override `find(row)` where the key is not one column.
    """

    example: dict[str, str] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False  # record_save validates, once
        use_transactions = True
        skip_html_diff = True
        store_instance = True  # to name the columns a changed row changes

    def __init__(self, *, user=None, reason=IMPORT_REASON, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.reason = reason
        self.held = 0
        self.held_in: dict[str, str] = {}
        self._existing = None

    # --- natural keys ----------------------------------------------------------------
    def key_of(self, instance) -> tuple:
        return tuple(
            self._key_text(self.fields[name].get_value(instance))
            for name in self.get_import_id_fields()
        )

    def key_in(self, row) -> tuple:
        return tuple(
            self._key_text(self.fields[name].widget.clean(row.get(self.fields[name].column_name)))
            for name in self.get_import_id_fields()
        )

    @staticmethod
    def _key_text(value) -> str:
        return "" if value is None else str(value).strip().lower()

    # A resource whose records are found by one key, else another (an organisation by its
    # identifier, else its name) names them here: lookup name -> the record's attribute, or a
    # function of the record, giving that key's text. `find` then calls `find_by`.
    keyed_by: dict = {}

    def existing(self) -> dict:
        """The stored records by natural key, read once per import: by `keyed_by` where the
        resource names its keys so, else by the tuple of its `import_id_fields`."""
        if self._existing is None:
            if self.keyed_by:
                return self.existing_by(self.keyed_by)
            self._existing = {}
            for instance in self.get_queryset().order_by("pk"):
                self._existing.setdefault(self.key_of(instance), instance)
        return self._existing

    def existing_by(self, keys: dict) -> dict[str, dict]:
        """The stored records, read once per import, by each key's text: {lookup name: {text:
        record}}. A record with a blank key is not under that key; where two records share a
        key, the older (lower pk) is found."""
        if self._existing is None:
            self._existing = {name: {} for name in keys}
            for record in self.get_queryset().order_by("pk"):
                for name, key in keys.items():
                    text = self._key_text(key(record) if callable(key) else getattr(record, key))
                    if text:
                        self._existing[name].setdefault(text, record)
        return self._existing

    def remember(self, instance) -> None:
        """Makes a record saved during the import findable by the rows after it, by each of
        `keyed_by`'s keys, without reading the table again. A key an older record already
        holds keeps finding that one, as when the records are read."""
        if self._existing is None or not self.keyed_by:
            return  # not read yet: the first lookup reads it with the rest
        for name, key in self.keyed_by.items():
            text = self._key_text(key(instance) if callable(key) else getattr(instance, key))
            if text:
                self._existing[name].setdefault(text, instance)

    def find_by(self, *tries: tuple[str, object]):
        """The stored record the first of `tries` ((lookup name, the row's value) pairs, in
        turn) finds, or None: blank values are passed over."""
        existing = self.existing()
        for name, value in tries:
            text = self._key_text(value)
            if text and (found := existing[name].get(text)) is not None:
                return found
        return None

    def find(self, row):
        """The stored record this row is about, or None for a new one."""
        try:
            key = self.key_in(row)
        except ValueError:
            return None  # the cell's error is reported when the row is read
        if not any(key):
            return None
        return self.existing().get(key)

    def get_instance(self, instance_loader, row):
        return self.find(row)

    def before_import(self, dataset, **kwargs):
        self._existing = None
        for f in self.fields.values():
            if isinstance(f.widget, KeyWidget):
                f.widget.forget()

    def after_import_row(self, row, row_result, **kwargs):
        original, instance = row_result.original, row_result.instance
        row_result.changed_columns = ()
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE and original and instance:
            row_result.changed_columns = tuple(
                f.column_name
                for f in self.get_import_fields()
                if f.get_value(original) != f.get_value(instance)
            )
        row_result.instance = row_result.original = None  # not kept for the whole file

    # --- writes ----------------------------------------------------------------------
    def do_instance_save(self, instance, is_create):
        record_save(
            instance=instance,
            user=self.user,
            reason=self.reason,
            checked=self.checked_relations(instance),
        )
        if getattr(instance, "held_for_approval", False):
            self.held += 1
            root = held_root(instance)
            if root is not None and hasattr(root, "get_publication_url"):
                self.held_in.setdefault(root.get_publication_url(), str(root))

    def checked_relations(self, instance) -> list[str]:
        """The relations a KeyWidget set from the records it read (so they exist): validation
        need not query each again. A relation a constraint names, or one with limited
        choices, is still checked in full."""
        constrained = set()
        for constraint in instance._meta.constraints:
            constrained.update(getattr(constraint, "fields", ()) or ())
            if getattr(constraint, "condition", None) is not None:
                constrained.update(constraint.condition.referenced_base_fields)
        for together in instance._meta.unique_together:
            constrained.update(together)
        checked = []
        for f in self.get_import_fields():
            if not isinstance(f.widget, KeyWidget) or not f.attribute or f.attribute in constrained:
                continue
            relation = instance._meta.get_field(f.attribute)
            if relation.get_limit_choices_to() or getattr(instance, relation.attname) is None:
                continue
            checked.append(f.attribute)
        return checked

    def export_queryset(self):
        """What an export holds, in a stable order: with a user, only what they may see (the
        model's `visible_to`, where it has one)."""
        records = self.get_queryset()
        if self.user is not None and hasattr(records, "visible_to"):
            records = records.visible_to(self.user)
        return records.order_by("pk")

    # --- columns ---------------------------------------------------------------------
    def columns(self) -> list[str]:
        return [f.column_name for f in self.get_export_fields()]

    def required_columns(self) -> list[str]:
        return self.columns()

    def column_of(self, attribute: str) -> str:
        for f in self.fields.values():
            if f.attribute == attribute or f.column_name == attribute:
                return f.column_name
        return ""


def _resource(kind: TransferKind, user=None, reason=IMPORT_REASON) -> TransferResource:
    return import_string(kind.resource)(user=user, reason=reason)


def _bytes(dataset: tablib.Dataset, fmt: str) -> bytes:
    exported = dataset.export(fmt)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def transfer_export(kind: str, fmt: str, user=None) -> bytes:
    """Every record of `kind` as a file in `fmt` ("csv" or "xlsx"), headers first: those
    `user` may see, or all of them for the command line (no user)."""
    transfer_kind(kind)
    resource = _resource(_KINDS[kind], user)
    return _bytes(resource.export(resource.export_queryset()), _format(fmt))


def transfer_template(kind: str, fmt: str) -> bytes:
    """The headers of `kind` and one illustrative example row, to fill in."""
    transfer_kind(kind)
    resource = _resource(_KINDS[kind])
    columns = resource.columns()
    dataset = tablib.Dataset(headers=columns)
    dataset.append([resource.example.get(column, "") for column in columns])
    return _bytes(dataset, _format(fmt))


def _format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if f".{fmt}" not in FORMATS:
        raise TransferError(f"“{fmt}” is not a format the portal reads: use csv or xlsx")
    return fmt


def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def _dataset(data: bytes, fmt: str) -> tuple[tablib.Dataset, list[int]]:
    """The file's rows, and the number the spreadsheet gives each: wholly empty rows (such as
    a spreadsheet's trailing lines) and columns without a header or a value are left out, but
    rows are numbered as the spreadsheet shows them."""
    fmt = _format(fmt)
    try:
        if fmt == "csv":
            # Read as tablib does, but keeping empty lines, so rows keep their numbers.
            lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            headers, rows = (lines[0], lines[1:]) if lines else ([], [])
        else:
            sheet = tablib.Dataset().load(data, format="xlsx")
            headers, rows = list(sheet.headers or []), [list(row) for row in sheet]
    except UnicodeDecodeError:
        raise TransferError(
            "The file is not UTF-8 text: save it as “CSV UTF-8” or as an Excel workbook"
        ) from None
    except Exception as error:
        raise TransferError(f"The file could not be read as {fmt.upper()}: {error}") from None
    headers = [("" if h is None else str(h)).strip() for h in headers]
    width = len(headers)
    rows = [row + [""] * (width - len(row)) for row in rows]
    for number, row in enumerate(rows, start=2):
        if any(not _blank(value) for value in row[width:]):
            raise TransferError(f"Row {number} has more cells than there are column headers")
    used = [i for i, header in enumerate(headers) if header or any(not _blank(r[i]) for r in rows)]
    if not used:
        raise TransferError("The file is empty: its first row must hold the column headers")
    dataset, numbers = tablib.Dataset(headers=[headers[i] for i in used]), []
    for number, row in enumerate(rows, start=2):
        if any(not _blank(value) for value in row):
            dataset.append([row[i] for i in used])
            numbers.append(number)
    return dataset, numbers


def _column_errors(resource: TransferResource, headers: list[str]) -> list[RowError]:
    errors = []
    known = resource.columns()
    for column in resource.required_columns():
        if column not in headers:
            errors.append(RowError(1, column, "the column is missing: add it to the headers"))
    for column in headers:
        if column and column not in known:
            errors.append(
                RowError(1, column, f"not a column of this import: use {', '.join(known)}")
            )
        if not column:
            errors.append(RowError(1, "", "a column has no header"))
    return errors


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {NON_FIELD_ERRORS: error.messages}


def may_confirm(kind: TransferKind, user) -> bool:
    """Whether `user` may write an import of `kind` themselves: anyone holding the kind's
    permissions, but for a public kind only a holder of CONFIRM_IMPORT too (None: the
    management commands, run by whoever runs the server)."""
    if user is None:
        return True
    if not all(user.has_perm(p) for p in kind.permissions):
        return False
    return not kind.public or user.has_perm(CONFIRM_IMPORT)


def _run(kind: str, data: bytes, fmt: str, user, *, write: bool, reason=IMPORT_REASON) -> Result:
    spec = transfer_kind(kind)
    if user is not None and not all(user.has_perm(p) for p in spec.permissions):
        raise PermissionDenied(f"You cannot import {spec.label.lower()}.")
    if write and not may_confirm(spec, user):
        raise PermissionDenied(
            f"{spec.label} are public once written: an approver confirms their import."
        )
    dataset, numbers = _dataset(data, fmt)
    resource = _resource(spec, user, reason)
    outcome = Result(kind=kind)
    outcome.errors = _column_errors(resource, dataset.headers)
    if outcome.errors:
        return outcome
    with transaction.atomic():
        result = (
            resource.import_data(
                dataset, dry_run=True, use_transactions=True, rollback_on_validation_errors=True
            )
            if not write
            else resource.import_data(
                dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
            )
        )
        for number, row in zip(numbers, result.rows, strict=True):
            done = RowDone(number, row.object_repr or "")
            if row.import_type == RowResult.IMPORT_TYPE_NEW:
                outcome.created.append(done)
            elif row.import_type == RowResult.IMPORT_TYPE_UPDATE:
                columns = getattr(row, "changed_columns", ())
                outcome.changed.append(RowDone(number, done.name, columns))
            elif row.import_type == RowResult.IMPORT_TYPE_SKIP:
                outcome.unchanged.append(done)
            elif row.validation_error is not None:
                for name, messages in _messages(row.validation_error).items():
                    column = "" if name == NON_FIELD_ERRORS else resource.column_of(name) or name
                    outcome.errors.extend(RowError(number, column, m) for m in messages)
            for error in row.errors:
                outcome.errors.append(RowError(number, "", _error_text(error.error)))
        for error in result.base_errors:
            outcome.errors.append(RowError(1, "", _error_text(error.error)))
        outcome.held = resource.held
        outcome.held_in = [(name, url) for url, name in resource.held_in.items()]
        if outcome.errors or not write:
            transaction.set_rollback(True)
        else:
            outcome.written = True
    return outcome


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return f"the row could not be saved ({error})"


def transfer_preview(kind: str, data: bytes, fmt: str, user) -> Preview:
    """What importing `data` would create, change and leave alone, and its rows' errors: the
    import runs in a transaction that is rolled back, so nothing is written."""
    return _run(kind, data, fmt, user, write=False)


def transfer_import(kind: str, data: bytes, fmt: str, user, *, reason=IMPORT_REASON) -> Result:
    """Imports `data` in one transaction: written only if every row is valid (`written`).
    For a public kind `user` must hold CONFIRM_IMPORT (PermissionDenied otherwise). `reason`
    is what the records' history says of the change."""
    return _run(kind, data, fmt, user, write=True, reason=reason)
