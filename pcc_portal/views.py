from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from pcc_portal.forms import SignInForm
from pcc_portal.mixins import PageMixin
from pcc_portal.models import OfficeProfile
from pcc_portal.navigation import available_sections
from pcc_portal.roles import roles_of
from pcc_portal.slots import HOME_NEWS, HOME_TASKS, fill, part_feeds
from pcc_portal.twofactor import VERIFY, two_factor_demo_exemption_on, two_factor_step
from pcc_portal.views_transfer import importable_kinds


class HomeView(PageMixin, TemplateView):
    template_name = "pcc_portal/home.html"
    page_title = "Home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = available_sections()
        context["roles"] = roles_of(self.request.user)
        # Parts the apps add: the next panel meeting, the latest papers, the visitor's tasks.
        context["news"] = fill(HOME_NEWS, user=self.request.user)
        context["feeds"] = part_feeds(context["news"])
        context["tasks"] = fill(HOME_TASKS, user=self.request.user)
        user = self.request.user
        context["can_import"] = user.is_authenticated and bool(importable_kinds(user))
        return context


class AccessibilityView(PageMixin, TemplateView):
    template_name = "pcc_portal/accessibility.html"
    page_title = "Accessibility statement"


class PrivacyView(PageMixin, TemplateView):
    template_name = "pcc_portal/privacy.html"
    page_title = "Privacy notice"


class SignInView(PageMixin, auth_views.LoginView):
    """The password; then, for whoever uses two-factor, the code (or setting up an app)."""

    form_class = SignInForm
    template_name = "registration/login.html"
    page_title = "Sign in"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        step = two_factor_step(form.get_user())
        if step is None:
            messages.success(
                self.request, f"You are signed in as {form.get_user().get_username()}."
            )
            return response
        page = "two_factor_verify" if step == VERIFY else "two_factor_setup"
        return redirect(f"{reverse(page)}?{urlencode({'next': self.get_success_url()})}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts_exempt"] = two_factor_demo_exemption_on()
        return context


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have been signed out.")
        return response


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows when sign-in is locked: a page, with 429 Too Many Requests."""
    cool_off = get_cool_off(request)
    context = {
        "page_title": "Sign-in locked",
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
    }
    return render(request, "registration/locked_out.html", context, status=429)


@never_cache
@require_GET
def healthz(request):
    """200 when the portal's database answers with its schema in place, 503 when it does not.

    Opening a connection is not enough: SQLite makes an empty file where the database has
    gone, and then every page fails. So this asks the migrations table for applied migrations
    and a table of the portal's own (the office profile, which every page reads).
    """
    try:
        migrated = MigrationRecorder(connection).migration_qs.exists()
        OfficeProfile.objects.exists()
    except DatabaseError:
        migrated = False
    if not migrated:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})
