"""Areas, quarterly figures and whole plans as spreadsheet rows (see pcc_portal.transfer).

Natural keys, so a file imports again without change: an area by its GSS code, or by its web
address name (slug) where it has none (a police division); a quarterly figure by its measure
(plan, priority and measure number) and its quarter; a plan's rows by the plan's slug, a
priority's slug within it, and a commitment's or measure's number within its priority. A plan
is one sheet, a `record` column saying what each row is (plan, priority, commitment, measure),
each row below the one it belongs to. The examples are illustrative, for the templates only.
"""

import json
import re
from decimal import Decimal, InvalidOperation
from functools import cache

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import slugify
from import_export.fields import Field
from import_export.results import RowResult
from import_export.widgets import Widget

from pcc_portal.transfer import TransferResource
from pcc_portal.transfer_widgets import (
    ChoiceWidget,
    KeyWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    blank,
)
from plan.models import (
    Area,
    Commitment,
    MeasureUpdate,
    OutcomeMeasure,
    Plan,
    Priority,
    ReportingPeriod,
)
from plan.services import measure_update_import_refusal, measure_update_import_save

# The areas whose GSS codes the portal knows, with their names: a row giving one of these codes
# must give its name too, so a mistyped code cannot rename another area.
KNOWN_AREAS_FIXTURE = "020_areas_lancashire.json"
GSS_CODE = re.compile(r"[A-Z]\d{8}", re.ASCII)


@cache
def known_area_names() -> dict[str, str]:
    """GSS code -> the area's name, as the portal's areas fixture records them."""
    path = settings.BASE_DIR / "fixtures" / KNOWN_AREAS_FIXTURE
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {
        row["fields"]["gss_code"]: row["fields"]["name"]
        for row in rows
        if row["model"] == "plan.area" and row["fields"].get("gss_code")
    }


class GssCodeWidget(TextWidget):
    """A GSS code: a capital letter and eight digits, like E07000117 (blank for a division)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs).upper()
        if text and not GSS_CODE.fullmatch(text):
            raise ValueError(
                f"Enter the GSS code as a letter and eight digits, like E07000117, not “{text}”"
            )
        return text


class NumberWidget(Widget):
    """A figure as spreadsheets write it: 1250, 1,250, 12.5, 80% or -3 (to two decimal
    places); blank for none."""

    PLAIN = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?", re.ASCII)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(f"Enter a number, like 1250 or 12.5, not “{value}”")
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
            if number != number.quantize(Decimal("0.01")):
                raise ValueError(f"Enter the figure to two decimal places at most: “{value}”")
            return number.quantize(Decimal("0.01"))
        text = str(value).strip()
        compact = text.replace(" ", "").replace("\u2212", "-").removesuffix("%")
        if not self.PLAIN.fullmatch(compact):
            raise ValueError(f"Enter a number, like 1250 or 12.5, not “{text}”")
        try:
            return Decimal(compact.replace(",", "")).quantize(Decimal("0.01"))
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"Enter a number, not “{text}”") from error

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:.2f}".removesuffix(".00")


class QuarterWidget(Widget):
    """A quarter as 2021-q2 or Q2 2021/22; written back as 2021-q2."""

    SLUG = re.compile(r"(\d{4})-q([1-4])", re.ASCII | re.IGNORECASE)
    LABEL = re.compile(r"q(?:uarter)?\s*([1-4])\s+(\d{4})/(\d{2})", re.ASCII | re.IGNORECASE)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        text = str(value).strip()
        if match := self.SLUG.fullmatch(text):
            year, quarter = int(match[1]), int(match[2])
        elif (match := self.LABEL.fullmatch(text)) and int(match[3]) == (int(match[2]) + 1) % 100:
            year, quarter = int(match[2]), int(match[1])
        else:
            raise ValueError(f"Enter the quarter like 2021-q2 or Q2 2021/22, not “{text}”")
        if not 2000 <= year <= 2100:
            raise ValueError(f"“{text}” is not a quarter the portal can hold")
        return ReportingPeriod.get_or_create_for(year, quarter)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


class AreaResource(TransferResource):
    kind = Field("kind", "kind", ChoiceWidget(Area.Kind.choices))
    name = Field("name", "name", TextWidget())
    slug = Field("slug", "slug", TextWidget())
    gss_code = Field("gss_code", "gss_code", GssCodeWidget())
    parent = Field(
        "parent",
        "parent",
        KeyWidget(
            Area,
            ("slug", "name"),
            shown="slug",
            noun="police division",
            hint=": put the division's row above the local authorities in it",
        ),
    )

    example = {
        "kind": "Local authority",
        "name": "Example District (illustrative)",
        "slug": "example-district",
        "gss_code": "E07999999",
        "parent": "example-division",
    }

    class Meta(TransferResource.Meta):
        model = Area
        fields = ("kind", "name", "slug", "gss_code", "parent")
        import_id_fields = ("gss_code", "slug")

    keyed_by = {"code": "gss_code", "slug": "slug"}

    def find(self, row):
        """By GSS code, else by slug (or the slug the name makes): divisions have no code."""
        if self._key_text(row.get("gss_code")):
            return self.find_by(("code", row.get("gss_code")))
        slug = self._key_text(row.get("slug")) or slugify(str(row.get("name") or ""))
        return self.find_by(("slug", slug))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.slug and instance.name:
            instance.slug = slugify(instance.name)[:100]
        known = known_area_names().get(instance.gss_code or "")
        if known and "name" not in errors and (instance.name or "").strip() != known:
            errors.setdefault("name", []).append(
                f"{instance.gss_code} is {known}'s GSS code: correct the code or the name"
            )
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        super().do_instance_save(instance, is_create)
        if getattr(instance, "held_for_approval", False):
            return  # not saved yet: nothing to find
        # A division added higher up the file may be named as a parent further down: added
        # to what was read rather than read again, so each row costs the same.
        self.fields["parent"].widget.remember(instance)
        self.remember(instance)


class MeasureUpdateResource(TransferResource):
    """One row a measure's figures for one quarter. Only drafts (and returned updates) are
    created or changed, through the plan's own service: a row that would change an update
    submitted, approved or in a locked quarter is an error that says so; such a row left as
    it is (as an export writes it) is left alone."""

    plan = Field(None, "plan", TextWidget())
    priority = Field(None, "priority", TextWidget())
    measure = Field(None, "measure", WholeNumberWidget(what="the measure's number"))
    quarter = Field("period", "quarter", QuarterWidget())
    value = Field("value", "value", NumberWidget())
    comparator_value = Field("comparator_value", "comparator_value", NumberWidget())
    comparator_label = Field("comparator_label", "comparator_label", TextWidget())
    rating = Field("rag", "rating", ChoiceWidget(MeasureUpdate.Rag.choices))
    direction = Field("direction", "direction", ChoiceWidget(MeasureUpdate.Direction.choices))
    commentary = Field("commentary", "commentary", TextWidget())
    rating_explanation = Field("rating_explanation", "rating_explanation", TextWidget())

    example = {
        "plan": "2021-2025",
        "priority": "example-priority",
        "measure": "1",
        "quarter": "2021-q2",
        "value": "1250",
        "comparator_value": "1300",
        "comparator_label": "Same quarter last year",
        "rating": "Green",
        "direction": "Improving",
        "commentary": "Illustrative commentary.",
        "rating_explanation": "",
    }

    class Meta(TransferResource.Meta):
        model = MeasureUpdate
        fields = (
            "plan",
            "priority",
            "measure",
            "quarter",
            "value",
            "comparator_value",
            "comparator_label",
            "rating",
            "direction",
            "commentary",
            "rating_explanation",
        )
        import_id_fields = ("plan", "priority", "measure", "quarter")

    def get_queryset(self):
        return MeasureUpdate.objects.select_related("measure__priority__plan", "period__locked_by")

    def export_queryset(self):
        return (
            super()
            .export_queryset()
            .order_by(
                "measure__priority__plan__start_year",
                "measure__priority__plan__slug",
                "period__financial_year",
                "period__quarter",
                "measure__priority__kind",
                "measure__priority__order",
                "measure__order",
            )
        )

    def dehydrate_plan(self, update):
        return update.measure.priority.plan.slug

    def dehydrate_priority(self, update):
        return update.measure.priority.slug

    def dehydrate_measure(self, update):
        return str(update.measure.order)

    # --- keys ------------------------------------------------------------------------
    @staticmethod
    def _measure_key(plan, priority, order) -> tuple:
        return (str(plan).strip().lower(), str(priority).strip().lower(), str(order).strip())

    def measures(self) -> dict:
        if getattr(self, "_measures", None) is None:
            self._measures = {
                self._measure_key(m.priority.plan.slug, m.priority.slug, m.order): m
                for m in OutcomeMeasure.objects.select_related("priority__plan")
            }
        return self._measures

    def measure_in(self, row):
        try:
            order = self.fields["measure"].widget.clean(row.get("measure"))
        except ValueError:
            return None
        key = self._measure_key(row.get("plan") or "", row.get("priority") or "", order)
        return self.measures().get(key)

    def existing(self) -> dict:
        if self._existing is None:
            self._existing = {
                (u.measure_id, u.period.financial_year, u.period.quarter): u
                for u in self.get_queryset()
            }
        return self._existing

    def find(self, row):
        measure = self.measure_in(row)
        try:
            period = self.fields["quarter"].widget.clean(row.get("quarter"))
        except ValueError:
            return None  # the cell's error is reported when the row is read
        if measure is None or period is None:
            return None
        return self.existing().get((measure.pk, period.financial_year, period.quarter))

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._measures = None

    # --- rows ------------------------------------------------------------------------
    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.rag:
            instance.rag = MeasureUpdate.Rag.NOT_RATED
        if instance.pk is None:
            measure = self.measure_in(row)
            if measure is None:
                where = (
                    f"plan “{row.get('plan') or ''}”, priority “{row.get('priority') or ''}”, "
                    f"measure {row.get('measure') or ''}"
                )
                errors.setdefault("measure", []).append(
                    f"No outcome measure is at {where}: check the plan's and the priority's "
                    "web address names and the measure's number"
                )
            else:
                instance.measure = measure
        if instance.period_id is None and "period" not in errors:
            errors.setdefault("period", []).append("Enter the quarter, like 2021-q2")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.measure_id and instance.period_id:
            refusal = measure_update_import_refusal(update=instance, user=self.user)
            if refusal:
                errors.setdefault(NON_FIELD_ERRORS, []).append(refusal)
        super().validate_instance(instance, errors, validate_unique)

    def do_instance_save(self, instance, is_create):
        measure_update_import_save(update=instance, user=self.user)
        key = (instance.measure_id, instance.period.financial_year, instance.period.quarter)
        self.existing()[key] = instance

    def get_import_fields(self):
        # The key columns are read to find the measure, never written to a record.
        return [f for f in super().get_import_fields() if f.attribute]


# --- a whole plan, one sheet ---------------------------------------------------------------
def _text(row, column) -> str:
    return str(row.get(column) or "").strip().lower()


class _PlanPart(TransferResource):
    """One kind of a plan sheet's rows; the sheet's resource (PlanResource) hands each row to
    the part its `record` cell names."""

    def __init__(self, *, user=None, sheet=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.sheet = sheet

    def export_row(self, instance) -> dict:
        return {f.column_name: self.export_field(f, instance) for f in self.get_export_fields()}


class PlanPart(_PlanPart):
    plan = Field("slug", "plan", TextWidget())
    title = Field("title", "title", TextWidget())
    police_area = Field("police_area", "police_area", TextWidget())
    start_year = Field("start_year", "start_year", WholeNumberWidget(what="a year, like 2021"))
    end_year = Field("end_year", "end_year", WholeNumberWidget(what="a year, like 2025"))
    commissioner = Field("commissioner", "commissioner", TextWidget())
    text = Field("introduction", "text", TextWidget())

    class Meta(TransferResource.Meta):
        model = Plan
        fields = ("plan", "title", "police_area", "start_year", "end_year", "commissioner", "text")
        import_id_fields = ("plan",)

    def find(self, row):
        return Plan.objects.filter(slug__iexact=_text(row, "plan")).first()


class PriorityPart(_PlanPart):
    plan = Field(None, "plan", TextWidget())
    priority = Field("slug", "priority", TextWidget())
    kind = Field("kind", "kind", ChoiceWidget(Priority.Kind.choices))
    order = Field("order", "order", WholeNumberWidget(what="the priority's number"))
    title = Field("title", "title", TextWidget())
    text = Field("summary", "text", TextWidget())

    class Meta(TransferResource.Meta):
        model = Priority
        fields = ("plan", "priority", "kind", "order", "title", "text")
        import_id_fields = ("priority",)

    def dehydrate_plan(self, priority):
        return priority.plan.slug

    def find(self, row):
        return Priority.objects.filter(
            plan__slug__iexact=_text(row, "plan"), slug__iexact=_text(row, "priority")
        ).first()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None:
            plan = Plan.objects.filter(slug__iexact=_text(row, "plan")).first()
            if plan is None:
                errors.setdefault("plan", []).append(
                    f"No plan “{row.get('plan') or ''}” is in the portal or above this row"
                )
            else:
                instance.plan = plan
        if not instance.slug and instance.title:
            instance.slug = slugify(instance.title)[:80]
        if errors:
            raise ValidationError(errors)

    def get_import_fields(self):
        return [f for f in super().get_import_fields() if f.attribute]


class _InPriority(_PlanPart):
    """A row numbered within its priority: a commitment or a measure."""

    def dehydrate_plan(self, record):
        return record.priority.plan.slug

    def dehydrate_priority(self, record):
        return record.priority.slug

    def find(self, row):
        try:
            order = WholeNumberWidget().clean(row.get("order"))
        except ValueError:
            return None
        return (
            self._meta.model.objects.filter(
                priority__plan__slug__iexact=_text(row, "plan"),
                priority__slug__iexact=_text(row, "priority"),
                order=order,
            ).first()
            if order is not None
            else None
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is None:
            priority = Priority.objects.filter(
                plan__slug__iexact=_text(row, "plan"), slug__iexact=_text(row, "priority")
            ).first()
            if priority is None:
                errors.setdefault("priority", []).append(
                    f"No priority “{row.get('priority') or ''}” of plan "
                    f"“{row.get('plan') or ''}” is in the portal or above this row"
                )
            else:
                instance.priority = priority
        if errors:
            raise ValidationError(errors)

    def get_import_fields(self):
        return [f for f in super().get_import_fields() if f.attribute]


class CommitmentPart(_InPriority):
    plan = Field(None, "plan", TextWidget())
    priority = Field(None, "priority", TextWidget())
    order = Field("order", "order", WholeNumberWidget(what="the commitment's number"))
    text = Field("text", "text", TextWidget())

    class Meta(TransferResource.Meta):
        model = Commitment
        fields = ("plan", "priority", "order", "text")
        import_id_fields = ("order",)


class MeasurePart(_InPriority):
    plan = Field(None, "plan", TextWidget())
    priority = Field(None, "priority", TextWidget())
    order = Field("order", "order", WholeNumberWidget(what="the measure's number"))
    title = Field("short_label", "title", TextWidget())
    text = Field("text", "text", TextWidget())
    unit = Field("unit", "unit", TextWidget())
    desired_direction = Field(
        "desired_direction",
        "desired_direction",
        ChoiceWidget(OutcomeMeasure.Direction.choices),
    )
    data_source = Field("data_source", "data_source", TextWidget())
    target = Field("target_value", "target", NumberWidget())
    amber_tolerance = Field("amber_tolerance", "amber_tolerance", NumberWidget())
    active = Field("active", "active", YesNoWidget())

    class Meta(TransferResource.Meta):
        model = OutcomeMeasure
        fields = (
            "plan",
            "priority",
            "order",
            "title",
            "text",
            "unit",
            "desired_direction",
            "data_source",
            "target",
            "amber_tolerance",
            "active",
        )
        import_id_fields = ("order",)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.desired_direction:
            instance.desired_direction = OutcomeMeasure.Direction.NONE


PLAN_PARTS = {
    "plan": PlanPart,
    "priority": PriorityPart,
    "commitment": CommitmentPart,
    "measure": MeasurePart,
}
PLAN_COLUMNS = (
    "record",
    "plan",
    "priority",
    "kind",
    "order",
    "title",
    "text",
    "police_area",
    "start_year",
    "end_year",
    "commissioner",
    "unit",
    "desired_direction",
    "data_source",
    "target",
    "amber_tolerance",
    "active",
)


class PlanResource(TransferResource):
    """A plan, its priorities (local and national), commitments and outcome measures, one row
    each, in one sheet: the `record` column says which, and each row follows the row it
    belongs to. A new plan is a draft: publishing it stays an approver's step in the portal."""

    record = Field(None, "record", TextWidget())

    example = {
        "record": "plan",
        "plan": "example-2025-2029",
        "title": "Example Police and Crime Plan (illustrative)",
        "police_area": "Example Police Area (illustrative)",
        "start_year": "2025",
        "end_year": "2029",
    }

    class Meta(TransferResource.Meta):
        model = Plan
        fields = ("record",)
        import_id_fields = ("record",)

    def __init__(self, *, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.parts = {name: part(user=user, sheet=self) for name, part in PLAN_PARTS.items()}

    def columns(self) -> list[str]:
        return list(PLAN_COLUMNS)

    def required_columns(self) -> list[str]:
        return ["record", "plan", "priority", "order", "title", "text"]

    def column_of(self, attribute: str) -> str:
        return attribute if attribute in PLAN_COLUMNS else ""

    def _check_import_id_fields(self, headers):
        return None  # each part has its own key columns, checked as the sheet's columns

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        for part in self.parts.values():
            part.before_import(dataset, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        name = _text(row, "record")
        part = self.parts.get(name)
        if part is None:
            result = RowResult()
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(
                {
                    "record": "Say what the row is: plan, priority, commitment or measure, "
                    f"not “{row.get('record') or ''}”"
                }
            )
            return result
        full = {column: row.get(column, "") for column in PLAN_COLUMNS}
        result = part.import_row(full, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = ValidationError(
                {
                    (part.column_of(key) or key if key != NON_FIELD_ERRORS else key): messages
                    for key, messages in result.validation_error.message_dict.items()
                }
            )
        self.held = sum(p.held for p in self.parts.values())
        return result

    def export_queryset(self):
        plans = Plan.objects.all()
        if self.user is not None:
            plans = plans.visible_to(self.user)
        return plans.order_by("start_year", "slug")

    def export(self, queryset=None, **kwargs):
        plans = list(self.export_queryset() if queryset is None else queryset)
        dataset = tablib.Dataset(headers=list(PLAN_COLUMNS))
        priorities = Priority.objects.filter(plan__in=plans).select_related("plan")
        commitments = Commitment.objects.filter(priority__in=priorities).select_related(
            "priority__plan"
        )
        measures = OutcomeMeasure.objects.filter(priority__in=priorities).select_related(
            "priority__plan"
        )
        under = {}
        for record in [*commitments.order_by("order"), *measures.order_by("order")]:
            under.setdefault(record.priority_id, []).append(record)
        for plan in plans:
            records = [("plan", plan)]
            for priority in priorities.filter(plan=plan).order_by("kind", "order"):
                records.append(("priority", priority))
                for record in under.get(priority.pk, []):
                    name = "commitment" if isinstance(record, Commitment) else "measure"
                    records.append((name, record))
            for name, record in records:
                values = {"record": name, **self.parts[name].export_row(record)}
                dataset.append([values.get(column, "") for column in PLAN_COLUMNS])
        return dataset
