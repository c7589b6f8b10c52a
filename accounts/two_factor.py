"""Two-factor login (django-otp): an authenticator app (TOTP) and one-time recovery codes.

Who must have it (`two_factor_required`): platform operators (the admin), owners, and every
member of a manufacturer that requires it for all staff. Actions that need a second factor
whoever does them (approving payouts, managing API keys) say so with
`accounts.reauth.recent_auth_required(two_factor=True)`.
"""

import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.hooks import security_changed
from accounts.models import (
    ManufacturerMembership,
    RecoveryCode,
    RecoveryCodeDevice,
    Role,
    User,
    recovery_code_digest,
)

RECOVERY_CODE_COUNT = 10
# 12 characters of a 32-letter alphabet without look-alikes: 60 random bits each.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TOTP_DEVICE_NAME = "authenticator"


def two_factor_required(user: User) -> bool:
    """Whether this user may use the portal only with a second factor."""
    if user.is_staff or user.is_superuser:
        return True
    return (
        ManufacturerMembership.objects.with_scopes_disabled()
        .filter(user=user)
        .filter(Q(role=Role.OWNER) | Q(manufacturer__require_two_factor=True))
        .exists()
    )


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_any_device(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


# What a session's user needs (accounts.middleware.SessionPolicyMiddleware), found at login and
# again every STATE_RECHECK seconds, so a page costs no query: "verify" (has a second factor
# this session did not use), "enrol" (must set one up) or "ok".
STATE_KEY = "two_factor_state"
STATE_RECHECK = 300


def two_factor_state(user: User) -> str:
    if two_factor_enabled(user):
        return "verify"
    return "enrol" if two_factor_required(user) else "ok"


def session_two_factor_state(session: Any, user: User) -> str:
    cached = session.get(STATE_KEY)
    now = int(time.time())
    if cached and now - int(cached[0]) < STATE_RECHECK:
        return str(cached[1])
    state = two_factor_state(user)
    session[STATE_KEY] = [now, state]
    return state


def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator for the setup page (an earlier unfinished one is
    replaced, so a secret shown once and abandoned never becomes valid)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def pending_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> Enrolment | None:
    """Confirm the authenticator with a code it shows; None when the code is wrong.
    Replaces any earlier authenticator and recovery codes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user=user)
        security_changed.send(user=user, change="two_factor_enabled", recipient=user.email)
    return Enrolment(device=device, recovery_codes=codes)


def _new_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _recovery_codes_replace(*, user: User) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes
    )
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes, shown once; the old ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user=user)
        security_changed.send(user=user, change="recovery_codes_renewed", recipient=user.email)
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


def two_factor_disable(*, user: User) -> None:
    with transaction.atomic():
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
        security_changed.send(user=user, change="two_factor_disabled", recipient=user.email)
