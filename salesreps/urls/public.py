"""The public invitation page, /invite/<uidb64>/<token>/: no tenant, no login."""

from django.urls import include, path

from salesreps import views_public

app_name = "salesreps_public"

invite_patterns = [
    path("<uidb64>/<token>/", views_public.accept, name="accept"),
]

urlpatterns = [path("invite/", include(invite_patterns))]
