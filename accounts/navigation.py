"""What each role finds in the navigation. Apps add their entries here as their pages land.

An entry is shown to a member whose role is in `roles`; the URL name is reversed with the
tenant's slug (manufacturer portal) or the reseller's public ID (reseller dashboard).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

ALL_ROLES = frozenset(Role.values)
STAFF = frozenset({Role.OWNER, Role.MANAGER})


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    roles: frozenset = ALL_ROLES


MANUFACTURER_NAV: list[NavEntry] = [
    NavEntry(_("Dashboard"), "portal:dashboard", "speedometer2"),
    NavEntry(_("Team"), "portal:team", "people", STAFF),
]

RESELLER_NAV: list[NavEntry] = [
    NavEntry(_("Dashboard"), "reseller:dashboard", "speedometer2"),
]

# Shown under the manufacturer's name while a reseller works with that manufacturer.
RESELLER_PARTNER_NAV: list[NavEntry] = []
