"""The public invitation page, /invite/<uidb64>/<token>/: no tenant, no login."""

from django.urls import path

from salesreps import views_public

app_name = "invite"

urlpatterns = [
    path("<uidb64>/<token>/", views_public.accept, name="accept"),
]
