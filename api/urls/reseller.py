from django.urls import path

from api import views_pages

app_name = "api_reseller"

urlpatterns = [
    path("api-keys/", views_pages.reseller_keys, name="keys"),
    path(
        "api-keys/<int:reseller_key_id>/revoke/", views_pages.reseller_key_revoke, name="key_revoke"
    ),
]
