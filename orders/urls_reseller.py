from django.urls import path

from orders import views_checkout, views_reseller

app_name = "reseller_orders"

urlpatterns = [
    path("", views_reseller.order_list, name="list"),
    path("new/", views_reseller.order_place, name="place"),
    path("<int:pk>/", views_reseller.order_detail, name="detail"),
    path("<int:pk>/payment-link/", views_checkout.payment_link_resend, name="resend_link"),
    path("<int:pk>/cancel/", views_reseller.order_cancel, name="cancel"),
    path("<int:pk>/notes/", views_reseller.order_note, name="note"),
]
