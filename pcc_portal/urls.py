from django.contrib import admin
from django.urls import include, path, register_converter

from pcc_portal import views
from pcc_portal.converters import IsoDateConverter
from reports import views as report_views

admin.site.site_header = "Police and Crime Panel portal administration"
admin.site.site_title = "Portal administration"

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    # Pages of lower apps that show something of a higher one, wired here (see DESIGN.md):
    # the plan as a PDF, a panel meeting with its papers, and the meeting's agenda pack.
    path("plan/<slug:plan>.pdf", report_views.PlanPDFView.as_view(), name="plan_pdf"),
    path(
        "scrutiny/panel/<isodate:date>/pack.pdf",
        report_views.AgendaPackView.as_view(),
        name="panel_meeting_pack",
    ),
    path(
        "scrutiny/panel/<isodate:date>/",
        report_views.PanelMeetingWithPapersView.as_view(),
        name="panel_meeting_papers",
    ),
    path("plan/", include("plan.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("funding/", include("funding.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
