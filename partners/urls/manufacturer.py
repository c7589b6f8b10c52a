from django.urls import include, path

from partners import views, views_tiers

app_name = "partners_manufacturer"

partner_patterns = [
    path("", views.leaderboard, name="leaderboard"),
    path("orders/<int:order_id>/rating/", views.order_rating, name="order_rating"),
    path("tiers/", views_tiers.tier_list, name="tiers"),
    path("tiers/new/", views_tiers.tier_edit, name="tier_create"),
    path("tiers/<int:tier_id>/edit/", views_tiers.tier_edit, name="tier_edit"),
    path("tiers/proposals/", views_tiers.proposal_list, name="proposals"),
    path("tiers/proposals/evaluate/", views_tiers.proposals_evaluate, name="evaluate"),
    path(
        "tiers/proposals/<int:proposal_id>/approve/",
        views_tiers.proposal_approve,
        name="proposal_approve",
    ),
    path(
        "tiers/proposals/<int:proposal_id>/override/",
        views_tiers.proposal_override,
        name="proposal_override",
    ),
    path("<str:public_id>/", views.scorecard, name="scorecard"),
    path("<str:public_id>/tier/", views_tiers.partner_tier_set, name="tier_set"),
    path(
        "<str:public_id>/account-manager/",
        views_tiers.partner_account_manager,
        name="account_manager",
    ),
]

urlpatterns = [path("partners/", include(partner_patterns))]
