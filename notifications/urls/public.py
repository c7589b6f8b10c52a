from django.urls import include, path

from notifications import views

app_name = "notifications_public"

notification_patterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("preferences/", views.preferences_index, name="preferences_index"),
    path("preferences/<slug:manufacturer_slug>/", views.preferences, name="preferences"),
]

urlpatterns = [path("notifications/", include(notification_patterns))]
