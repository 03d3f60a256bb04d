"""Two-factor sign-in: who must use it, and the writes that set it up, check codes and remove it.

An authenticator app (django-otp's TOTP device) shows a new 6-digit code every 30 seconds; ten
single-use recovery codes (its static device) stand in when the app is not to hand. Staff,
approvers and superusers must use two-factor; panel members may turn it on. The demo accounts
are exempt only while DEBUG is on.
"""

import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcc_portal.models import OfficeProfile
from pcc_portal.roles import OPCC_APPROVER, OPCC_STAFF

REQUIRED_ROLES = (OPCC_STAFF, OPCC_APPROVER)
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

# What a signed-in user has to do before using the portal (two_factor_step).
VERIFY = "verify"
SET_UP = "set_up"


def totp_issuer(device) -> str:
    """The name an authenticator app shows beside the portal's codes."""
    return OfficeProfile.load().service_name


def two_factor_exempt(user) -> bool:
    """Only the demo accounts, and only in development: production exempts no one."""
    return bool(settings.DEBUG) and user.get_username() in settings.TWO_FACTOR_EXEMPT_USERNAMES


def two_factor_demo_exemption_on() -> bool:
    """Whether the demo accounts are signing in without two-factor (development only)."""
    return bool(settings.DEBUG) and bool(settings.TWO_FACTOR_EXEMPT_USERNAMES)


def two_factor_required(user) -> bool:
    """Staff, approvers and superusers must sign in with two-factor."""
    if not user.is_authenticated or two_factor_exempt(user):
        return False
    return user.is_superuser or user.groups.filter(name__in=REQUIRED_ROLES).exists()


def two_factor_enabled(user) -> bool:
    """The user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_step(user) -> str | None:
    """VERIFY if this session still needs a code, SET_UP if it needs an app first, else None.

    Runs on every request of a signed-in user whose session is not verified (the middleware),
    so it asks the database once.
    """
    # Straight after auth.login() the user object has no otp_device yet: not verified.
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return None
    flags = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            in_role=Exists(Group.objects.filter(user=OuterRef("pk"), name__in=REQUIRED_ROLES)),
        )
        .values("has_app", "in_role")
        .first()
    ) or {"has_app": False, "in_role": False}
    if flags["has_app"]:
        return VERIFY
    if (user.is_superuser or flags["in_role"]) and not two_factor_exempt(user):
        return SET_UP
    return None


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    required: bool
    exempt: bool
    recovery_codes_left: int


def two_factor_status(user) -> TwoFactorStatus:
    """What the account page says about a user's two-factor sign-in."""
    return TwoFactorStatus(
        enabled=two_factor_enabled(user),
        required=two_factor_required(user),
        exempt=two_factor_exempt(user),
        recovery_codes_left=StaticToken.objects.filter(device__user=user).count(),
    )


def totp_device_start(*, user) -> TOTPDevice:
    """An authenticator app waiting to be confirmed: the one already started, or a new one.

    Reusing the unconfirmed device means a page reloaded after scanning still shows the secret
    the app holds.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def totp_device_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_device_qr_code(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code, a data: URI of an SVG image."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def totp_device_confirm(*, device: TOTPDevice, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms a new authenticator app with a code it shows, and issues new recovery codes.

    Any other app the user had is removed: one app per person. Returns the device and the
    recovery codes, which are stored only as the device's tokens and shown once.
    """
    code = normalise_code(code)
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationError("Enter the 6-digit code your authenticator app shows", code="format")
    _check_or_refuse(
        device,
        code,
        wrong="That code is not right. Enter the code your authenticator app shows now",
    )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_replace(user=device.user)
    return device, codes


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working.

    The recovery device itself is kept, so a session verified with a recovery code stays
    verified.
    """
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def two_factor_check(*, user, code: str):
    """The device that accepts `code` (an app's 6-digit code or a recovery code).

    Refuses with a message when the code is wrong, or when too many wrong codes mean waiting.
    A recovery code works once.
    """
    code = normalise_code(code)
    if re.fullmatch(r"\d{6}", code):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(
            "Enter the 6-digit code your authenticator app shows, or a recovery code",
            code="no_device",
        )
    return _check_or_refuse(
        device,
        code,
        wrong=(
            "That code is not right. Enter the code your authenticator app shows now, "
            "or one of your recovery codes"
        ),
    )


def two_factor_turn_off(*, user) -> None:
    """Removes the user's authenticator app and recovery codes, if two-factor is optional."""
    if two_factor_required(user):
        raise PermissionDenied("Your role must sign in with two-factor authentication.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def normalise_code(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, letters in lower case."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def _check_or_refuse(device, code: str, *, wrong: str):
    """Checks `code` against `device`, with django-otp's throttling; refuses in words."""
    allowed, why = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_wait_message(why), code="throttled")
    # verify_token records a failure itself (in its own transaction), so that the wait after
    # wrong codes grows even though this refuses.
    accepted = verify_token(device.user, device.persistent_id, code)
    if accepted is None:
        raise ValidationError(wrong, code="wrong")
    return accepted


def _wait_message(why: dict | None) -> str:
    locked_until = (why or {}).get("locked_until")
    seconds = 1
    if locked_until:
        seconds = max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))
    return (
        "You have entered too many wrong codes. "
        f"Wait {seconds} second{'s' if seconds != 1 else ''}, then try again"
    )
