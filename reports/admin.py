from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pcc_portal.admin_mixins import ReadOnlyAdmin, WorkflowReadOnlyAdmin
from reports.models import Publication, Report, ReportSection


class SectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0


@admin.register(Report)
class ReportAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "panel_meeting", "kind", "status", "is_exempt"]
    list_filter = ["status", "kind", "is_exempt"]
    search_fields = ["title", "executive_summary"]
    inlines = [SectionInline]
    workflow_fields = ("status",)


@admin.register(ReportSection)
class ReportSectionAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "report", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["heading", "body"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """A published revision never changes: only report_publish() writes one."""

    list_display = ["report", "revision", "published_at", "published_by", "sha256"]
    search_fields = ["report__title", "sha256"]
    readonly_fields = ["report", "revision", "published_at", "published_by", "html", "pdf",
                       "sha256", "page_count", "pdf_size"]  # fmt: skip
