from django.urls import path

from partners import views_announcements, views_offers, views_reseller

app_name = "partners_reseller"

urlpatterns = [
    path("m/<slug:manufacturer_slug>/partner/", views_reseller.partner_tier, name="tier"),
    path(
        "m/<slug:manufacturer_slug>/announcements/",
        views_announcements.reseller_announcements,
        name="announcements",
    ),
    path("m/<slug:manufacturer_slug>/offers/", views_offers.reseller_offers, name="offers"),
    path(
        "m/<slug:manufacturer_slug>/offers/<int:offer_id>/",
        views_offers.reseller_offer,
        name="offer",
    ),
]
