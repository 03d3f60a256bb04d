"""Cache headers for what only signed-in people may see."""

from django.conf import settings

from pcc_portal.roles import VIEW_EXEMPT

# Holding any of these, a person's pages may show what the public may not: draft plans and
# updates, unpublished scrutiny meetings, draft or withdrawn papers, exempt (Part II) items.
SEES_PRIVATE = (
    VIEW_EXEMPT,
    "plan.view_drafts",
    "scrutiny.view_unpublished_meetings",
    "reports.change_report",
)
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
    # Without a session cookie nobody is signed in: look no further, so that the session is
    # not read and the public's responses do not start to vary on the cookie.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(user.has_perm(permission) for permission in SEES_PRIVATE)
