from django.urls import include, path

from partners import (
    views,
    views_announcements,
    views_meetings,
    views_offers,
    views_problems,
    views_tiers,
)

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
    path("offers/", views_offers.offer_list, name="offers"),
    path("offers/new/", views_offers.offer_edit, name="offer_create"),
    path("offers/<int:offer_id>/edit/", views_offers.offer_edit, name="offer_edit"),
    path("offers/<int:offer_id>/publish/", views_offers.offer_publish, name="offer_publish"),
    path(
        "offers/<int:offer_id>/announce/",
        views_offers.offer_announce_change,
        name="offer_announce",
    ),
    path("announcements/", views_announcements.announcement_list, name="announcements"),
    path(
        "announcements/new/",
        views_announcements.announcement_edit,
        name="announcement_create",
    ),
    path(
        "announcements/<int:announcement_id>/",
        views_announcements.announcement_detail,
        name="announcement",
    ),
    path(
        "announcements/<int:announcement_id>/edit/",
        views_announcements.announcement_edit,
        name="announcement_edit",
    ),
    path(
        "announcements/<int:announcement_id>/publish/",
        views_announcements.announcement_publish,
        name="announcement_publish",
    ),
    path(
        "announcements/<int:announcement_id>/withdraw/",
        views_announcements.announcement_withdraw,
        name="announcement_withdraw",
    ),
    path(
        "announcements/<int:announcement_id>/delete/",
        views_announcements.announcement_delete,
        name="announcement_delete",
    ),
    path("incidents/", views_problems.incident_list, name="incidents"),
    path(
        "incidents/thresholds/",
        views_problems.incident_thresholds,
        name="incident_thresholds",
    ),
    path("incidents/<int:incident_id>/", views_problems.incident_detail, name="incident"),
    path("incidents/<int:incident_id>/step/", views_problems.incident_step, name="incident_step"),
    path(
        "incidents/<int:incident_id>/resolve/",
        views_problems.incident_resolve,
        name="incident_resolve",
    ),
    path("blocks/<int:block_id>/lift/", views_problems.block_lift, name="block_lift"),
    path("exclusives/", views_problems.exclusive_list, name="exclusives"),
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/<int:meeting_id>/", views_meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/hold/", views_meetings.meeting_hold, name="meeting_hold"),
    path(
        "meetings/<int:meeting_id>/follow-ups/",
        views_meetings.follow_up_add,
        name="follow_up_add",
    ),
    path(
        "follow-ups/<int:follow_up_id>/done/",
        views_meetings.follow_up_toggle,
        name="follow_up_toggle",
    ),
    path("<str:public_id>/", views.scorecard, name="scorecard"),
    path("<str:public_id>/incidents/", views_problems.incident_create, name="incident_create"),
    path("<str:public_id>/notes/", views_problems.note_add, name="note_add"),
    path("<str:public_id>/exclusives/", views_problems.exclusive_grant, name="exclusive_grant"),
    path("<str:public_id>/tier/", views_tiers.partner_tier_set, name="tier_set"),
    path(
        "<str:public_id>/account-manager/",
        views_tiers.partner_account_manager,
        name="account_manager",
    ),
]

urlpatterns = [path("partners/", include(partner_patterns))]
