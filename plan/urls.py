from django.urls import path, register_converter

from plan.converters import QuarterConverter
from plan.views import grid, measures, plans, quarters, review, review_quarter, updates

register_converter(QuarterConverter, "quarter")

app_name = "plan"

urlpatterns = [
    path("", plans.PlanListView.as_view(), name="plans"),
    # Update pages come before the plan's own patterns: "updates" is never a plan's slug.
    path("updates/<int:pk>/edit/", updates.UpdateEditView.as_view(), name="update_edit"),
    path("updates/<int:pk>/submit/", review.UpdateSubmitView.as_view(), name="update_submit"),
    path("updates/<int:pk>/approve/", review.UpdateApproveView.as_view(), name="update_approve"),
    path("updates/<int:pk>/return/", review.UpdateReturnView.as_view(), name="update_return"),
    path("updates/<int:pk>/reopen/", review.UpdateReopenView.as_view(), name="update_reopen"),
    path("<slug:plan>/", plans.PlanDetailView.as_view(), name="plan"),
    path("<slug:plan>/publish/", plans.PlanPublishView.as_view(), name="plan_publish"),
    path("<slug:plan>/withdraw/", plans.PlanWithdrawView.as_view(), name="plan_withdraw"),
    path("<slug:plan>/quarters/<quarter:quarter>/", quarters.QuarterView.as_view(), name="quarter"),
    path(
        "<slug:plan>/quarters/<quarter:quarter>/lock/",
        quarters.QuarterLockView.as_view(),
        name="quarter_lock",
    ),
    path(
        "<slug:plan>/quarters/<quarter:quarter>/deadline/",
        quarters.QuarterDeadlineView.as_view(),
        name="quarter_deadline",
    ),
    path(
        "<slug:plan>/quarters/<quarter:quarter>/review/",
        review_quarter.QuarterReviewView.as_view(),
        name="quarter_review",
    ),
    path(
        "<slug:plan>/quarters/<quarter:quarter>/updates/",
        grid.QuarterUpdatesView.as_view(),
        name="quarter_updates",
    ),
    path(
        "<slug:plan>/quarters/<quarter:quarter>/measures/<int:measure>/new/",
        updates.UpdateCreateView.as_view(),
        name="update_create",
    ),
    path(
        "<slug:plan>/measures/<int:measure>/edit/",
        measures.MeasureEditView.as_view(),
        name="measure_edit",
    ),
    path("<slug:plan>/<slug:priority>/", plans.PriorityDetailView.as_view(), name="priority"),
    path(
        "<slug:plan>/<slug:priority>/measures/<int:measure>/history/",
        plans.MeasureHistoryView.as_view(),
        name="measure_history",
    ),
]
