from django.urls import path

from api import views_pages

app_name = "api_manufacturer"

urlpatterns = [
    path("api-keys/", views_pages.keys, name="keys"),
    path("api-keys/<int:key_id>/revoke/", views_pages.key_revoke, name="key_revoke"),
]
