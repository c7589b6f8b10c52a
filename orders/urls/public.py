from django.urls import include, path

from orders import views_checkout as views

app_name = "orders_public"

pay_patterns = [
    # Before the token's pattern, which "webhook" would also match.
    path("webhook/", views.webhook, name="webhook"),
    path("<str:token>/", views.pay, name="pay"),
    path("<str:token>/receipt/", views.receipt, name="receipt"),
]

urlpatterns = [path("pay/", include(pay_patterns))]
