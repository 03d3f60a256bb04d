from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.module_loading import import_string

from pcc_portal import views, views_account, views_transfer
from pcc_portal.converters import IsoDateConverter

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
    path("accounts/", views_account.AccountView.as_view(), name="account"),
    path("accounts/email/", views_account.EmailPreferencesView.as_view(), name="email_preferences"),
    path(
        "accounts/password_change/",
        views_account.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_reset/", views_account.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "accounts/password_reset/done/",
        views_account.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views_account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        views_account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/two-factor/",
        views_account.TwoFactorVerifyView.as_view(),
        name="two_factor_verify",
    ),
    path(
        "accounts/two-factor/set-up/",
        views_account.TwoFactorSetupView.as_view(),
        name="two_factor_setup",
    ),
    path(
        "accounts/two-factor/recovery-codes/",
        views_account.RecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/two-factor/turn-off/",
        views_account.TwoFactorTurnOffView.as_view(),
        name="two_factor_turn_off",
    ),
    path("import/", views_transfer.ImportIndexView.as_view(), name="import_index"),
    path("import/preview/", views_transfer.ImportPreviewView.as_view(), name="import_preview"),
    path("import/done/", views_transfer.ImportDoneView.as_view(), name="import_done"),
    path(
        "import/requests/",
        views_transfer.ImportRequestListView.as_view(),
        name="import_requests",
    ),
    path(
        "import/requests/<int:pk>/",
        views_transfer.ImportRequestView.as_view(),
        name="import_request",
    ),
    path(
        "import/<slug:kind>/template.<slug:fmt>",
        views_transfer.import_template,
        name="import_template",
    ),
    path(
        "import/<slug:kind>/export.<slug:fmt>", views_transfer.import_export, name="import_export"
    ),
    # Routes of reports under other apps' paths (the plan PDF, the agenda pack), named by a
    # string so that the portal's own code imports no app built on it.
    path("", include(import_string("reports.urls.root_urlpatterns"))),
    path("plan/", include("plan.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("funding/", include("funding.urls")),
    path("reports/", include("reports.urls")),
    path("decisions/", include("decisions.urls")),
    path("search/", include("search.urls")),
    path("alerts/", include("alerts.urls")),
    # The register of duties (the decisions app's), under its own path.
    path(
        "transparency/",
        include((import_string("decisions.urls.transparency_urlpatterns"), "transparency")),
    ),
    path("admin/", admin.site.urls),
]
