"""Making and revoking API keys. The secret leaves the portal once, in the answer of
`*_create`; the row keeps its hash."""

from datetime import datetime, timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditAction, Manufacturer, ManufacturerMembership, Reseller, User
from api.keys import MANUFACTURER_KIND, RESELLER_KIND, key_generate, key_hash
from api.models import ApiKey, KeyAccess, KeyFields, ResellerApiKey
from core.exceptions import DomainRefused

K = TypeVar("K", bound=KeyFields)

# A key that never expires is allowed; one with a date is held to this horizon.
MAX_KEY_LIFETIME = timedelta(days=366 * 3)
# last_used_at is written at most once per this interval, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyRefused(DomainRefused):
    pass


def _check(*, name: str, access: str, expires_at: datetime | None) -> str:
    name = name.strip()
    if not name:
        raise ApiKeyRefused(_("Give the key a name, so you know later what uses it."))
    if access not in KeyAccess.values:
        raise ApiKeyRefused(_("Choose read-only or read-write access."))
    if expires_at is not None:
        now = timezone.now()
        if expires_at <= now:
            raise ApiKeyRefused(_("The expiry date must be in the future."))
        if expires_at > now + MAX_KEY_LIFETIME:
            raise ApiKeyRefused(_("A key can be valid for at most three years."))
    return name


@transaction.atomic
def api_key_create(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    name: str,
    access: str,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A key acting as `membership` (its user and role); returns the key and its secret."""
    name = _check(name=name, access=access, expires_at=expires_at)
    prefix, raw = key_generate(MANUFACTURER_KIND)
    key = ApiKey.objects.create(
        manufacturer=manufacturer,
        created_by_id=membership.user_id,
        role=membership.role,
        name=name,
        access=access,
        expires_at=expires_at,
        prefix=prefix,
        secret_hash=key_hash(raw),
    )
    audit_record(
        action=AuditAction.API_KEY_CREATED,
        actor=membership.user,
        manufacturer=manufacturer,
        target=f"{name} ({prefix}, {access})",
    )
    return key, raw


@transaction.atomic
def reseller_api_key_create(
    *,
    reseller: Reseller,
    user: User,
    name: str,
    access: str,
    expires_at: datetime | None = None,
) -> tuple[ResellerApiKey, str]:
    name = _check(name=name, access=access, expires_at=expires_at)
    prefix, raw = key_generate(RESELLER_KIND)
    key = ResellerApiKey.objects.create(
        reseller=reseller,
        created_by=user,
        name=name,
        access=access,
        expires_at=expires_at,
        prefix=prefix,
        secret_hash=key_hash(raw),
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: K, by: User) -> K:
    """Revoke the key at once; revoking a revoked key changes nothing."""
    model = type(key)
    updated = model._base_manager.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    if updated:
        key.refresh_from_db(fields=["revoked_at", "revoked_by"])
        audit_record(
            action=AuditAction.API_KEY_REVOKED,
            actor=by,
            manufacturer=getattr(key, "manufacturer", None),
            target=f"{key.name} ({key.prefix})",
        )
    return key


def api_key_touch(*, key: KeyFields) -> None:
    """Record that the key was used, at most once a minute (no write per request)."""
    now = timezone.now()
    model = type(key)
    model._base_manager.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION), pk=key.pk
    ).update(last_used_at=now)
    key.last_used_at = now
