from django.urls import path, register_converter

from plan import views
from plan.converters import QuarterConverter

register_converter(QuarterConverter, "quarter")

app_name = "plan"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plans"),
    # Update pages come before the plan's own patterns: "updates" is never a plan's slug.
    path("updates/<int:pk>/edit/", views.UpdateEditView.as_view(), name="update_edit"),
    path("updates/<int:pk>/submit/", views.UpdateSubmitView.as_view(), name="update_submit"),
    path("updates/<int:pk>/approve/", views.UpdateApproveView.as_view(), name="update_approve"),
    path("updates/<int:pk>/return/", views.UpdateReturnView.as_view(), name="update_return"),
    path("updates/<int:pk>/reopen/", views.UpdateReopenView.as_view(), name="update_reopen"),
    path("<slug:plan>/", views.PlanDetailView.as_view(), name="plan"),
    path("<slug:plan>/quarters/<quarter:quarter>/", views.QuarterView.as_view(), name="quarter"),
    path(
        "<slug:plan>/quarters/<quarter:quarter>/lock/",
        views.QuarterLockView.as_view(),
        name="quarter_lock",
    ),
    path(
        "<slug:plan>/quarters/<quarter:quarter>/measures/<int:measure>/new/",
        views.UpdateCreateView.as_view(),
        name="update_create",
    ),
    path("<slug:plan>/<slug:priority>/", views.PriorityDetailView.as_view(), name="priority"),
]
