from django.urls import path

from scrutiny import calendar, feeds
from scrutiny.views import actions, landing, meetings, members, panel

app_name = "scrutiny"

urlpatterns = [
    path("", landing.ScrutinyIndexView.as_view(), name="index"),
    path("meetings/", meetings.MeetingListView.as_view(), name="meetings"),
    path("meetings/calendar.ics", calendar.scrutiny_calendar_feed, name="meetings_calendar"),
    path("meetings/feed/", feeds.ScrutinyMeetingFeed(), name="meetings_feed"),
    path("meetings/new/", meetings.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.MeetingUpdateView.as_view(), name="meeting_edit"),
    path(
        "meetings/<int:pk>/publish/",
        meetings.MeetingPublicationView.as_view(),
        name="meeting_publish",
    ),
    path(
        "meetings/<int:pk>/publish/files/<slug:key>/",
        meetings.MeetingPublicationFileView.as_view(),
        name="meeting_publish_file",
    ),
    path("meetings/<int:pk>/topics/new/", meetings.TopicCreateView.as_view(), name="topic_create"),
    path("topics/<int:pk>/edit/", meetings.TopicUpdateView.as_view(), name="topic_edit"),
    path("topics/<int:pk>/delete/", meetings.TopicDeleteView.as_view(), name="topic_delete"),
    path("meetings/<int:pk>/papers/new/", meetings.PaperCreateView.as_view(), name="paper_create"),
    path("papers/<int:pk>/", meetings.PaperDownloadView.as_view(), name="paper"),
    path("papers/<int:pk>/delete/", meetings.PaperDeleteView.as_view(), name="paper_delete"),
    path(
        "meetings/<int:pk>/actions/new/",
        actions.ActionCreateView.as_view(),
        name="meeting_action_create",
    ),
    path("actions/", actions.ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/", actions.ActionDetailView.as_view(), name="action"),
    path("actions/<int:pk>/edit/", actions.ActionUpdateView.as_view(), name="action_edit"),
    path("actions/<int:pk>/notes/", actions.ActionNoteCreateView.as_view(), name="action_note"),
    path("panel/", panel.PanelMeetingListView.as_view(), name="panel_meetings"),
    path("panel/calendar.ics", calendar.panel_calendar_feed, name="panel_calendar"),
    path("panel/feed/", feeds.PanelMeetingFeed(), name="panel_feed"),
    path("panel/new/", panel.PanelMeetingCreateView.as_view(), name="panel_meeting_create"),
    path("panel/members/", members.PanelMemberListView.as_view(), name="panel_members"),
    path("panel/members/new/", members.PanelMemberCreateView.as_view(), name="panel_member_create"),
    path("panel/members/<int:pk>/", members.PanelMemberDetailView.as_view(), name="panel_member"),
    path(
        "panel/members/<int:pk>/edit/",
        members.PanelMemberUpdateView.as_view(),
        name="panel_member_edit",
    ),
    path(
        "panel/members/<int:pk>/publish/",
        members.PanelMemberPublicationView.as_view(),
        name="panel_member_publish",
    ),
    path(
        "panel/<isodate:date>/attendance/",
        members.AttendanceView.as_view(),
        name="panel_meeting_attendance",
    ),
    path(
        "panel/<isodate:date>/declarations/new/",
        members.DeclarationCreateView.as_view(),
        name="declaration_create",
    ),
    path(
        "panel/<isodate:date>/declarations/<int:pk>/remove/",
        members.DeclarationDeleteView.as_view(),
        name="declaration_remove",
    ),
    path("panel/<isodate:date>/minutes/", members.MinutesEditView.as_view(), name="minutes_edit"),
    path(
        "panel/<isodate:date>/minutes/approve/",
        members.MinutesApproveView.as_view(),
        name="minutes_approve",
    ),
    path(
        "panel/<isodate:date>/minutes.pdf",
        members.MinutesDownloadView.as_view(),
        name="minutes_pdf",
    ),
    path("panel/<isodate:date>/", panel.PanelMeetingDetailView.as_view(), name="panel_meeting"),
    path(
        "panel/<isodate:date>/edit/",
        panel.PanelMeetingUpdateView.as_view(),
        name="panel_meeting_edit",
    ),
    path(
        "panel/<isodate:date>/publish/",
        panel.PanelMeetingPublicationView.as_view(),
        name="panel_meeting_publish",
    ),
    path(
        "panel/<isodate:date>/agenda/new/",
        panel.AgendaItemCreateView.as_view(),
        name="agenda_item_create",
    ),
    path(
        "panel/<isodate:date>/agenda/standard/",
        panel.AgendaStartView.as_view(),
        name="agenda_start",
    ),
    path(
        "panel/<isodate:date>/agenda/<int:pk>/edit/",
        panel.AgendaItemUpdateView.as_view(),
        name="agenda_item_edit",
    ),
    path(
        "panel/<isodate:date>/agenda/<int:pk>/remove/",
        panel.AgendaItemDeleteView.as_view(),
        name="agenda_item_remove",
    ),
    path(
        "panel/<isodate:date>/agenda/<int:pk>/move/<str:direction>/",
        panel.AgendaItemMoveView.as_view(),
        name="agenda_item_move",
    ),
    path("task-groups/", panel.TaskGroupListView.as_view(), name="task_groups"),
    path("task-groups/new/", panel.TaskGroupCreateView.as_view(), name="task_group_create"),
    path("task-groups/<slug:slug>/", panel.TaskGroupDetailView.as_view(), name="task_group"),
    path(
        "task-groups/<slug:slug>/edit/",
        panel.TaskGroupUpdateView.as_view(),
        name="task_group_edit",
    ),
    path(
        "task-groups/<slug:slug>/publish/",
        panel.TaskGroupPublicationView.as_view(),
        name="task_group_publish",
    ),
    path(
        "task-groups/<slug:slug>/recommendations/new/",
        panel.RecommendationCreateView.as_view(),
        name="recommendation_create",
    ),
    path(
        "task-groups/<slug:slug>/actions/new/",
        actions.ActionCreateView.as_view(),
        name="task_group_action_create",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        panel.RecommendationUpdateView.as_view(),
        name="recommendation_edit",
    ),
    path("calendar.ics", calendar.calendar_feed, name="calendar"),
]
