"""Every page under a tenant prefix is a tenant view: this protects pages not written yet."""

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tenancy import TENANT_VIEW_ATTRIBUTE

MANUFACTURER_PREFIX = "m/<slug:manufacturer_slug>/"
RESELLER_PREFIX = "r/<str:reseller_public_id>/"


def all_patterns(resolver=None, prefix: str = ""):
    """(full route, view) for every URL pattern, includes followed."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def kind_of(view) -> str | None:
    return getattr(view, TENANT_VIEW_ATTRIBUTE, None)


def test_every_manufacturer_url_is_a_manufacturer_view():
    routes = [(r, v) for r, v in all_patterns() if r.startswith(MANUFACTURER_PREFIX)]

    offenders = [route for route, view in routes if kind_of(view) != "manufacturer"]

    assert len(routes) >= 3, "the walk found the manufacturer portal's pages"
    assert offenders == [], (
        "These URLs under /m/<slug>/ are not wrapped in accounts.tenancy.manufacturer_view, "
        f"so they are not scoped to the tenant: {offenders}"
    )


def test_every_reseller_url_is_a_reseller_view():
    routes = [(r, v) for r, v in all_patterns() if r.startswith(RESELLER_PREFIX)]

    offenders = [route for route, view in routes if kind_of(view) != "reseller"]

    assert len(routes) >= 1, "the walk found the reseller dashboard's pages"
    assert offenders == [], (
        "These URLs under /r/<reseller id>/ are not wrapped in accounts.tenancy.reseller_view "
        f"or reseller_partner_view, so they are not scoped: {offenders}"
    )


def test_tenant_view_marks_are_only_under_tenant_prefixes():
    misplaced = [
        route
        for route, view in all_patterns()
        if kind_of(view) is not None
        and not route.startswith((MANUFACTURER_PREFIX, RESELLER_PREFIX))
    ]

    assert misplaced == [], f"Tenant views mounted outside their tenant prefix: {misplaced}"
