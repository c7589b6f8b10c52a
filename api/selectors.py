"""Reads of API keys: the settings pages' lists, and the one lookup a request makes.

`api_key_resolve` runs before any tenant is known (the key tells the tenant), so it reads
across tenants by the key's unique prefix, the way `accounts.tenancy` reads a user's own
memberships; everything after it runs in the key's tenant scope.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Reseller, Role
from api.keys import MANUFACTURER_KIND, key_matches, key_parse
from api.models import ApiKey, KeyFields, ResellerApiKey
from channel.visibility import require_viewer
from core.exceptions import DomainRefused


class KeyInvalid(DomainRefused):
    """The request's key does not authenticate; the message says why, for the client (the
    authentication class answers it with 401)."""


def api_keys_visible_to(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[ApiKey]:
    """Owners see every key of the tenant; other members see the keys they made."""
    require_viewer(membership)
    keys = ApiKey.objects.filter(manufacturer=manufacturer).select_related(
        "created_by", "revoked_by"
    )
    if membership.role != Role.OWNER:
        keys = keys.filter(created_by_id=membership.user_id)
    return keys.order_by("-created_at", "-pk")


def access_api_key(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, key_id: int
) -> ApiKey:
    require_viewer(membership)
    key = (
        api_keys_visible_to(manufacturer=manufacturer, membership=membership)
        .filter(pk=key_id)
        .first()
    )
    if key is None:
        raise Http404(_("No such API key."))
    return key


def reseller_api_keys(*, reseller: Reseller) -> QuerySet[ResellerApiKey]:
    keys: QuerySet[ResellerApiKey] = (
        ResellerApiKey.objects.with_scope(reseller=reseller)
        .filter(reseller=reseller)
        .select_related("created_by", "revoked_by")
        .order_by("-created_at", "-pk")
    )
    return keys


def access_reseller_api_key(*, reseller: Reseller, key_id: int) -> ResellerApiKey:
    key = reseller_api_keys(reseller=reseller).filter(pk=key_id).first()
    if key is None:
        raise Http404(_("No such API key."))
    return key


def api_key_resolve(raw: str) -> KeyFields:
    """The usable key `raw` names, or KeyInvalid saying why (unknown, revoked, expired, or
    its member no longer holds the role it was made with)."""
    parsed = key_parse(raw)
    if parsed is None:
        raise KeyInvalid(_("Invalid API key."))
    key: KeyFields | None
    if parsed.kind == MANUFACTURER_KIND:
        key = (
            ApiKey.objects.with_scopes_disabled()
            .select_related("manufacturer", "created_by")
            .filter(prefix=parsed.prefix)
            .first()
        )
    else:
        key = (
            ResellerApiKey.objects.with_scopes_disabled()
            .select_related("reseller", "created_by")
            .filter(prefix=parsed.prefix)
            .first()
        )
    if key is None or not key_matches(parsed.raw, key.secret_hash):
        raise KeyInvalid(_("Invalid API key."))
    if key.revoked_at is not None:
        raise KeyInvalid(_("This API key has been revoked."))
    if not key.is_usable:
        raise KeyInvalid(_("This API key has expired."))
    if not key.created_by.is_active:
        raise KeyInvalid(_("The person who made this API key no longer has access."))
    if isinstance(key, ApiKey):
        still_holds_role = (
            ManufacturerMembership.objects.with_scopes_disabled()
            .filter(manufacturer_id=key.manufacturer_id, user_id=key.created_by_id, role=key.role)
            .exists()
        )
        if not still_holds_role:
            raise KeyInvalid(
                _("The person who made this API key no longer has the role it was made with.")
            )
    elif isinstance(key, ResellerApiKey):
        still_member = key.reseller.memberships.filter(user_id=key.created_by_id).exists()
        if not still_member:
            raise KeyInvalid(_("The person who made this API key no longer has access."))
    return key
