"""Sign-in rules applied to every request: session time limits, and two-factor before anything."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from pcc_portal.twofactor import SET_UP, VERIFY, two_factor_step

SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN = "portal_last_seen"
# The last-seen time is refreshed at most once a minute, which spares a session write on
# every request; the idle limit is kept to within that minute.
TOUCH_EVERY = 60


def duration_in_words(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def session_expiry_reason(session, now: float) -> str | None:
    """Why a signed-in session has ended (in words for the sign-in page), or None if it has not."""
    signed_in_at, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
    if signed_in_at is None or last_seen is None:
        return None
    absolute = settings.SESSION_ABSOLUTE_TIMEOUT
    idle = settings.SESSION_IDLE_TIMEOUT
    if now - signed_in_at >= absolute.total_seconds():
        return (
            "You have been signed out because you signed in more than "
            f"{duration_in_words(absolute)} ago. Sign in again to carry on."
        )
    if now - last_seen >= idle.total_seconds():
        return (
            "You have been signed out because you had not used the portal for "
            f"{duration_in_words(idle)}. Sign in again to carry on."
        )
    return None


def session_start_clocks(sender, request, user, **kwargs) -> None:
    """On every sign-in (user_logged_in): the idle and absolute limits count from now."""
    if hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = time.time()


class SessionTimeoutMiddleware:
    """Signs a session out after a spell without requests, and a while after signing in.

    The session cookie lasts as long as the absolute limit, so the session is still there to
    say why it ended; the next request is signed out and sent to sign in with that message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        now = time.time()
        if SESSION_KEY in session:
            if reason := session_expiry_reason(session, now):
                logout(request)
                messages.info(request, reason)
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return redirect(settings.LOGIN_URL)
            self._touch(session, now)
        return self.get_response(request)

    @staticmethod
    def _touch(session, now: float) -> None:
        if SIGNED_IN_AT not in session:
            # A session from before these limits: its clocks start now.
            session[SIGNED_IN_AT] = now
        if now - session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
            session[LAST_SEEN] = now


class TwoFactorMiddleware:
    """Until a signed-in session has passed two-factor, it reaches only two-factor and sign-out.

    A user with an authenticator app must enter a code; a user whose role requires two-factor
    and who has no app must set one up. The administration pages are no exception.
    """

    PAGE = {VERIFY: "two_factor_verify", SET_UP: "two_factor_setup"}
    OPEN = {VERIFY: {"two_factor_verify", "logout"}, SET_UP: {"two_factor_setup", "logout"}}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if SESSION_KEY not in request.session:
            return None
        step = two_factor_step(request.user)
        if step is None or request.resolver_match.view_name in self.OPEN[step]:
            return None
        url = reverse(self.PAGE[step])
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
