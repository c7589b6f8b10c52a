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
OWNERS = frozenset({Role.OWNER})


@dataclass(frozen=True)
class NavEntry:
    label: "StrOrPromise"
    url_name: str
    icon: str
    roles: frozenset[str] = ALL_ROLES


MANUFACTURER_NAV: list[NavEntry] = [
    NavEntry(_("Dashboard"), "accounts_manufacturer:dashboard", "speedometer2"),
    NavEntry(_("Resellers"), "resellers_manufacturer:directory", "shop"),
    NavEntry(_("Qualifications"), "qualifications_manufacturer:list", "patch-check"),
    NavEntry(_("Team"), "accounts_manufacturer:team", "people", STAFF),
    NavEntry(_("Catalog"), "catalog_manufacturer:products", "box-seam"),
    NavEntry(_("Orders"), "orders_manufacturer:list", "receipt"),
    NavEntry(_("Commissions"), "commissions_manufacturer:overview", "coin"),
    NavEntry(_("Communications"), "communications_manufacturer:inbox", "chat-left-text"),
    NavEntry(_("Sales reps"), "salesreps_manufacturer:overview", "person-badge", STAFF),
    NavEntry(_("Partners"), "partners_manufacturer:leaderboard", "trophy", STAFF),
    NavEntry(
        _("My sales"), "salesreps_manufacturer:my_sales", "graph-up", frozenset({Role.SELLER})
    ),
    # A rep holds the check-ins of their own partners; staff reach them from the Partners tabs.
    NavEntry(
        _("Check-ins and reviews"),
        "partners_manufacturer:meetings",
        "calendar-check",
        frozenset({Role.SELLER}),
    ),
    NavEntry(_("Failed emails"), "notifications_manufacturer:failed_emails", "envelope-x", STAFF),
    NavEntry(_("Settings"), "accounts_manufacturer:settings", "gear", STAFF),
    NavEntry(_("Audit log"), "accounts_manufacturer:audit_log", "journal-text", OWNERS),
    NavEntry(_("API keys"), "api_manufacturer:keys", "key"),
    NavEntry(_("Webhooks"), "api_manufacturer:webhooks", "broadcast", STAFF),
]

# The intelPlug manual's sections, in its order: Customers, Orders, Earnings, Commissions,
# Notifications, Statistics, Account; base.html ends the list with Logout (a POST form) and
# keeps API keys in the account menu.
RESELLER_NAV: list[NavEntry] = [
    NavEntry(_("Dashboard"), "accounts_reseller:dashboard", "speedometer2"),
    NavEntry(_("Customers"), "resellers_reseller:list", "person-lines-fill"),
    NavEntry(_("Orders"), "orders_reseller:all_orders", "receipt"),
    NavEntry(_("Earnings"), "commissions_reseller:earnings", "cash-stack"),
    NavEntry(_("Commissions"), "commissions_reseller:index", "coin"),
    NavEntry(_("Notifications"), "notifications_public:list", "bell"),
    NavEntry(_("Statistics"), "commissions_reseller:statistics", "graph-up"),
    NavEntry(_("Account"), "accounts_public:password_change", "person-gear"),
]

# Shown under the manufacturer's name while a reseller works with that manufacturer.
RESELLER_PARTNER_NAV: list[NavEntry] = [
    NavEntry(_("Catalog"), "catalog_reseller:products", "box-seam"),
    NavEntry(_("Orders"), "orders_reseller:list", "receipt"),
    NavEntry(_("Cart"), "orders_reseller:cart", "cart3"),
    NavEntry(_("Affiliate link"), "resellers_reseller:affiliate_detail", "link-45deg"),
    NavEntry(_("Qualifications"), "qualifications_reseller:list", "patch-check"),
    NavEntry(_("Commissions"), "commissions_reseller:overview", "coin"),
    NavEntry(_("Messages"), "communications_reseller:list", "chat-left-text"),
    NavEntry(_("Partner tier"), "partners_reseller:tier", "award"),
    NavEntry(_("Offers"), "partners_reseller:offers", "tags"),
    NavEntry(_("Announcements"), "partners_reseller:announcements", "megaphone"),
]
