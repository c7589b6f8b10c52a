from django.urls import include, path

from commissions import views_reseller

app_name = "commissions_reseller"

commission_patterns = [
    path("", views_reseller.overview, name="overview"),
    path("request/", views_reseller.payout_request, name="request"),
    path("details/", views_reseller.payout_details, name="details"),
]

urlpatterns = [path("m/<slug:manufacturer_slug>/commissions/", include(commission_patterns))]
