from django.urls import path

from api import views_pages

app_name = "api_manufacturer"

urlpatterns = [
    path("api-keys/", views_pages.keys, name="keys"),
    path("api-keys/<int:key_id>/revoke/", views_pages.key_revoke, name="key_revoke"),
    path("webhooks/", views_pages.webhooks, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", views_pages.webhook, name="webhook"),
    path("webhooks/<int:endpoint_id>/toggle/", views_pages.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<int:endpoint_id>/delete/", views_pages.webhook_delete, name="webhook_delete"),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/resend/",
        views_pages.webhook_resend,
        name="webhook_resend",
    ),
]
