from django.contrib import admin
from django.urls import include, path

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"

# Manufacturer portal, /m/<slug>/…: every view here is wrapped in
# accounts.tenancy.manufacturer_view; tests/accounts walks them all to prove it.
manufacturer_patterns = [
    path("", include("accounts.urls_manufacturer")),
    path("catalog/", include("catalog.urls")),
    path("orders/", include("orders.urls")),
    path("resellers/", include("resellers.urls")),
    path("qualifications/", include("qualifications.urls")),
    path("communications/", include("communications.urls")),
    path("salesreps/", include("salesreps.urls")),
]

# One reseller's dealings with one manufacturer, /r/<public id>/m/<slug>/…
# (accounts.tenancy.reseller_partner_view).
reseller_partner_patterns: list = [
    path("catalog/", include("catalog.urls_reseller")),
    path("orders/", include("orders.urls_reseller")),
    path("cart/", include("orders.urls_checkout")),
    path("affiliate/", include("resellers.urls_affiliate")),
    path("qualifications/", include("qualifications.urls_reseller")),
    path("messages/", include("communications.urls_reseller")),
]

# Reseller dashboard, /r/<public id>/… (accounts.tenancy.reseller_view).
reseller_patterns = [
    path("", include("accounts.urls_reseller")),
    path("orders/", include("orders.urls_reseller_all")),
    path("customers/", include("resellers.urls_reseller")),
    path("m/<slug:manufacturer_slug>/", include(reseller_partner_patterns)),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("m/<slug:manufacturer_slug>/", include(manufacturer_patterns)),
    path("r/<str:reseller_public_id>/", include(reseller_patterns)),
    # A user's own notifications across organisations (filtered by the user, not a tenant).
    path("notifications/", include("notifications.urls")),
    # Public pages reached by a token, no login: a payment link and an affiliate sign-up.
    path("pay/", include("orders.urls_pay")),
    path("join/", include("resellers.urls_public")),
    # A new sales rep sets their password through a single-use invitation link.
    path("invite/", include("salesreps.urls_public")),
]
