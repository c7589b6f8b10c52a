from django.urls import path

from orders import views_reseller

app_name = "reseller_all_orders"

urlpatterns = [
    path("", views_reseller.all_orders, name="list"),
]
