from django.urls import include, path

from commissions import views

app_name = "commissions_manufacturer"

commission_patterns = [
    path("", views.overview, name="overview"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/approve/", views.approve, name="approve"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("resellers/<str:public_id>/", views.reseller_ledger, name="reseller"),
    path("resellers/<str:public_id>/adjust/", views.adjust, name="adjust"),
    path("resellers/<str:public_id>/holding/", views.holding, name="holding"),
    path("resellers/<str:public_id>/entries/<int:entry_id>/extend/", views.extend, name="extend"),
]

urlpatterns = [path("commissions/", include(commission_patterns))]
