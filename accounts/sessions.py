"""Login sessions: when each began and was last used, the user's list of them, ending one.

A session lasts at most `SESSION_ABSOLUTE_TIMEOUT` from its login and ends after
`SESSION_IDLE_TIMEOUT` without a request (accounts.middleware.SessionPolicyMiddleware);
`last_seen` is written at most once a `SESSION_TOUCH_INTERVAL`, so a page costs no write.
"""

import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from accounts import two_factor
from accounts.models import User, UserSession
from core.client_ip import client_ip

AUTH_AT_KEY = "auth_at"  # when the user logged in (epoch seconds)
LAST_SEEN_KEY = "last_seen"  # the last request, to the touch interval
REAUTH_AT_KEY = "reauth_at"  # the last password or code typed (accounts.reauth)
SESSION_TOUCH_INTERVAL = 60


def now_ts() -> int:
    return int(time.time())


def idle_timeout() -> int:
    return int(settings.SESSION_IDLE_TIMEOUT)


def absolute_timeout() -> int:
    return int(settings.SESSION_COOKIE_AGE)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.record")
def session_record(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Every login (the form, a password reset, a test's force_login) starts the clocks."""
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    stamp = now_ts()
    session[AUTH_AT_KEY] = stamp
    session[LAST_SEEN_KEY] = stamp
    session[REAUTH_AT_KEY] = stamp
    two_factor.session_two_factor_state(session, user)
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.headers.get("user-agent", "")[:300],
            "created_at": timezone.now(),
            "last_seen_at": timezone.now(),
        },
    )


def session_touch(request: HttpRequest) -> None:
    """Called on each request of a logged-in user; writes at most once a minute."""
    session = request.session
    stamp = now_ts()
    if stamp - int(session.get(LAST_SEEN_KEY, 0)) < SESSION_TOUCH_INTERVAL:
        return
    session[LAST_SEEN_KEY] = stamp
    if session.session_key:
        UserSession.objects.filter(session_key=session.session_key).update(
            last_seen_at=timezone.now()
        )


def session_expired(request: HttpRequest) -> bool:
    session = request.session
    stamp = now_ts()
    auth_at = int(session.get(AUTH_AT_KEY, stamp))
    last_seen = int(session.get(LAST_SEEN_KEY, stamp))
    return stamp - auth_at > absolute_timeout() or stamp - last_seen > idle_timeout()


def user_sessions(*, user: User) -> QuerySet[UserSession]:
    """The user's own live sessions, most recently used first."""
    return UserSession.objects.filter(user=user, last_seen_at__gt=_oldest_live())


def _oldest_live() -> datetime:
    return timezone.now() - timedelta(seconds=idle_timeout())


@transaction.atomic
def user_session_end(*, user: User, session_id: int) -> bool:
    """End one of the user's own sessions; False when the id is not theirs."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    Session.objects.filter(session_key=row.session_key).delete()
    row.delete()
    return True


@transaction.atomic
def user_sessions_end_all(*, user: User, keep: str | None = None) -> int:
    """End every session of the user but `keep` (the one asking, when it stays)."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return len(keys)


def session_forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()
