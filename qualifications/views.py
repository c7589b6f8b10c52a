"""The manufacturer's qualifications: definitions, who holds them, grants and revocations,
qualifying status, and the resellers' requests.

Every member reads (a sales rep sees only holders in their portfolio); only owners and
managers define, grant, revoke, change the qualifying status and answer requests (403).
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel import selectors as channel_selectors
from channel.models import Partnership, QualifyingStatus
from core.http import safe_next
from core.listing import apply_sort, csv_datetime, csv_response, paginate, search_query
from qualifications import selectors, services
from qualifications.forms import (
    DeclineForm,
    GrantForm,
    QualificationForm,
    QualifyingStatusForm,
    RevokeForm,
)
from qualifications.models import QualificationGrant, QualifyingStatusChange, RequestStatus
from qualifications.section import SECTION_TEMPLATE, section_context
from qualifications.services import QualificationRefused

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"qualifications_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


# --- definitions ----------------------------------------------------------------------------


@manufacturer_view
@require_GET
def qualification_list(request: ManufacturerRequest) -> HttpResponseBase:
    query = search_query(request)
    rows = selectors.qualification_list(
        manufacturer=request.tenant, membership=request.membership, query=query
    )
    rows, sort = apply_sort(request, rows, selectors.QUALIFICATION_SORTS, default="code")
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-qualifications",
            header=[_("Qualification ID"), _("Name"), _("Description"), _("Default"),
                    _("Holders"), _("Unlocks categories")],
            rows=(
                [q.code, q.name, q.description, _("Yes") if q.is_default else _("No"),
                 q.holder_count, ", ".join(c.name for c in q.restricted_categories.all())]
                for q in rows
            ),
        )  # fmt: skip
    context = {
        "page_obj": paginate(request, rows),
        "query": query,
        "sort": sort,
        "can_manage": request.membership.is_staff_role,
        "open_requests": (
            selectors.open_request_count(manufacturer=request.tenant)
            if request.membership.is_staff_role
            else 0
        ),
    }
    template = "qualifications/list.html"
    if request.htmx:
        template += "#qualification-table"
    return render(request, template, context)


@manufacturer_view
@require_GET
def qualification_detail(request: ManufacturerRequest, qualification_id: int) -> HttpResponseBase:
    qualification = selectors.access_qualification(
        manufacturer=request.tenant, qualification_id=qualification_id
    )
    tab = "history" if request.GET.get("tab") == "history" else "holders"
    query = search_query(request)
    if tab == "history":
        rows = selectors.qualification_history(
            qualification=qualification, membership=request.membership
        )
    else:
        rows = selectors.qualification_holders(
            qualification=qualification, membership=request.membership, query=query
        )
    if request.GET.get("format") == "csv" and tab == "holders":
        return csv_response(
            filename=f"{request.tenant.slug}-{qualification.code.lower()}-holders",
            header=[_("Reseller ID"), _("Reseller"), _("Granted at"), _("Granted by"),
                    _("Reason")],
            rows=(
                [g.partnership.reseller.public_id, g.partnership.reseller.name,
                 g.granted_at.isoformat(), g.granted_by.email if g.granted_by else "",
                 g.grant_reason]
                for g in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {
        "qualification": qualification,
        "categories": list(qualification.restricted_categories.order_by("name")),
        "tab": tab,
        "query": query,
        "page_obj": paginate(request, rows),
        "can_manage": request.membership.is_staff_role,
    }
    return render(request, "qualifications/detail.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def qualification_create(request: ManufacturerRequest) -> HttpResponse:
    form = QualificationForm(request.POST or None, manufacturer=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            qualification = services.qualification_create(
                manufacturer=request.tenant,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                is_default=form.cleaned_data["is_default"],
            )
        except QualificationRefused as refused:
            form.add_error("code", refused.messages)
        else:
            messages.success(
                request, _("Qualification %(code)s created.") % {"code": qualification.code}
            )
            return redirect(_url(request, "detail", qualification_id=qualification.pk))
    return render(
        request,
        "qualifications/form.html",
        {"form": form, "title": _("New qualification"), "back_url": _url(request, "list")},
        status=400 if form.is_bound else 200,
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def qualification_edit(request: ManufacturerRequest, qualification_id: int) -> HttpResponse:
    qualification = selectors.access_qualification(
        manufacturer=request.tenant, qualification_id=qualification_id
    )
    form = QualificationForm(
        request.POST or None, instance=qualification, manufacturer=request.tenant
    )
    if request.method == "POST" and form.is_valid():
        services.qualification_update(
            qualification=qualification,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            is_default=form.cleaned_data["is_default"],
        )
        messages.success(request, _("Qualification %(code)s saved.") % {"code": qualification.code})
        return redirect(_url(request, "detail", qualification_id=qualification.pk))
    return render(
        request,
        "qualifications/form.html",
        {
            "form": form,
            "title": _("Edit %(code)s") % {"code": qualification.code},
            "back_url": _url(request, "detail", qualification_id=qualification.pk),
        },
        status=400 if form.is_bound else 200,
    )


# --- one reseller: history page and the profile section's actions ---------------------------


@manufacturer_view
@require_GET
def partnership_qualifications(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    """The section on its own page, with the full history of grants and status changes."""
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    tab = "status" if request.GET.get("tab") == "status" else "grants"
    as_csv = request.GET.get("format") == "csv"
    filename = f"{request.tenant.slug}-{partnership.reseller.public_id}-qualification"
    page_obj: Page[QualifyingStatusChange] | Page[QualificationGrant]
    if tab == "status":
        changes = selectors.partnership_status_history(partnership=partnership)
        if as_csv:
            return _status_history_csv(f"{filename}-status-history", changes)
        page_obj = paginate(request, changes)
    else:
        grants = selectors.partnership_grant_history(partnership=partnership)
        if as_csv:
            return _grant_history_csv(f"{filename}-history", grants)
        page_obj = paginate(request, grants)
    context = {"partnership": partnership, "tab": tab, "page_obj": page_obj}
    template = "qualifications/partnership.html"
    if request.htmx:  # refreshed after a grant, revocation or status change in the section
        template += "#history"
    return render(request, template, context)


def _status_history_csv(
    filename: str, rows: QuerySet[QualifyingStatusChange]
) -> StreamingHttpResponse:
    return csv_response(
        filename=filename,
        header=[_("Changed at"), _("From"), _("To"), _("Changed by"), _("Reason")],
        rows=(
            [csv_datetime(c.changed_at), c.from_label, c.to_label,
             c.changed_by.display_name if c.changed_by else "", c.reason]
            for c in rows.iterator(chunk_size=500)
        ),
    )  # fmt: skip


def _grant_history_csv(filename: str, rows: QuerySet[QualificationGrant]) -> StreamingHttpResponse:
    return csv_response(
        filename=filename,
        header=[_("Qualification ID"), _("Qualification"), _("Granted at"), _("Granted by"),
                _("Reason for granting"), _("Revoked at"), _("Revoked by"),
                _("Reason for revoking")],
        rows=(
            [g.qualification.code, g.qualification.name, csv_datetime(g.granted_at),
             g.granted_by.display_name if g.granted_by else "", g.grant_reason,
             csv_datetime(g.revoked_at), g.revoked_by.display_name if g.revoked_by else "",
             g.revoke_reason]
            for g in rows.iterator(chunk_size=500)
        ),
    )  # fmt: skip


def _section_response(
    request: ManufacturerRequest,
    partnership: Partnership,
    *,
    ok: bool,
    message: "StrOrPromise",
    event: str | None = None,
    grant_form: GrantForm | None = None,
) -> HttpResponse:
    """htmx: the refreshed section (with the message as a toast); plain POST: flash + PRG."""
    next_url = safe_next(request, request.tenant)
    if request.htmx:
        context = section_context(
            request, partnership, grant_form=None if ok else grant_form, next_url=next_url
        )
        response = HttpResponse(render_to_string(SECTION_TEMPLATE, context, request=request))
        trigger_client_event(
            response, "showMessage", {"level": "success" if ok else "danger", "message": message}
        )
        if ok and event:
            trigger_client_event(response, event, {"reseller": partnership.reseller.public_id})
        return response
    (messages.success if ok else messages.error)(request, message)
    return redirect(
        next_url or _url(request, "partnership", public_id=partnership.reseller.public_id)
    )


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check the form.")


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def grant(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    form = GrantForm(request.POST, manufacturer=request.tenant, auto_id="qgrant_%s")
    if not form.is_valid():
        return _section_response(
            request, partnership, ok=False, message=_first_error(form), grant_form=form
        )
    qualification = form.cleaned_data["qualification"]
    try:
        services.qualification_grant(
            partnership=partnership,
            qualification=qualification,
            granted_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except QualificationRefused as refused:
        form.add_error("code", refused.user_message)
        return _section_response(
            request, partnership, ok=False, message=refused.user_message, grant_form=form
        )
    return _section_response(
        request,
        partnership,
        ok=True,
        event="qualificationGranted",
        message=_("%(code)s granted to %(reseller)s.")
        % {"code": qualification.code, "reseller": partnership.reseller.name},
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def revoke(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    form = RevokeForm(request.POST, manufacturer=request.tenant)
    if not form.is_valid():
        return _section_response(request, partnership, ok=False, message=_first_error(form))
    qualification = form.cleaned_data["qualification"]
    try:
        services.qualification_revoke(
            partnership=partnership,
            qualification=qualification,
            revoked_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except QualificationRefused as refused:
        return _section_response(request, partnership, ok=False, message=refused.user_message)
    return _section_response(
        request,
        partnership,
        ok=True,
        event="qualificationRevoked",
        message=_("%(code)s revoked from %(reseller)s.")
        % {"code": qualification.code, "reseller": partnership.reseller.name},
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def qualifying_status(request: ManufacturerRequest, public_id: str) -> HttpResponse:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    form = QualifyingStatusForm(request.POST)
    if not form.is_valid():
        return _section_response(request, partnership, ok=False, message=_first_error(form))
    status = form.cleaned_data["qualifying_status"]
    try:
        services.qualifying_status_set(
            partnership=partnership,
            status=status,
            changed_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except QualificationRefused as refused:
        return _section_response(request, partnership, ok=False, message=refused.user_message)
    return _section_response(
        request,
        partnership,
        ok=True,
        event="qualifyingStatusChanged",
        message=_("%(reseller)s is now “%(status)s”.")
        % {"reseller": partnership.reseller.name, "status": QualifyingStatus(status).label},
    )


# --- requests -------------------------------------------------------------------------------


REQUEST_TABS = [*RequestStatus.values, "all"]


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def request_list(request: ManufacturerRequest) -> HttpResponseBase:
    status = request.GET.get("status", RequestStatus.OPEN)
    if status not in REQUEST_TABS:
        status = RequestStatus.OPEN
    query = search_query(request)
    rows = selectors.request_list(manufacturer=request.tenant, status=status, query=query)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-qualification-requests-{status}",
            header=[_("Requested at"), _("Requested by"), _("Reseller ID"), _("Reseller"),
                    _("Qualification ID"), _("Qualification"), _("Message"), _("Status"),
                    _("Decided at"), _("Decided by"), _("Reason for declining")],
            rows=(
                [csv_datetime(r.created_at),
                 r.requested_by.display_name if r.requested_by else "",
                 r.partnership.reseller.public_id, r.partnership.reseller.name,
                 r.qualification.code, r.qualification.name, r.message, r.get_status_display(),
                 csv_datetime(r.decided_at), r.decided_by.display_name if r.decided_by else "",
                 r.decline_reason]
                for r in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {
        "page_obj": paginate(request, rows),
        "status": status,
        "query": query,
        "tabs": [(value, RequestStatus(value).label) for value in RequestStatus.values]
        + [("all", _("All"))],
        "decline_form": DeclineForm(),
    }
    return render(request, "qualifications/requests.html", context)


def _back_to_requests(request: ManufacturerRequest) -> HttpResponse:
    next_url = safe_next(request, request.tenant)
    return redirect(next_url or _url(request, "requests"))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def request_grant(request: ManufacturerRequest, request_id: int) -> HttpResponse:
    qualification_request = selectors.access_request(
        manufacturer=request.tenant, request_id=request_id
    )
    try:
        services.qualification_request_decide(
            request=qualification_request, grant=True, decided_by=request.user
        )
    except QualificationRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(
            request,
            _("%(code)s granted to %(reseller)s.")
            % {
                "code": qualification_request.qualification.code,
                "reseller": qualification_request.partnership.reseller.name,
            },
        )
    return _back_to_requests(request)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def request_decline(request: ManufacturerRequest, request_id: int) -> HttpResponse:
    qualification_request = selectors.access_request(
        manufacturer=request.tenant, request_id=request_id
    )
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back_to_requests(request)
    try:
        services.qualification_request_decide(
            request=qualification_request,
            grant=False,
            decided_by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except QualificationRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(
            request,
            _("The request of %(reseller)s for %(code)s was declined.")
            % {
                "code": qualification_request.qualification.code,
                "reseller": qualification_request.partnership.reseller.name,
            },
        )
    return _back_to_requests(request)
