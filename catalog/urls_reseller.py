from django.urls import path

from catalog import views_reseller as views

app_name = "reseller_catalog"

urlpatterns = [
    path("", views.products, name="products"),
    path("categories/<int:category_id>/", views.category, name="category"),
    path("<int:product_id>/", views.product_detail, name="product_detail"),
]
