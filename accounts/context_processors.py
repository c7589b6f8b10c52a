from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.navigation import MANUFACTURER_NAV, RESELLER_NAV, RESELLER_PARTNER_NAV, NavEntry
from accounts.tenancy import (
    ManufacturerRequest,
    ResellerRequest,
    user_manufacturer_memberships,
    user_reseller_memberships,
)


def _nav(
    entries: Iterable[NavEntry], kwargs: dict[str, str], role: str | None, path: str
) -> list[dict[str, Any]]:
    items = []
    for entry in entries:
        if role is not None and role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        active = path == url or (path.startswith(url) and url.count("/") > 3)
        items.append({"label": entry.label, "url": url, "icon": entry.icon, "active": active})
    return items


def portal(request: HttpRequest) -> dict[str, Any]:
    """Navigation for the current portal and the organisations the user can switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    user = request.user

    def organisations() -> dict[str, list[Any]]:
        return {
            "manufacturers": list(user_manufacturer_memberships(user)),
            "resellers": list(user_reseller_memberships(user)),
        }

    context: dict[str, Any] = {
        "organisations": organisations,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_idle_warning": settings.SESSION_IDLE_WARNING,
        "session_idle_warning_minutes": settings.SESSION_IDLE_WARNING // 60,
    }
    # The tenant decorators set `portal` along with the attributes each kind of view has.
    portal_kind = getattr(request, "portal", None)
    if portal_kind == "manufacturer":
        manufacturer_request = cast(ManufacturerRequest, request)
        context["nav_items"] = _nav(
            MANUFACTURER_NAV,
            {"manufacturer_slug": manufacturer_request.tenant.slug},
            manufacturer_request.membership.role,
            request.path,
        )
        context["current_organisation"] = manufacturer_request.tenant.name
    elif portal_kind == "reseller":
        # A `reseller_view` request; a `reseller_partner_view` one also has a partnership.
        reseller_request = cast(ResellerRequest, request)
        context["nav_items"] = _nav(
            RESELLER_NAV,
            {"reseller_public_id": reseller_request.reseller.public_id},
            None,
            request.path,
        )
        context["current_organisation"] = reseller_request.reseller.name
        partnership = getattr(request, "partnership", None)
        if partnership is not None:
            context["partner_nav_items"] = _nav(
                RESELLER_PARTNER_NAV,
                {
                    "reseller_public_id": reseller_request.reseller.public_id,
                    "manufacturer_slug": partnership.manufacturer.slug,
                },
                None,
                request.path,
            )
            context["partner_nav_title"] = partnership.manufacturer.name
    return context
