from django.urls import include, path

from partners import views

app_name = "partners_manufacturer"

partner_patterns = [
    path("", views.leaderboard, name="leaderboard"),
    path("orders/<int:order_id>/rating/", views.order_rating, name="order_rating"),
    path("<str:public_id>/", views.scorecard, name="scorecard"),
]

urlpatterns = [path("partners/", include(partner_patterns))]
