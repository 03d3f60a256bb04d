from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pcc_portal.admin_mixins import WorkflowReadOnlyAdmin
from plan.models import (
    Area,
    Commitment,
    MeasureUpdate,
    OutcomeMeasure,
    Plan,
    Priority,
    ReportingPeriod,
)


class PriorityInline(admin.TabularInline):
    model = Priority
    fields = ["order", "kind", "title", "slug"]
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "police_area", "start_year", "end_year", "status"]
    list_filter = ["status", "police_area"]
    search_fields = ["title", "police_area", "commissioner"]
    prepopulated_fields = {"slug": ["start_year", "end_year"]}
    inlines = [PriorityInline]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


class OutcomeMeasureInline(admin.StackedInline):
    model = OutcomeMeasure
    fields = [
        "order",
        "text",
        "short_label",
        "unit",
        "desired_direction",
        "target_value",
        "amber_tolerance",
        "lead",
        "data_source",
        "active",
    ]
    extra = 0


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "kind", "order"]
    list_filter = ["plan", "kind"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CommitmentInline, OutcomeMeasureInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["text", "priority", "order"]
    list_filter = ["priority__plan", "priority"]
    search_fields = ["text"]


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(WorkflowReadOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "short_label",
        "priority",
        "order",
        "desired_direction",
        "target_value",
        "lead",
        "active",
    ]
    list_filter = ["priority__plan", "priority", "desired_direction", "active"]
    search_fields = ["text", "short_label", "data_source"]
    list_select_related = ["priority", "lead"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "gss_code", "parent"]
    list_filter = ["kind", "parent"]
    search_fields = ["name", "gss_code"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(WorkflowReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["short_label", "financial_year", "quarter", "locked", "locked_by"]
    list_filter = ["locked", "financial_year"]
    workflow_fields = ("locked", "locked_by", "locked_at")


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["measure", "period", "rag", "direction", "status", "updated_at"]
    list_filter = ["status", "rag", "direction", "period", "measure__priority"]
    search_fields = ["measure__text", "measure__short_label", "commentary"]
    list_select_related = ["measure", "period"]
    readonly_fields = ["created_by", "updated_by"]
    workflow_fields = (
        "status",
        "return_reason",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "returned_by",
        "returned_at",
    )
