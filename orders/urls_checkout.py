from django.urls import path

from orders import views_checkout as views

app_name = "reseller_cart"

urlpatterns = [
    path("", views.cart, name="cart"),
    path("customer/", views.cart_customer, name="customer"),
    path("add/", views.cart_add, name="add"),
    path("update/", views.cart_update, name="update"),
    path("clear/", views.cart_clear, name="clear"),
    path("checkout/", views.cart_checkout, name="checkout"),
    path("sent/<int:order_id>/", views.cart_sent, name="sent"),
]
