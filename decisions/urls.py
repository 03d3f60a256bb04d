from django.urls import path, register_converter

from decisions import notice_views, views, views_duties, views_inspections
from decisions.converters import MonthConverter, ReferenceConverter

app_name = "decisions"

register_converter(ReferenceConverter, "reference")
register_converter(MonthConverter, "yyyymm")

urlpatterns = [
    path("", views.DecisionListView.as_view(), name="decisions"),
    path("feed/", views.DecisionFeed(), name="feed"),
    path("new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("forward-plan/", views.ForwardPlanView.as_view(), name="forward_plan"),
    path("forward-plan/new/", views.EntryCreateView.as_view(), name="entry_create"),
    path("forward-plan/<int:pk>/edit/", views.EntryUpdateView.as_view(), name="entry_edit"),
    path(
        "forward-plan/<int:pk>/publication/",
        views.EntryPublicationView.as_view(),
        name="entry_publication",
    ),
    path("forward-plan/<int:pk>/record/", views.EntryRecordView.as_view(), name="entry_record"),
    *[
        path(f"inspections/{route}", view.as_view(), name=name)
        for route, view, name in views_inspections.ROUTES
    ],
    path("<reference:reference>/", views.DecisionDetailView.as_view(), name="decision"),
    # The notice's stored PDF: the latest revision, or one by its number.
    path("<reference:reference>.pdf", notice_views.NoticePDFView.as_view(), name="notice_pdf"),
    path(
        "<reference:reference>/revision-<int:number>.pdf",
        notice_views.NoticePDFView.as_view(),
        name="notice_revision_pdf",
    ),
    path("<int:pk>.pdf", notice_views.NoticePDFView.as_view(), name="notice_pdf_by_pk"),
    path(
        "<int:pk>/revision-<int:number>.pdf",
        notice_views.NoticePDFView.as_view(),
        name="notice_revision_pdf_by_pk",
    ),
    # A decision with no reference yet (a draft), or one recorded without one.
    path("<int:pk>/", views.DecisionDetailView.as_view(), name="decision_by_pk"),
    path("<int:pk>/edit/", views.DecisionUpdateView.as_view(), name="decision_edit"),
    path("<int:pk>/submit/", views.WorkflowStepView.as_view(step="submit"), name="decision_submit"),
    path("<int:pk>/sign/", views.WorkflowStepView.as_view(step="sign"), name="decision_sign"),
    path("<int:pk>/return/", views.DecisionReturnView.as_view(), name="decision_return"),
    path("<int:pk>/publish/", views.DecisionPublishView.as_view(), name="decision_publish"),
    path("<int:pk>/delete/", views.DecisionDeleteView.as_view(), name="decision_delete"),
]

# The register of duties and the monthly grants pages, under /transparency/: the root URLconf
# includes these by name, in the "transparency" namespace.
transparency_urlpatterns = [
    path(route, view, name=name) for route, view, name in views_duties.ROUTES
]
