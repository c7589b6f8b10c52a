"""The public invitation page, /invite/<uidb64>/<token>/: no tenant, no login."""

from django.urls import include, path

from salesreps import views_public

app_name = "salesreps_public"

invite_patterns = [
    # Before the password link's pattern, which "join/<token>" would also match.
    path("join/<str:token>/", views_public.join, name="join"),
    path("<uidb64>/<token>/", views_public.accept, name="accept"),
]

urlpatterns = [path("invite/", include(invite_patterns))]
