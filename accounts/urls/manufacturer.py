from django.urls import path

from accounts import views

app_name = "accounts_manufacturer"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("team/", views.team, name="team"),
    path("team/<int:user_id>/", views.team_member, name="team_member"),
    path("settings/", views.channel_settings, name="settings"),
    path("audit/", views.audit_log, name="audit_log"),
    path("exports/<uuid:public_id>/", views.export_job, name="export_job"),
    path("exports/<uuid:public_id>/file/", views.export_job_file, name="export_job_file"),
]
