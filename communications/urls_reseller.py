from django.urls import path

from communications import views_reseller

app_name = "reseller_messages"

urlpatterns = [
    path("", views_reseller.conversation_list, name="list"),
    path("new/", views_reseller.conversation_new, name="new"),
    path("<int:conversation_id>/", views_reseller.conversation_detail, name="detail"),
]
