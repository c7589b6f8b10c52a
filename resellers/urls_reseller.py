from django.urls import path

from resellers import views_reseller as views

app_name = "reseller_customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:customer_id>/", views.customer_detail, name="detail"),
    path("<int:customer_id>/edit/", views.customer_edit, name="edit"),
    path(
        "<int:customer_id>/interactions/",
        views.customer_interaction_add,
        name="interaction_add",
    ),
]
