from django.urls import include, path

from notifications import views_manufacturer

app_name = "notifications_manufacturer"

email_patterns = [
    path("failed/", views_manufacturer.failed_emails, name="failed_emails"),
    path("<int:email_id>/resend/", views_manufacturer.email_resend, name="email_resend"),
]

urlpatterns = [path("emails/", include(email_patterns))]
