from django.urls import include, path

from commissions import views_reseller

app_name = "commissions_reseller"

commission_patterns = [
    path("", views_reseller.overview, name="overview"),
    path("request/", views_reseller.payout_request, name="request"),
    path("details/", views_reseller.payout_details, name="details"),
]

urlpatterns = [
    path("commissions/", views_reseller.commissions_index, name="index"),
    path("earnings/", views_reseller.earnings, name="earnings"),
    path("statistics/", views_reseller.statistics, name="statistics"),
    path("m/<slug:manufacturer_slug>/commissions/", include(commission_patterns)),
]
