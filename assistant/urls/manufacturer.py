from django.urls import path

from assistant import views

app_name = "assistant_manufacturer"

urlpatterns = [
    path("assistant/", views.ask, name="ask"),
    path("assistant/confirm/", views.confirm, name="confirm"),
]
