from django.urls import path

from resellers import views_reseller as views

app_name = "reseller_affiliate"

urlpatterns = [
    path("", views.affiliate_detail, name="detail"),
    path("create/", views.affiliate_create, name="create"),
    path("rotate/", views.affiliate_rotate, name="rotate"),
]
