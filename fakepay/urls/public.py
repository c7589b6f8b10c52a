from django.urls import path

from fakepay import views

app_name = "fakepay_public"

urlpatterns = [path("fakepay/checkout/<uuid:session_id>/", views.checkout, name="checkout")]
