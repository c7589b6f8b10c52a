from django.urls import path

from qualifications import views_reseller

app_name = "reseller_qualifications"

urlpatterns = [
    path("", views_reseller.qualifications, name="list"),
]
