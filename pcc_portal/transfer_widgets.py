"""How one spreadsheet cell becomes a value and back, for the transfer layer's resources.

Each widget reads a cell as staff write it in a spreadsheet (CSV text, or an Excel cell's own
number or date) and raises ValueError with a sentence saying what to write instead; the
transfer layer reports it with the row and the column. Each writes the value back so the same
file imports again unchanged.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from import_export.widgets import Widget

# A spreadsheet runs a cell starting with one of these as a formula: an export puts a quote
# mark before such text, and an import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(Widget):
    """Text, trimmed; blank is "" (or None where the field allows null)."""

    def __init__(self, *, null: bool = False):
        super().__init__()
        self.null = null

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None if self.null else ""
        text = str(value).strip()
        if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
            text = text[1:]
        return text

    def render(self, value, obj=None, **kwargs):
        text = "" if value is None else str(value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text


class AmountWidget(Widget):
    """Pounds as spreadsheets write them: 1275000, 1275000.50, £1,275,000. Shorthand such as
    1.18m and negative amounts are refused: the portal never guesses what a figure meant."""

    PLAIN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?", re.ASCII)
    SHORTHAND = re.compile(r"\d\s*(?:k|m|bn|b|mn|million|thousand|billion)\.?$", re.IGNORECASE)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(
                f"Enter the amount in pounds, like 1275000 or £1,275,000, not “{value}”"
            )
        if isinstance(value, int | float | Decimal):
            amount = Decimal(str(value))
            if amount < 0:
                raise ValueError(f"Enter an amount of £0.01 or more: “{value}” is negative")
            if amount != amount.quantize(Decimal("0.01")):
                raise ValueError(f"Enter the amount to the penny at most: “{value}”")
            return amount.quantize(Decimal("0.01"))
        text = str(value).strip()
        compact = text.replace(" ", "").replace("\u00a0", "")
        if compact.startswith(("-", "(", "−", "£-", "£−")) or compact.endswith(")"):
            raise ValueError(f"Enter an amount of £0.01 or more: “{text}” is negative")
        if self.SHORTHAND.search(compact):
            raise ValueError(
                f"Write the amount in full, like 1180000 or £1,180,000: “{text}” is shorthand "
                "the portal does not guess at"
            )
        digits = compact.removeprefix("£")
        if not self.PLAIN.fullmatch(digits):
            raise ValueError(
                f"Enter the amount in pounds, like 1275000 or £1,275,000, not “{text}”"
            )
        try:
            return Decimal(digits.replace(",", "")).quantize(Decimal("0.01"))
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"Enter the amount in pounds, not “{text}”") from error

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:.2f}"


class WholeNumberWidget(Widget):
    """A whole number of 0 or more (an Excel cell may hold it as 12.0)."""

    def __init__(self, *, what: str = "a whole number"):
        super().__init__()
        self.what = what

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip().replace(",", "")
        if not text.isdigit():
            raise ValueError(f"Enter {self.what}, like 12, not “{value}”")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(Widget):
    """A date as 2021-03-31 or 31/03/2021 (or an Excel date); written back as 2021-03-31."""

    UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
    ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if match := self.ISO.fullmatch(text):
            year, month, day = match.groups()
        elif match := self.UK.fullmatch(text):
            day, month, year = match.groups()
        else:
            raise ValueError(f"Enter the date like 31/03/2021 or 2021-03-31, not “{text}”")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValueError(f"“{text}” is not a real date") from error

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


class ChoiceWidget(Widget):
    """One of a field's choices, by its words ("Bid submitted") or its code
    ("bid_submitted"), in any case; written back in words."""

    def __init__(self, choices, *, null: bool = False):
        super().__init__()
        self.choices = list(choices)
        self.null = null
        self.by_text = {}
        for code, label in self.choices:
            self.by_text[str(code).lower()] = code
            self.by_text[str(label).lower()] = code

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None if self.null else ""
        code = self.by_text.get(str(value).strip().lower())
        if code is None:
            words = ", ".join(f"“{label}”" for _, label in self.choices)
            raise ValueError(f"Choose one of {words}, not “{value}”")
        return code

    def render(self, value, obj=None, **kwargs):
        return next((str(label) for code, label in self.choices if code == value), value or "")


class YesNoWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(f"Enter yes or no, not “{value}”")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class KeyWidget(Widget):
    """A record of another table named by its natural key: the cell may hold any of `keys`
    (fields tried in turn, e.g. an organisation's identifier, then its name); written back as
    `shown`. The records are read once per import, not once per row."""

    def __init__(self, model, keys: tuple[str, ...], *, shown: str, noun: str, hint: str = ""):
        super().__init__()
        self.model = model
        self.keys = keys
        self.shown = shown
        self.noun = noun
        self.hint = hint
        self._found = None

    def forget(self) -> None:
        """Reads the records again at the next lookup (each import starts afresh)."""
        self._found = None

    def remember(self, record) -> None:
        """Makes a record saved during the import findable by the rows after it (a division
        named as the parent of the local authorities below it), without reading every record
        again. A key another record already holds keeps finding that one."""
        if self._found is None:
            return  # not read yet: the first lookup reads it with the rest
        for key in self.keys:
            value = getattr(record, key)
            if value:
                self._found.setdefault((key, str(value).strip().lower()), record)

    def _lookup(self) -> dict:
        if self._found is None:
            found = {}
            for record in self.model._default_manager.all():
                for key in reversed(self.keys):  # the first key wins where two records clash
                    value = getattr(record, key)
                    if value:
                        found[(key, str(value).strip().lower())] = record
            self._found = found
        return self._found

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        text = str(value).strip()
        found = self._lookup()
        for key in self.keys:
            if (record := found.get((key, text.lower()))) is not None:
                return record
        raise ValueError(f"No {self.noun} “{text}” is in the portal{self.hint}")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.shown))
