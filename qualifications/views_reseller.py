"""The reseller's side: what they hold with a manufacturer, what each qualification unlocks,
and requests for the ones they lack."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.tenancy import ResellerPartnerRequest, reseller_partner_view
from qualifications import selectors, services
from qualifications.forms import RequestForm
from qualifications.services import QualificationRefused


@reseller_partner_view
@require_http_methods(["GET", "POST"])
def qualifications(request: ResellerPartnerRequest) -> HttpResponse:
    partnership = request.partnership
    form = RequestForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        qualification = form.cleaned_data["qualification"]
        try:
            services.qualification_request_create(
                partnership=partnership,
                qualification=qualification,
                requested_by=request.user,
                message=form.cleaned_data["message"],
            )
        except QualificationRefused as refused:
            form.add_error("qualification", refused.user_message)
        else:
            messages.success(
                request,
                _("Your request for %(code)s was sent to %(manufacturer)s.")
                % {"code": qualification.code, "manufacturer": partnership.manufacturer.name},
            )
            return redirect(
                reverse(
                    "qualifications_reseller:list",
                    kwargs={
                        "reseller_public_id": request.reseller.public_id,
                        "manufacturer_slug": partnership.manufacturer.slug,
                    },
                )
            )
    catalogue = list(selectors.reseller_qualification_catalogue(partnership=partnership))
    requestable = [q.pk for q in catalogue if not q.is_held and not q.is_requested]
    if not form.is_bound:
        choices = form.qualification_field
        if choices.queryset is not None:  # the form's __init__ always sets it
            choices.queryset = choices.queryset.filter(pk__in=requestable)
        wanted = request.GET.get("request")
        if wanted and wanted.isdigit() and int(wanted) in requestable:
            form.initial["qualification"] = int(wanted)
    context = {
        "partnership": partnership,
        "catalogue": catalogue,
        "held": [q for q in catalogue if q.is_held],
        "requests": list(selectors.reseller_requests(partnership=partnership)[:50]),
        "form": form,
        "can_request": form.is_bound or bool(requestable),
    }
    return render(
        request,
        "qualifications/reseller.html",
        context,
        status=400 if form.is_bound else 200,
    )
