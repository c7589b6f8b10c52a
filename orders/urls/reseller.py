from django.urls import include, path

from orders import views_checkout, views_reseller

app_name = "orders_reseller"

# One manufacturer's orders, /r/<public id>/m/<slug>/orders/…
order_patterns = [
    path("", views_reseller.order_list, name="list"),
    path("new/", views_reseller.order_place, name="place"),
    path("<int:pk>/", views_reseller.order_detail, name="detail"),
    path("<int:pk>/payment-link/", views_checkout.payment_link_resend, name="resend_link"),
    path("<int:pk>/cancel/", views_reseller.order_cancel, name="cancel"),
    path("<int:pk>/status/", views_reseller.order_move, name="move"),
    path("<int:pk>/notes/", views_reseller.order_note, name="note"),
]

# The cart for one manufacturer, /r/<public id>/m/<slug>/cart/…
cart_patterns = [
    path("", views_checkout.cart, name="cart"),
    path("customer/", views_checkout.cart_customer, name="cart_customer"),
    path("add/", views_checkout.cart_add, name="cart_add"),
    path("update/", views_checkout.cart_update, name="cart_update"),
    path("clear/", views_checkout.cart_clear, name="cart_clear"),
    path("checkout/", views_checkout.cart_checkout, name="cart_checkout"),
    path("sent/<int:order_id>/", views_checkout.cart_sent, name="cart_sent"),
]

urlpatterns = [
    # Every manufacturer's orders in one list, /r/<public id>/orders/.
    path("orders/", views_reseller.all_orders, name="all_orders"),
    path("m/<slug:manufacturer_slug>/orders/", include(order_patterns)),
    path("m/<slug:manufacturer_slug>/cart/", include(cart_patterns)),
]
