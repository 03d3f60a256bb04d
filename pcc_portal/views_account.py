"""Your account: the password (change and reset by email) and two-factor sign-in."""

from datetime import timedelta

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticDevice

from pcc_portal.forms import (
    EmailPreferencesForm,
    PasswordConfirmForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    TwoFactorCodeForm,
)
from pcc_portal.middleware import duration_in_words
from pcc_portal.mixins import PageMixin
from pcc_portal.models import OfficeProfile
from pcc_portal.notifications import email_kinds_for, email_kinds_turned_off
from pcc_portal.services import email_preferences_save
from pcc_portal.twofactor import (
    SET_UP,
    VERIFY,
    recovery_codes_replace,
    totp_device_confirm,
    totp_device_qr_code,
    totp_device_secret,
    totp_device_start,
    two_factor_check,
    two_factor_enabled,
    two_factor_required,
    two_factor_status,
    two_factor_step,
    two_factor_turn_off,
)

# Recovery codes just made wait here in the session until the page that shows them once.
FRESH_RECOVERY_CODES = "portal_fresh_recovery_codes"


def two_factor_sign_in(request, device) -> None:
    """Marks the session as having passed two-factor with `device`, under a new session key."""
    django_otp.login(request, device)
    request.session.cycle_key()


def reset_link_lifetime() -> str:
    """How long a password reset link works, in words ("1 hour")."""
    return duration_in_words(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))


def signed_in_message(request) -> None:
    messages.success(request, f"You are signed in as {request.user.get_username()}.")


class AccountView(LoginRequiredMixin, PageMixin, TemplateView):
    template_name = "registration/account.html"
    page_title = "Your account"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["two_factor"] = two_factor_status(self.request.user)
        return context


class EmailPreferencesView(LoginRequiredMixin, PageMixin, FormView):
    """Which kinds of email the portal sends you: one checkbox each, saved in one go."""

    form_class = EmailPreferencesForm
    template_name = "registration/email_preferences.html"
    page_title = "Email preferences"
    success_url = reverse_lazy("email_preferences")

    def dispatch(self, request, *args, **kwargs):
        self.kinds = email_kinds_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        off = email_kinds_turned_off(self.request.user)
        return {"receive": [kind.key for kind in self.kinds if kind.key not in off]}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self.kinds}

    def get_breadcrumbs(self):
        return [("Your account", reverse("account"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = self.kinds
        return context

    def form_valid(self, form):
        try:
            email_preferences_save(user=self.request.user, receive=form.cleaned_data["receive"])
        except ValidationError as error:
            form.add_error("receive", error)
            return self.form_invalid(form)
        messages.success(self.request, "Your email preferences are saved.")
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- Password ------------------------------------------------------------------------------


class PasswordChangeView(PageMixin, auth_views.PasswordChangeView):
    form_class = PortalPasswordChangeForm
    template_name = "registration/password_change_form.html"
    page_title = "Change your password"
    success_url = reverse_lazy("account")

    def get_breadcrumbs(self):
        return [("Your account", reverse("account"))]

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


class PasswordResetView(PageMixin, auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("password_reset_done")
    page_title = "Reset your password"

    def form_valid(self, form):
        self.extra_email_context = {
            "service_name": OfficeProfile.load().service_name,
            "valid_for": reset_link_lifetime(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(PageMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"
    page_title = "Check your email"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["valid_for"] = reset_link_lifetime()
        return context


class PasswordResetConfirmView(PageMixin, auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_page_title(self):
        return "Choose a new password" if self.validlink else "This link does not work"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["valid_for"] = reset_link_lifetime()
        return context


class PasswordResetCompleteView(PageMixin, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
    page_title = "Your password has been changed"


# --- Two-factor ----------------------------------------------------------------------------


class TwoFactorPageMixin(LoginRequiredMixin, PageMixin, auth_views.RedirectURLMixin):
    """A two-factor page: signed-in users only, carrying `next` through to where they go after."""

    next_page = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.get_redirect_url()
        return context


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(TwoFactorPageMixin, FormView):
    """After the password: the code from the authenticator app, or a recovery code."""

    form_class = TwoFactorCodeForm
    template_name = "registration/two_factor_verify.html"
    page_title = "Enter the code from your authenticator app"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and two_factor_step(request.user) != VERIFY:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "check": lambda code: two_factor_check(user=self.request.user, code=code),
            "hint": (
                "The 6-digit code your app shows now. If you cannot use the app, enter one of "
                "your recovery codes instead."
            ),
        }

    def form_valid(self, form):
        two_factor_sign_in(self.request, form.accepted)
        signed_in_message(self.request)
        if isinstance(form.accepted, StaticDevice):
            left = form.accepted.token_set.count()
            messages.info(
                self.request,
                f"You used a recovery code. You have {left} left: make new ones from "
                "your account page if you are running out.",
            )
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(TwoFactorPageMixin, FormView):
    """Set up an authenticator app: its secret as text and a QR code, confirmed with a code."""

    form_class = TwoFactorCodeForm
    template_name = "registration/two_factor_setup.html"
    page_title = "Set up two-factor authentication"

    def dispatch(self, request, *args, **kwargs):
        # Replacing an app needs a session that has passed two-factor already, so that a stolen
        # password cannot swap the app (the middleware sends such sessions here too).
        if request.user.is_authenticated:
            if two_factor_step(request.user) == VERIFY:
                return redirect("two_factor_verify")
            self.device = totp_device_start(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "check": lambda code: totp_device_confirm(device=self.device, code=code),
            "hint": "The 6-digit code your app shows for this portal.",
            "submit": "Confirm",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            secret=totp_device_secret(self.device),
            qr_code=totp_device_qr_code(self.device),
            required=two_factor_required(user),
            replacing=two_factor_enabled(user),
            must_set_up=two_factor_step(user) == SET_UP,
        )
        return context

    def get_breadcrumbs(self):
        if two_factor_step(self.request.user) == SET_UP:
            return []
        return [("Your account", reverse("account"))]

    def form_valid(self, form):
        device, codes = form.accepted
        two_factor_sign_in(self.request, device)
        self.request.session[FRESH_RECOVERY_CODES] = codes
        messages.success(self.request, "Two-factor authentication is on.")
        query = urlencode({"next": self.get_success_url()})
        return redirect(f"{reverse('two_factor_recovery_codes')}?{query}")


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(TwoFactorPageMixin, TemplateView):
    """Recovery codes just made, shown once; and a button to make new ones."""

    template_name = "registration/two_factor_recovery_codes.html"
    page_title = "Your recovery codes"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not two_factor_enabled(request.user):
            return redirect("account")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["codes"] = self.request.session.pop(FRESH_RECOVERY_CODES, None)
        context["two_factor"] = two_factor_status(self.request.user)
        return context

    def get_breadcrumbs(self):
        return [("Your account", reverse("account"))]

    def post(self, request, *args, **kwargs):
        request.session[FRESH_RECOVERY_CODES] = recovery_codes_replace(user=request.user)
        messages.success(request, "You have new recovery codes. The old ones no longer work.")
        return redirect("two_factor_recovery_codes")


class TwoFactorTurnOffView(TwoFactorPageMixin, FormView):
    """Panel members may turn two-factor off again, after giving their password."""

    form_class = PasswordConfirmForm
    template_name = "registration/two_factor_turn_off.html"
    page_title = "Turn off two-factor authentication"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if two_factor_required(request.user):
                raise PermissionDenied("Your role must sign in with two-factor authentication.")
            if not two_factor_enabled(request.user):
                return redirect("account")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "submit": "Turn off"}

    def get_breadcrumbs(self):
        return [("Your account", reverse("account"))]

    def form_valid(self, form):
        two_factor_turn_off(user=self.request.user)
        messages.success(self.request, "Two-factor authentication is off.")
        return redirect("account")
