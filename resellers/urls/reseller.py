from django.urls import include, path

from resellers import views_reseller as views

app_name = "resellers_reseller"

# The reseller's own end customers, /r/<public id>/customers/…
customer_patterns = [
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

# The affiliate link for one manufacturer, /r/<public id>/m/<slug>/affiliate/…
affiliate_patterns = [
    path("", views.affiliate_detail, name="affiliate_detail"),
    path("create/", views.affiliate_create, name="affiliate_create"),
    path("rotate/", views.affiliate_rotate, name="affiliate_rotate"),
]

urlpatterns = [
    path("customers/", include(customer_patterns)),
    path("m/<slug:manufacturer_slug>/affiliate/", include(affiliate_patterns)),
]
