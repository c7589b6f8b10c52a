from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_preferences, views_security

app_name = "accounts_public"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_security.PortalLoginView.as_view(), name="login"),
    path("login/code/", views_security.login_verify, name="login_verify"),
    path("login/unlock/", views_security.unlock_request, name="unlock_request"),
    path("login/unlock/<str:token>/", views_security.unlock, name="unlock"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        views_security.PortalPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views_security.PortalPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views_security.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/security/", views_security.security, name="security"),
    path("account/preferences/", views_preferences.preferences, name="preferences"),
    path("language/", views_preferences.language_switch, name="language_switch"),
    path("account/two-factor/", views_security.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/off/", views_security.two_factor_off, name="two_factor_off"),
    path(
        "account/two-factor/recovery-codes/",
        views_security.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("account/confirm/", views_security.reauth, name="reauth"),
    path("account/keep-alive/", views_security.keep_alive, name="keep_alive"),
    path("account/sessions/<int:session_id>/end/", views_security.session_end, name="session_end"),
    path(
        "account/sessions/end-others/",
        views_security.sessions_end_others,
        name="sessions_end_others",
    ),
    path("account/email/", views_security.email_change, name="email_change"),
    path(
        "account/email/confirm/<str:token>/",
        views_security.email_change_confirm,
        name="email_change_confirm",
    ),
]
