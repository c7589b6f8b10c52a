from django.urls import include, path

from resellers import views_public as views

app_name = "resellers_public"

join_patterns = [
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<str:token>/", views.join, name="join"),
    path("<str:token>/resend/", views.resend, name="resend"),
    path("<str:token>/thanks/", views.thanks, name="thanks"),
]

urlpatterns = [path("join/", include(join_patterns))]
