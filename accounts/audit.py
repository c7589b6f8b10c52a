"""The audit log (accounts.models.AuditEvent): security- and money-relevant actions.

`audit_record(...)` is the one writer; any layer above accounts calls it in the transaction
of its change (a grant, a removal, an approval). The client's address comes from the request
being served (AuditContextMiddleware sets it), so services need no request. Logins, failed
logins and logouts are recorded from Django's auth signals, account changes from the
`security_changed` hook, CSV downloads by the middleware.
"""

from contextvars import ContextVar
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.hooks import security_changed
from accounts.models import AuditAction, AuditEvent, Manufacturer, ManufacturerMembership, User
from core.client_ip import client_ip

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)

TARGET_MAX = 300


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    manufacturer: Manufacturer | None = None,
    target: str = "",
    actor_email: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_email=(actor_email or (actor.email if actor is not None else ""))[:254],
        manufacturer=manufacturer,
        target=target[:TARGET_MAX],
        ip_address=ip_address or current_ip.get(),
    )


def audit_events(*, manufacturer: Manufacturer) -> QuerySet[AuditEvent]:
    """What the tenant's owners see: the tenant's events, and the account events (logins,
    password and two-factor changes) of its current members."""
    members = ManufacturerMembership.objects.with_scopes_disabled().filter(
        manufacturer=manufacturer
    )
    return AuditEvent.objects.filter(
        Q(manufacturer=manufacturer)
        | Q(manufacturer__isnull=True, actor__in=members.values("user_id"))
        | Q(
            manufacturer__isnull=True,
            actor__isnull=True,
            actor_email__in=members.values("user__email"),
        )
    ).order_by("-at", "-pk")


ACCOUNT_ACTIONS = {
    "password_changed": AuditAction.PASSWORD_CHANGED,
    "password_reset": AuditAction.PASSWORD_RESET,
    "email_changed": AuditAction.EMAIL_CHANGED,
    "two_factor_enabled": AuditAction.TWO_FACTOR_ENABLED,
    "two_factor_disabled": AuditAction.TWO_FACTOR_DISABLED,
    "recovery_codes_renewed": AuditAction.RECOVERY_CODES_RENEWED,
}


def on_security_changed(*, user: User, change: str, recipient: str, link: str = "") -> None:
    action = ACCOUNT_ACTIONS.get(change)
    if action is not None:
        target = f"{recipient} → {user.email}" if change == "email_changed" else ""
        audit_record(action=action, actor=user, target=target)


security_changed.connect(on_security_changed)


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="accounts.audit.login")
def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action=AuditAction.LOGIN, actor=user, ip_address=_ip(request))


@receiver(user_logged_out, dispatch_uid="accounts.audit.logout")
def on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, ip_address=_ip(request))


@receiver(user_login_failed, dispatch_uid="accounts.audit.login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    audit_record(action=AuditAction.LOGIN_FAILED, actor_email=email[:254], ip_address=_ip(request))
