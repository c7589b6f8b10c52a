"""What each role finds in the navigation. Apps add their entries here as their pages land.

An entry is shown to a member whose role is in `roles`; the URL name is reversed with the
tenant's slug (manufacturer portal) or the reseller's public ID (reseller dashboard).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ALL_ROLES = frozenset(Role.values)
STAFF = frozenset({Role.OWNER, Role.MANAGER})


@dataclass(frozen=True)
class NavEntry:
    label: "StrOrPromise"
    url_name: str
    icon: str
    roles: frozenset[str] = ALL_ROLES


MANUFACTURER_NAV: list[NavEntry] = [
    NavEntry(_("Dashboard"), "portal:dashboard", "speedometer2"),
    NavEntry(_("Resellers"), "resellers:directory", "shop"),
    NavEntry(_("Qualifications"), "qualifications:list", "patch-check"),
    NavEntry(_("Team"), "portal:team", "people", STAFF),
    NavEntry(_("Catalog"), "catalog:products", "box-seam"),
    NavEntry(_("Orders"), "orders:list", "receipt"),
    NavEntry(_("Communications"), "communications:inbox", "chat-left-text"),
    NavEntry(_("Sales reps"), "salesreps:overview", "person-badge", STAFF),
    NavEntry(_("My sales"), "salesreps:my_sales", "graph-up", frozenset({Role.SELLER})),
    NavEntry(_("Settings"), "portal:settings", "gear", STAFF),
]

RESELLER_NAV: list[NavEntry] = [
    NavEntry(_("Dashboard"), "reseller:dashboard", "speedometer2"),
    NavEntry(_("All orders"), "reseller_all_orders:list", "receipt"),
    NavEntry(_("Customers"), "reseller_customers:list", "person-lines-fill"),
]

# Shown under the manufacturer's name while a reseller works with that manufacturer.
RESELLER_PARTNER_NAV: list[NavEntry] = [
    NavEntry(_("Catalog"), "reseller_catalog:products", "box-seam"),
    NavEntry(_("Orders"), "reseller_orders:list", "receipt"),
    NavEntry(_("Cart"), "reseller_cart:cart", "cart3"),
    NavEntry(_("Affiliate link"), "reseller_affiliate:detail", "link-45deg"),
    NavEntry(_("Qualifications"), "reseller_qualifications:list", "patch-check"),
    NavEntry(_("Messages"), "reseller_messages:list", "chat-left-text"),
]
