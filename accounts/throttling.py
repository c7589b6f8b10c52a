"""Login throttling that holds behind a proxy (ASVS 2.2.1).

- Per account, across addresses: django-axes counts wrong passwords by account alone
  (AXES_LOCKOUT_PARAMETERS = ["username"]); five lock the account. The lock grows with each
  new lockout in a day (`lockout_cool_off`: 15 minutes, 30, 1 hour … at most a day), and
  failures during a lock do not extend it, so an attacker cannot hold it forever.
- Per address, across accounts: every wrong password also counts against the client's
  address (django-ratelimit, `LOGIN_FAILURES_PER_IP`); over it, that address gets 429.
- Unlock by email: the locked-out page offers a link by email; opening it clears the
  account's failures and marks that browser with a signed cookie, and axes never locks
  the account in a marked browser (`unlocked_browser`), so the real user gets in whatever
  an attacker does elsewhere.

The client's address is core.client_ip's (TRUSTED_PROXY_COUNT), for axes and the limits.
"""

from datetime import timedelta
from typing import Any

from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

LOCKOUT_BASE = timedelta(minutes=15)
LOCKOUT_CAP = timedelta(days=1)
LOGIN_FAILURES_PER_IP = "20/h"
LOGIN_FAILURES_GROUP = "login-failures:ip"
UNLOCK_COOKIE = "login_unlocked"
UNLOCK_SALT = "accounts.unlock-browser"
UNLOCK_COOKIE_MAX_AGE = 30 * 24 * 3600


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """The account a login attempt names, as stored: lowercase, trimmed (AXES_USERNAME_CALLABLE),
    so `Anna@…` and `anna@…` count as one account."""
    value = ""
    if credentials:
        value = credentials.get("username") or credentials.get("email") or ""
    elif request is not None:
        value = request.POST.get("username", "")
    return str(value).strip().lower()[:254]


def lockout_cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long a lock lasts: doubled by each lockout of the account in the last day."""
    username = axes_username(request, getattr(request, "axes_credentials", None))
    if not username:
        return LOCKOUT_BASE
    lockouts = AccessFailureLog.objects.filter(
        username=username, locked_out=True, attempt_time__gte=timezone.now() - LOCKOUT_CAP
    ).count()
    return min(LOCKOUT_BASE * 2 ** max(lockouts - 1, 0), LOCKOUT_CAP)


def unlocked_browser(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: this browser opened the account's unlock link."""
    username = axes_username(request, credentials)
    if not username:
        return False
    marked = request.get_signed_cookie(
        unlock_cookie_name(), default=None, salt=UNLOCK_SALT, max_age=UNLOCK_COOKIE_MAX_AGE
    )
    return marked == username


def unlock_cookie_name() -> str:
    return ("__Host-" if settings.SESSION_COOKIE_SECURE else "") + UNLOCK_COOKIE


def mark_browser_unlocked(response: HttpResponse, username: str) -> None:
    response.set_signed_cookie(
        unlock_cookie_name(),
        username,
        salt=UNLOCK_SALT,
        max_age=UNLOCK_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
        path="/",
    )


@receiver(user_login_failed, dispatch_uid="accounts.throttling.count_per_ip")
def count_failure_per_ip(
    sender: Any, credentials: Any, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is not None:
        is_ratelimited(
            request,
            group=LOGIN_FAILURES_GROUP,
            key="ip",
            rate=LOGIN_FAILURES_PER_IP,
            increment=True,
        )


def address_over_failure_limit(request: HttpRequest) -> bool:
    return bool(
        is_ratelimited(
            request,
            group=LOGIN_FAILURES_GROUP,
            key="ip",
            rate=LOGIN_FAILURES_PER_IP,
            increment=False,
        )
    )
