from django.urls import include, path

from communications import views_reseller

app_name = "communications_reseller"

message_patterns = [
    path("", views_reseller.conversation_list, name="list"),
    path("new/", views_reseller.conversation_new, name="new"),
    path("<int:conversation_id>/", views_reseller.conversation_detail, name="detail"),
    path(
        "files/<int:attachment_id>/",
        views_reseller.attachment_download,
        name="attachment_download",
    ),
]

urlpatterns = [path("m/<slug:manufacturer_slug>/messages/", include(message_patterns))]
