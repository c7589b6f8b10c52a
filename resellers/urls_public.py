from django.urls import path

from resellers import views_public as views

app_name = "affiliate"

urlpatterns = [
    path("<str:token>/", views.join, name="join"),
    path("<str:token>/thanks/", views.thanks, name="thanks"),
]
