from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.navigation import MANUFACTURER_NAV, RESELLER_NAV, RESELLER_PARTNER_NAV
from accounts.tenancy import user_manufacturer_memberships, user_reseller_memberships


def _nav(entries, kwargs, role, path):
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


def portal(request: HttpRequest) -> dict:
    """Navigation for the current portal and the organisations the user can switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}

    def organisations():
        return {
            "manufacturers": list(user_manufacturer_memberships(request.user)),
            "resellers": list(user_reseller_memberships(request.user)),
        }

    context = {"organisations": organisations}
    portal_kind = getattr(request, "portal", None)
    if portal_kind == "manufacturer":
        context["nav_items"] = _nav(
            MANUFACTURER_NAV,
            {"manufacturer_slug": request.tenant.slug},
            request.membership.role,
            request.path,
        )
        context["current_organisation"] = request.tenant.name
    elif portal_kind == "reseller":
        context["nav_items"] = _nav(
            RESELLER_NAV,
            {"reseller_public_id": request.reseller.public_id},
            None,
            request.path,
        )
        context["current_organisation"] = request.reseller.name
        partnership = getattr(request, "partnership", None)
        if partnership is not None:
            context["partner_nav_items"] = _nav(
                RESELLER_PARTNER_NAV,
                {
                    "reseller_public_id": request.reseller.public_id,
                    "manufacturer_slug": partnership.manufacturer.slug,
                },
                None,
                request.path,
            )
            context["partner_nav_title"] = partnership.manufacturer.name
    return context
