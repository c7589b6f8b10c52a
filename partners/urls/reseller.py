from django.urls import path

from partners import views_reseller

app_name = "partners_reseller"

urlpatterns = [
    path("m/<slug:manufacturer_slug>/partner/", views_reseller.partner_tier, name="tier"),
]
