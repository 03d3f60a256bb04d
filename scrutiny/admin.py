from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pcc_portal.admin_mixins import WorkflowReadOnlyAdmin
from scrutiny.models import (
    Action,
    ActionNote,
    PanelMeeting,
    Recommendation,
    ScrutinyMeeting,
    ScrutinyPaper,
    ScrutinyTopic,
    TaskGroup,
)


class TopicInline(admin.StackedInline):
    model = ScrutinyTopic
    extra = 0
    filter_horizontal = ["priorities"]


class PaperInline(admin.TabularInline):
    model = ScrutinyPaper
    extra = 0


@admin.register(ScrutinyMeeting)
class ScrutinyMeetingAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "starts_at", "kind", "status", "published"]
    list_filter = ["kind", "status", "published"]
    search_fields = ["title", "note", "chair"]
    date_hierarchy = "starts_at"
    inlines = [TopicInline, PaperInline]
    workflow_fields = ("published", "published_at", "published_by")


@admin.register(ScrutinyTopic)
class ScrutinyTopicAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "meeting", "order"]
    list_filter = ["priorities"]
    search_fields = ["title", "summary"]


@admin.register(ScrutinyPaper)
class ScrutinyPaperAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "received_from"]
    search_fields = ["title", "received_from"]


class NoteInline(admin.TabularInline):
    model = ActionNote
    extra = 0


@admin.register(Action)
class ActionAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_date", "status", "meeting", "task_group"]
    list_filter = ["status", "priority"]
    search_fields = ["description", "owner"]
    inlines = [NoteInline]


@admin.register(PanelMeeting)
class PanelMeetingAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["starts_at", "venue", "status", "has_exempt_items"]
    list_filter = ["status", "has_exempt_items"]
    search_fields = ["venue"]
    date_hierarchy = "starts_at"
    workflow_fields = ("published", "published_at", "published_by")


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0


@admin.register(TaskGroup)
class TaskGroupAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "chair", "status", "follow_up_date"]
    list_filter = ["status"]
    search_fields = ["title", "chair", "findings"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RecommendationInline]
    workflow_fields = ("published", "published_at", "published_by")


@admin.register(Recommendation)
class RecommendationAdmin(WorkflowReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["task_group", "number", "status"]
    list_filter = ["status", "task_group"]
    search_fields = ["text", "response"]
