from django.urls import include, path

from salesreps import views

app_name = "salesreps_manufacturer"

salesrep_patterns = [
    path("", views.overview, name="overview"),
    path("coverage/", views.coverage, name="coverage"),
    path("invite/", views.invite, name="invite"),
    path("my-sales/", views.my_sales, name="my_sales"),
    path("customers/new/", views.customer_new, name="customer_new"),
    path("customers/<int:partnership_id>/assign/", views.assign, name="assign"),
    path("customers/<int:partnership_id>/unassign/", views.unassign, name="unassign"),
    path("customers/<int:partnership_id>/history/", views.history, name="history"),
    path("<int:user_id>/", views.rep_detail, name="rep_detail"),
    path("<int:user_id>/reassign/", views.reassign, name="reassign"),
    path("members/<int:user_id>/remove/", views.member_remove_view, name="member_remove"),
    path("members/<int:user_id>/role/", views.member_role_view, name="member_role"),
]

urlpatterns = [path("salesreps/", include(salesrep_patterns))]
