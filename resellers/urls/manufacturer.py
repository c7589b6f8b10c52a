from django.urls import include, path

from resellers import views

app_name = "resellers_manufacturer"

reseller_patterns = [
    path("", views.directory_list, name="directory"),
    path("add/", views.partner_add, name="add"),
    path("<str:public_id>/", views.profile, name="profile"),
    path("<str:public_id>/conditions/", views.conditions_edit, name="conditions"),
    path("<str:public_id>/details/", views.details_edit, name="details"),
    path("<str:public_id>/status/", views.status_change, name="status"),
]

urlpatterns = [path("resellers/", include(reseller_patterns))]
