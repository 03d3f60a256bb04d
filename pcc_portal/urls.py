from django.contrib import admin
from django.urls import include, path

from pcc_portal import views

admin.site.site_header = "Police and Crime Panel portal administration"
admin.site.site_title = "Portal administration"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("plan/", include("plan.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("funding/", include("funding.urls")),
    path("admin/", admin.site.urls),
]
