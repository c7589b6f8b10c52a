from django.urls import include, path

from catalog import views_reseller as views

app_name = "catalog_reseller"

catalog_patterns = [
    path("", views.products, name="products"),
    path("categories/<int:category_id>/", views.category, name="category"),
    path("<int:product_id>/", views.product_detail, name="product_detail"),
]

urlpatterns = [path("m/<slug:manufacturer_slug>/catalog/", include(catalog_patterns))]
