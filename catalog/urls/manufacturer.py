from django.urls import include, path

from catalog import views

app_name = "catalog_manufacturer"

catalog_patterns = [
    path("", views.products, name="products"),
    path("new/", views.product_create, name="product_create"),
    path("<int:product_id>/", views.product_detail, name="product_detail"),
    path("<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("<int:product_id>/active/", views.product_set_active, name="product_set_active"),
    path("categories/", views.categories, name="categories"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:category_id>/edit/", views.category_edit, name="category_edit"),
    path("categories/<int:category_id>/delete/", views.category_delete, name="category_delete"),
    path("price-lists/", views.price_lists, name="price_lists"),
    path("price-lists/new/", views.price_list_create, name="price_list_create"),
    path("price-lists/<int:price_list_id>/", views.price_list_detail, name="price_list_detail"),
    path(
        "price-lists/<int:price_list_id>/items/",
        views.price_list_item_set,
        name="price_list_item_set",
    ),
    path(
        "price-lists/<int:price_list_id>/items/<int:product_id>/remove/",
        views.price_list_item_remove,
        name="price_list_item_remove",
    ),
]

urlpatterns = [path("catalog/", include(catalog_patterns))]
