import copy
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import audit_events, audit_record
from accounts.exports import access_export_job
from accounts.forms import ChannelSettingsForm
from accounts.models import STAFF_ROLES, AuditAction, ExportStatus, Role
from accounts.selectors import access_member, role_counts, team_members
from accounts.services import manufacturer_settings_update
from accounts.tenancy import (
    ManufacturerRequest,
    ResellerRequest,
    UserRequest,
    manufacturer_view,
    reseller_view,
    user_manufacturer_memberships,
    user_reseller_memberships,
)
from core.listing import (
    CSV_FORMAT,
    CSV_FORMAT_HEADER,
    csv_date,
    csv_datetime,
    csv_response,
    paginate,
    search_query,
)
from core.ratelimits import Ratelimited


@login_required
@require_GET
def home(request: UserRequest) -> HttpResponse:
    """Send the user to their only organisation, or let them choose."""
    manufacturers = list(user_manufacturer_memberships(request.user))
    resellers = list(user_reseller_memberships(request.user))
    if len(manufacturers) + len(resellers) == 1:
        if manufacturers:
            return redirect(
                "accounts_manufacturer:dashboard",
                manufacturer_slug=manufacturers[0].manufacturer.slug,
            )
        return redirect(
            "accounts_reseller:dashboard", reseller_public_id=resellers[0].reseller.public_id
        )
    return render(
        request,
        "accounts/switch.html",
        {"manufacturer_memberships": manufacturers, "reseller_memberships": resellers},
    )


@manufacturer_view
@require_GET
def dashboard(request: ManufacturerRequest) -> HttpResponse:
    """The manufacturer's landing page. Its panels are template tags of the apps that own
    the figures ({% load channel_dashboard %} and friends): accounts imports none of them.
    Each panel starts from the member's visibility, so a seller sees their portfolio only."""
    context = {
        # The team's size is the staff's business; a sales rep's page shows their portfolio.
        "role_counts": (
            role_counts(manufacturer=request.tenant) if request.membership.is_staff_role else None
        ),
    }
    return render(request, "accounts/manufacturer_dashboard.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def team(request: ManufacturerRequest) -> HttpResponseBase:
    members = team_members(manufacturer=request.tenant)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-team",
            header=[_("Name"), _("Email"), _("Role"), _("Since")],
            rows=(
                [m.user.get_full_name(), m.user.email, m.get_role_display(),
                 csv_date(m.created_at)]
                for m in members.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    return render(request, "accounts/team.html", {"members": members})


@manufacturer_view(roles={Role.OWNER})
@require_GET
def audit_log(request: ManufacturerRequest) -> HttpResponseBase:
    """The tenant's audit log, for owners: newest first, by action and by text, as CSV."""
    events = audit_events(manufacturer=request.tenant)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    query = search_query(request)
    if query:
        events = events.filter(Q(actor_email__icontains=query) | Q(target__icontains=query))
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-audit-log",
            header=[_("When"), _("Who"), _("Action"), _("What"), _("From")],
            rows=(
                [csv_datetime(e.at), e.actor_email, e.get_action_display(), e.target,
                 e.ip_address or ""]
                for e in events.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {
        "page_obj": paginate(request, events),
        "actions": AuditAction.choices,
        "action": action,
        "query": query,
    }
    return render(request, "accounts/audit_log.html", context)


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def team_member(request: ManufacturerRequest, user_id: int) -> HttpResponse:
    member = access_member(manufacturer=request.tenant, user_id=user_id)
    return render(request, "accounts/team_member.html", {"member": member})


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def channel_settings(request: ManufacturerRequest) -> HttpResponse:
    # The form works on a copy: a refused submission leaves request.tenant as it was.
    form = ChannelSettingsForm(request.POST or None, instance=copy.copy(request.tenant))
    if request.method == "POST" and form.is_valid():
        try:
            changed = [name for name in form.changed_data if name in form.cleaned_data]
            manufacturer_settings_update(manufacturer=request.tenant, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            if changed:
                audit_record(
                    action=AuditAction.SETTINGS_CHANGED,
                    actor=request.user,
                    manufacturer=request.tenant,
                    target=", ".join(changed),
                )
            messages.success(request, _("Settings saved."))
            return redirect("accounts_manufacturer:settings", manufacturer_slug=request.tenant.slug)
    status = 400 if form.errors else 200
    return render(request, "accounts/settings.html", {"form": form}, status=status)


@manufacturer_view
@require_GET
def export_job(request: ManufacturerRequest, public_id: UUID) -> HttpResponse:
    """A large export's progress; htmx polls the bar until the file is ready."""
    job = access_export_job(manufacturer=request.tenant, user=request.user, public_id=public_id)
    template = "accounts/export_job.html"
    if request.htmx:
        template += "#export-progress"
    return render(request, template, {"job": job})


@manufacturer_view
@require_GET
def export_job_file(request: ManufacturerRequest, public_id: UUID) -> FileResponse:
    job = access_export_job(manufacturer=request.tenant, user=request.user, public_id=public_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404(_("This export is not ready."))
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type="text/csv"
    )
    response["Cache-Control"] = "private, no-store"
    response[CSV_FORMAT_HEADER] = CSV_FORMAT
    return response


@reseller_view
@require_GET
def reseller_dashboard(request: ResellerRequest) -> HttpResponse:
    """The reseller's landing page: one card per manufacturer with its figures, recent
    orders across manufacturers. The figures come from resellers' `channel_dashboard` tags
    (orders and partnerships sit above accounts), all filtered by `request.reseller`."""
    return render(request, "accounts/reseller_dashboard.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "errors/403.html",
        {
            "title": _("Your session expired or the form was tampered with"),
            "message": _("Nothing was changed. Reload the page and try again."),
        },
        status=403,
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if isinstance(exception, Ratelimited):
        return too_many_requests(request)
    return render(request, "errors/403.html", status=403)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = "300"
    return response


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may come from a context processor or the database.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
