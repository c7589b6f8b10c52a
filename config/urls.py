from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.admin import PortalAdminSite

# The admin requires two-factor login (ASVS 2.2); the registrations stay on admin.site.
admin.site.__class__ = PortalAdminSite

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"

# Each app's pages live in <app>/urls/{public,manufacturer,reseller}.py, in the namespace
# <app>_public, <app>_manufacturer or <app>_reseller; each module declares its own path
# prefix (orders/, m/<slug:manufacturer_slug>/cart/, …), so this file only mounts them.

# /…: login and password pages, a user's own notifications across organisations (filtered
# by the user, not a tenant), and the pages reached by a token without login: a payment
# link, an affiliate sign-up, a sales rep's invitation.
PUBLIC_APPS = ["accounts", "notifications", "orders", "resellers", "salesreps"]

# The manufacturer portal, /m/<slug>/…: every view is wrapped in
# accounts.tenancy.manufacturer_view; tests/test_tenant_urls.py walks them all to prove it.
MANUFACTURER_APPS = [
    "accounts",
    "catalog",
    "orders",
    "resellers",
    "qualifications",
    "communications",
    "commissions",
    "salesreps",
    "partners",
    "notifications",
    "api",
    # The command bar (staff pages only: a reseller's dashboard has few pages to find).
    "assistant",
]

# The reseller dashboard, /r/<public id>/… (accounts.tenancy.reseller_view), and one
# reseller's dealings with one manufacturer, /r/<public id>/m/<slug>/…
# (accounts.tenancy.reseller_partner_view), declared by the same modules.
RESELLER_APPS = [
    "accounts",
    "catalog",
    "orders",
    "resellers",
    "qualifications",
    "communications",
    "commissions",
    "partners",
    "api",
]


# The fake payment provider plays the hosted checkout in development, tests and the demo.
if not settings.PRODUCTION:
    PUBLIC_APPS = [*PUBLIC_APPS, "fakepay"]


def mount(side: str, apps: list[str]) -> list:
    return [path("", include(f"{app}.urls.{side}")) for app in apps]


urlpatterns = [
    path("admin/", admin.site.urls),
    # The REST API (api/): its own authentication (keys or the session) and tenant scoping.
    path("api/v1/", include("api.urls.v1")),
    path("", include(mount("public", PUBLIC_APPS))),
    path("m/<slug:manufacturer_slug>/", include(mount("manufacturer", MANUFACTURER_APPS))),
    path("r/<str:reseller_public_id>/", include(mount("reseller", RESELLER_APPS))),
]
