"""Email the portal sends people about their work, and the kinds of it they may turn off.

An app declares each kind of email it sends as an EmailKind and registers it from its
AppConfig.ready() (as apps fill page slots, see pcc_portal.slots). The portal names none of
them: the preferences page lists whatever is registered, and every user receives every kind
their permissions allow until they turn it off.

A service calls `email_enqueue()` inside its transaction; the email is handed to the task
`email_send` only once that transaction commits, so nothing is sent for work rolled back.
Who receives it is settled when the task runs: a user who has since turned the kind off, been
switched off, lost their email address or the kind's permission is left out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from email import charset as email_charset
from email import policy as email_policy

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse

from pcc_portal.background import background_task
from pcc_portal.models import EmailOptOut

# UTF-8 text written out as a string (Message.as_string()) stays 8-bit text rather than being
# turned into base64, as Django itself once registered it.
email_charset.add_charset("utf-8", email_charset.SHORTEST, None, "utf-8")

# The longest line SMTP carries (RFC 5322: 998 characters, without the line break).
SMTP_LINE_LIMIT = 998

# Django's own backend, which reads permissions from groups and the user's own; the sign-in
# throttling backend listed first grants none.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class EmailKind:
    """A kind of email: `key` is stored with the users who turn it off; `label` and `hint`
    (what the email is) show on the preferences page; `audience` says who it is for, in words;
    only users holding `permission` receive it, or see it offered."""

    key: str
    label: str
    hint: str
    audience: str
    permission: str


_kinds: dict[str, EmailKind] = {}


def register_email_kind(kind: EmailKind) -> EmailKind:
    """Adds a kind of email; registering the same key again replaces it (ready() may run more
    than once, in tests). Kinds are offered in the order they registered."""
    _kinds[kind.key] = kind
    return kind


def email_kind(key: str) -> EmailKind:
    try:
        return _kinds[key]
    except KeyError:
        # A misspelt kind would otherwise send nothing, silently.
        raise LookupError(f"There is no kind of email named {key!r}.") from None


def email_kinds() -> list[EmailKind]:
    return list(_kinds.values())


def email_kinds_for(user) -> list[EmailKind]:
    """The kinds this user may receive (they hold each one's permission)."""
    if not user.is_authenticated:
        return []
    return [kind for kind in _kinds.values() if user.has_perm(kind.permission)]


def email_kinds_turned_off(user) -> set[str]:
    """The keys of the kinds this user has turned off."""
    return set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))


def permission_holder_ids(permission: str) -> list[int]:
    """The active users holding `permission` (through a role or their own, or superusers):
    one query."""
    users = get_user_model().objects.with_perm(permission, backend=PERMISSION_BACKEND)
    return list(users.values_list("pk", flat=True).distinct())


def portal_url(path: str) -> str:
    """The portal's own address for a path, for links in emails (no request to build it from)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def email_enqueue(*, kind: str, user_ids: Iterable[int], subject: str, body: str) -> None:
    """Sends this email to these users once the current transaction commits (straight away
    outside one); nothing if it rolls back. Everything handed to the task is plain JSON, so a
    worker backend can run it later."""
    email_kind(kind)  # refuse an unknown kind here, where the mistake is
    ids = sorted({int(pk) for pk in user_ids if pk is not None})
    if not ids:
        return
    # One task a recipient: a failure is tried again for that person alone, never sent twice
    # to those it reached. robust: the work is committed by then, and an email that fails to
    # queue must not turn the page that did it into an error.
    for pk in ids:
        arguments = {"kind": kind, "user_ids": [pk], "subject": subject, "body": body}
        transaction.on_commit(lambda arguments=arguments: email_send.enqueue(**arguments),
                              robust=True)  # fmt: skip


def recipients(kind: EmailKind, user_ids: list[int]) -> list[str]:
    """The addresses of those of these users who should get this kind now: active, with an
    email address and the kind's permission, and not having turned it off. One query."""
    users = (
        get_user_model()
        .objects.with_perm(kind.permission, backend=PERMISSION_BACKEND)
        .filter(pk__in=user_ids)
        .exclude(email="")
        .exclude(email_opt_outs__kind=kind.key)
        .order_by("pk")
    )
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def _footer(kind: EmailKind) -> str:
    return (
        "\n\n--\n"
        f"You get “{kind.label}” emails from the portal. To turn them off, go to your email "
        f"preferences: {portal_url(reverse('email_preferences'))}\n"
    )


class PlainTextEmail(EmailMessage):
    """A plain-text email whose body travels as 8-bit UTF-8, so it reads as written wherever
    the raw message is shown (`make run`'s console, a mail client's source). Python would
    otherwise quote-print any body with a line over 78 characters (“ becomes =E2=80=9C). A
    body with a line too long for SMTP keeps Python's choice."""

    def message(self, *, policy=email_policy.default):
        msg = super().message(policy=policy)
        body = self.body or ""
        lines_fit = all(len(line.encode()) <= SMTP_LINE_LIMIT for line in body.splitlines())
        if not msg.is_multipart() and lines_fit:
            msg.set_content(body, subtype=self.content_subtype, charset="utf-8", cte="8bit")
        return msg


@background_task
def email_send(*, kind: str, user_ids: list[int], subject: str, body: str) -> int:
    """Sends one plain-text message to each user who should get this kind of email (so nobody
    sees anyone else's address), and returns how many were sent."""
    email = email_kind(kind)
    text = body.rstrip() + _footer(email)
    messages = [
        PlainTextEmail(subject, text, to=[address]) for address in recipients(email, user_ids)
    ]
    if not messages:
        return 0
    return mailers.default.send_messages(messages) or 0
