from django.urls import include, path

from communications import views, views_team

app_name = "communications_manufacturer"

communications_patterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views_team.conversation_new, name="new"),
    path("bulk/", views_team.bulk, name="bulk"),
    path("views/", views_team.view_save, name="view_save"),
    path("views/<int:view_id>/delete/", views_team.view_delete, name="view_delete"),
    path("files/<int:attachment_id>/", views_team.attachment_download, name="attachment_download"),
    path("<int:conversation_id>/assign/", views_team.assign, name="assign"),
    path("<int:conversation_id>/unread/", views_team.mark_unread, name="mark_unread"),
    path("<int:conversation_id>/", views.detail, name="detail"),
    path("<int:conversation_id>/reply/", views.reply, name="reply"),
    path("<int:conversation_id>/comment/", views.comment, name="comment"),
    path("<int:conversation_id>/done/", views.mark_done, name="mark_done"),
    path("<int:conversation_id>/unmark/", views.unmark, name="unmark"),
    path("<int:conversation_id>/qualify/", views.qualify, name="qualify"),
    path("<int:conversation_id>/qualifying/", views.qualifying, name="qualifying"),
    path("<int:conversation_id>/delete/", views.delete, name="delete"),
    path("messages/<int:message_id>/emoji/", views.message_emoji, name="message_emoji"),
    path("messages/<int:message_id>/delete/", views.message_delete, name="message_delete"),
]

urlpatterns = [path("communications/", include(communications_patterns))]
