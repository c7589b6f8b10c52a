from django.contrib import admin
from django.urls import include, path

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"

# Manufacturer portal: every app's manufacturer-side URLs live under /m/<slug>/ and every
# view there is a tenant view (accounts.tenancy.manufacturer_view); a test walks them all.
manufacturer_patterns = [
    path("", include("accounts.urls_manufacturer")),
]

# Reseller dashboard: /r/<public id>/...
reseller_patterns = [
    path("", include("accounts.urls_reseller")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("m/<slug:manufacturer_slug>/", include(manufacturer_patterns)),
    path("r/<str:reseller_public_id>/", include(reseller_patterns)),
]
