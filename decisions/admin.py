from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decisions.models import Decision, Duty, ForwardPlanEntry, ReferenceCounter
from pcc_portal.admin_mixins import ReadOnlyAdmin, WorkflowReadOnlyAdmin


@admin.register(Decision)
class DecisionAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "decision_date", "decision_maker", "status"]
    list_filter = ["status", "decision_maker", "significant_public_interest"]
    search_fields = ["reference", "title", "summary"]
    workflow_fields = ("status",)


@admin.register(ForwardPlanEntry)
class ForwardPlanEntryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "expected_month", "decision_maker", "published"]
    search_fields = ["title", "summary"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdmin):
    """Only signing moves a counter: a number once given is never given again."""

    list_display = ["financial_year", "last_number"]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    """The register's duties are data: another office adjusts the list and frequencies here."""

    list_display = ["title", "frequency", "source", "order"]
    search_fields = ["title", "legal_basis"]
    prepopulated_fields = {"slug": ["title"]}
