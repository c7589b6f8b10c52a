from django.urls import include, path

from orders import views

app_name = "orders_manufacturer"

order_patterns = [
    path("", views.order_list, name="list"),
    path("resellers/", views.reseller_options, name="reseller_options"),
    path("new/", views.order_create_manual, name="create_manual"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/status/", views.order_status, name="status"),
    path("<int:pk>/notes/", views.order_note, name="note"),
    path("<int:pk>/returns/new/", views.order_return, name="return"),
]

urlpatterns = [path("orders/", include(order_patterns))]
