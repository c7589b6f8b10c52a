from django.urls import include, path

from qualifications import views_reseller

app_name = "qualifications_reseller"

qualification_patterns = [
    path("", views_reseller.qualifications, name="list"),
]

urlpatterns = [path("m/<slug:manufacturer_slug>/qualifications/", include(qualification_patterns))]
