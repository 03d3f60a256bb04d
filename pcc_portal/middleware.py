"""Rules applied to every request: no NUL characters in the address, session time limits,
two-factor before anything, and cache headers for what only signed-in people may see."""

import time
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from pcc_portal.permissions import VIEW_EXEMPT
from pcc_portal.roles import granted
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


def has_session_cookie(request) -> bool:
    """Without a session cookie nobody is signed in: the middleware here look no further, so
    the session is not read and the public's responses do not start to vary on the cookie."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SessionTimeoutMiddleware:
    """Signs a session out after a spell without requests, and a while after signing in.

    The session cookie lasts as long as the absolute limit, so the session is still there to
    say why it ended; the next request is signed out and sent to sign in with that message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not has_session_cookie(request):
            return self.get_response(request)
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
        if not has_session_cookie(request) or SESSION_KEY not in request.session:
            return None
        step = two_factor_step(request.user)
        if step is None or request.resolver_match.view_name in self.OPEN[step]:
            return None
        url = reverse(self.PAGE[step])
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


# Holding any of these, a person's pages may show what the public may not: draft plans and
# updates, unpublished scrutiny meetings, draft or withdrawn papers, exempt (Part II) items.
SEES_PRIVATE = (VIEW_EXEMPT, *granted("SEES_PRIVATE"))
NO_STORE = "private, no-store"


class PrivateNoStoreMiddleware:
    """Every response to someone who may see drafts or Part II items says `private, no-store`.

    A shared cache (a proxy, a CDN) must never keep such a page for the next reader, and a
    browser must not keep it on disk after the person signs out. The public's responses keep
    whatever caching their view chose, and published PDFs keep their ETag.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _sees_private(request):
            response["Cache-Control"] = NO_STORE
        return response


def _sees_private(request) -> bool:
    if not has_session_cookie(request):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(user.has_perm(permission) for permission in SEES_PRIVATE)


class RefuseNullCharactersMiddleware:
    """Answers 400 to a web address holding a NUL character, before any view reads it.

    No one can type one, and PostgreSQL refuses them in text ("A string literal cannot contain
    NUL"): a view looking up a query parameter would fail with a server error. Posted forms
    refuse them in a message of their own (Django's CharField), so only the address is checked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in query or "\x00" in request.path:
            return render(request, "400.html", status=400)
        return self.get_response(request)
