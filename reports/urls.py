from django.urls import path

from reports import compose, feeds, views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="papers"),
    path("feed/", feeds.PaperFeed(), name="feed"),
    path("new/", compose.ReportCreateView.as_view(), name="paper_create"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="paper"),
    path("<int:pk>.pdf", views.ReportPDFView.as_view(), name="paper_pdf"),
    path("<int:pk>/revisions/", views.RevisionsView.as_view(), name="paper_revisions"),
    path("<int:pk>/changes/", views.ChangesView.as_view(), name="paper_changes"),
    path("<int:pk>/edit/", compose.ReportUpdateView.as_view(), name="paper_edit"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="paper_publish"),
    path("<int:pk>/publishing/", views.PublishingStatusView.as_view(), name="paper_publishing"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="paper_submit"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="paper_return"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="paper_withdraw"),
    path("<int:pk>/sections/new/", compose.SectionCreateView.as_view(), name="section_create"),
    path("sections/<int:pk>/edit/", compose.SectionUpdateView.as_view(), name="section_edit"),
    path("sections/<int:pk>/delete/", compose.SectionDeleteView.as_view(), name="section_delete"),
    path("sections/<int:pk>/move/", compose.SectionMoveView.as_view(), name="section_move"),
]

# Pages under other apps' paths that this app serves, included at the root by the portal's
# URLs: the plan as a PDF, and a panel meeting's agenda reports pack.
root_urlpatterns = [
    path("plan/<slug:plan>.pdf", views.PlanPDFView.as_view(), name="plan_pdf"),
    path(
        "scrutiny/panel/<isodate:date>/pack.pdf",
        views.AgendaPackView.as_view(),
        name="panel_meeting_pack",
    ),
    path(
        "scrutiny/panel/<isodate:date>/pack-<int:number>.pdf",
        views.AgendaPackView.as_view(),
        name="panel_meeting_pack_number",
    ),
]
