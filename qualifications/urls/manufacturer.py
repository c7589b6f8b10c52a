from django.urls import include, path

from qualifications import views

app_name = "qualifications_manufacturer"

qualification_patterns = [
    path("", views.qualification_list, name="list"),
    path("new/", views.qualification_create, name="create"),
    path("<int:qualification_id>/", views.qualification_detail, name="detail"),
    path("<int:qualification_id>/edit/", views.qualification_edit, name="edit"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:request_id>/grant/", views.request_grant, name="request_grant"),
    path("requests/<int:request_id>/decline/", views.request_decline, name="request_decline"),
    path("resellers/<str:public_id>/", views.partnership_qualifications, name="partnership"),
    path("resellers/<str:public_id>/grant/", views.grant, name="grant"),
    path("resellers/<str:public_id>/revoke/", views.revoke, name="revoke"),
    path("resellers/<str:public_id>/status/", views.qualifying_status, name="status"),
]

urlpatterns = [path("qualifications/", include(qualification_patterns))]
