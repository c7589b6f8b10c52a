from django.urls import path

from orders import views_checkout as views

app_name = "pay"

urlpatterns = [
    path("<str:token>/", views.pay, name="pay"),
    path("<str:token>/receipt/", views.receipt, name="receipt"),
]
