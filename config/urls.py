from django.contrib import admin
from django.urls import include, path

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"

# Manufacturer portal, /m/<slug>/…: every view here is wrapped in
# accounts.tenancy.manufacturer_view; tests/accounts walks them all to prove it.
manufacturer_patterns = [
    path("", include("accounts.urls_manufacturer")),
]

# One reseller's dealings with one manufacturer, /r/<public id>/m/<slug>/…
# (accounts.tenancy.reseller_partner_view).
reseller_partner_patterns: list = []

# Reseller dashboard, /r/<public id>/… (accounts.tenancy.reseller_view).
reseller_patterns = [
    path("", include("accounts.urls_reseller")),
    path("m/<slug:manufacturer_slug>/", include(reseller_partner_patterns)),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("m/<slug:manufacturer_slug>/", include(manufacturer_patterns)),
    path("r/<str:reseller_public_id>/", include(reseller_patterns)),
]
