"""Failed emails: what the outbox gave up on after a day of retries, for owners and managers.

Each can be sent again (POST, after a confirmation). A sales rep gets 403; another tenant's
email answers 404, like a missing one.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from core.listing import csv_datetime, csv_response, paginate
from notifications import selectors, services


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def failed_emails(request: ManufacturerRequest) -> HttpResponseBase:
    rows = selectors.failed_email_list(manufacturer=request.tenant)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-failed-emails",
            header=[_("Recipient"), _("Subject"), _("Written"), _("Last attempt"),
                    _("Attempts"), _("Last error"), _("Message-ID")],
            rows=(
                [e.recipient, e.subject, csv_datetime(e.created_at),
                 csv_datetime(e.last_attempt_at), e.attempts, e.last_error, e.message_id]
                for e in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    template = "notifications/failed_emails.html"
    if request.htmx:
        template += "#failed-email-table"
    return render(request, template, {"page_obj": paginate(request, rows)})


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def email_resend(request: ManufacturerRequest, email_id: int) -> HttpResponse:
    email = selectors.access_outbox_email(manufacturer=request.tenant, email_id=email_id)
    if services.email_resend(email=email):
        messages.success(
            request,
            _("The email to %(recipient)s is queued again.") % {"recipient": email.recipient},
        )
    else:
        messages.info(request, _("This email is no longer failed: it was already queued again."))
    return redirect(
        "notifications_manufacturer:failed_emails", manufacturer_slug=request.tenant.slug
    )
