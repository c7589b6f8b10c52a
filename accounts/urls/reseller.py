from django.urls import path

from accounts import views

app_name = "accounts_reseller"

urlpatterns = [
    path("", views.reseller_dashboard, name="dashboard"),
]
