"""Announcements: owners and managers write, publish and withdraw them; a reseller reads the
ones it was told of that are still published."""

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import STAFF_ROLES
from accounts.tenancy import (
    ManufacturerRequest,
    ResellerPartnerRequest,
    manufacturer_view,
    reseller_partner_view,
)
from core.formatting import local_datetime
from core.listing import csv_response, paginate, search_query
from partners.forms import AnnouncementForm
from partners.models import AnnouncementStatus
from partners.selectors import announcements as selectors
from partners.services import PartnerRefused
from partners.services import announcements as services


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"partners_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


def _csv_time(value: object) -> str:
    return local_datetime(value, "short") if value else ""


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def announcement_list(request: ManufacturerRequest) -> HttpResponseBase:
    query = search_query(request)
    status = request.GET.get("status", "")
    status = status if status in AnnouncementStatus.values else ""
    rows = selectors.announcements_of(request.tenant, query=query, status=status)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-announcements",
            header=[_("Title"), _("Kind"), _("Audience"), _("Minimum tier"), _("From"),
                    _("Until"), _("Status"), _("Published at"), _("Partners told")],
            rows=(
                [a.title, a.get_kind_display(), a.get_audience_display(),
                 a.min_tier.name if a.min_tier else "", _csv_time(a.starts_at),
                 _csv_time(a.ends_at), a.get_status_display(), _csv_time(a.published_at),
                 a.told]  # type: ignore[attr-defined]
                for a in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    return render(
        request,
        "partners/announcements.html",
        {
            "page_obj": paginate(request, rows),
            "query": query,
            "status": status,
            "statuses": AnnouncementStatus.choices,
        },
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def announcement_edit(
    request: ManufacturerRequest, announcement_id: int | None = None
) -> HttpResponseBase:
    announcement = (
        selectors.access_announcement(manufacturer=request.tenant, announcement_id=announcement_id)
        if announcement_id is not None
        else None
    )
    if announcement is not None and announcement.status != AnnouncementStatus.DRAFT:
        return redirect(_url(request, "announcement", announcement_id=announcement.pk))
    initial = AnnouncementForm.initial_for(announcement) if announcement is not None else None
    form = AnnouncementForm(request.POST or None, manufacturer=request.tenant, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.announcement_save(
                manufacturer=request.tenant,
                announcement=announcement,
                values=form.values(),
                by=request.user,
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(
                request,
                _("Draft “%(title)s” saved; publish it to tell your partners.")
                % {"title": saved.title},
            )
            return redirect(_url(request, "announcement", announcement_id=saved.pk))
    title = (
        _("Edit “%(title)s”") % {"title": announcement.title}
        if announcement
        else _("New announcement")
    )
    return render(
        request,
        "partners/announcement_form.html",
        {"form": form, "title": title, "back_url": _url(request, "announcements")},
        status=400 if form.is_bound else 200,
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def announcement_detail(request: ManufacturerRequest, announcement_id: int) -> HttpResponseBase:
    announcement = selectors.access_announcement(
        manufacturer=request.tenant, announcement_id=announcement_id
    )
    deliveries = announcement.deliveries.select_related("partnership__reseller").order_by(
        "partnership__reseller__name", "pk"
    )
    return render(
        request,
        "partners/announcement.html",
        {
            "announcement": announcement,
            "recipients": announcement.recipients.select_related("partnership__reseller").order_by(
                "partnership__reseller__name"
            ),
            "page_obj": paginate(request, deliveries),
            "audience_count": (
                services.audience_of(announcement).count()
                if announcement.status == AnnouncementStatus.DRAFT
                else None
            ),
        },
    )


def _act(request: ManufacturerRequest, announcement_id: int, action: str) -> HttpResponseBase:
    announcement = selectors.access_announcement(
        manufacturer=request.tenant, announcement_id=announcement_id
    )
    try:
        if action == "publish":
            told = services.announcement_publish(announcement=announcement, by=request.user)
            messages.success(
                request,
                ngettext(
                    "Published; %(count)d partner was told.",
                    "Published; %(count)d partners were told.",
                    told,
                )
                % {"count": told},
            )
        elif action == "withdraw":
            services.announcement_withdraw(announcement=announcement)
            messages.success(request, _("Withdrawn; your partners no longer see it."))
        else:
            services.announcement_delete(announcement=announcement)
            messages.success(request, _("Draft deleted."))
            return redirect(_url(request, "announcements"))
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
    return redirect(_url(request, "announcement", announcement_id=announcement.pk))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def announcement_publish(request: ManufacturerRequest, announcement_id: int) -> HttpResponseBase:
    return _act(request, announcement_id, "publish")


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def announcement_withdraw(request: ManufacturerRequest, announcement_id: int) -> HttpResponseBase:
    return _act(request, announcement_id, "withdraw")


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def announcement_delete(request: ManufacturerRequest, announcement_id: int) -> HttpResponseBase:
    return _act(request, announcement_id, "delete")


# --- the reseller's side ---------------------------------------------------------------------


@reseller_partner_view
@require_GET
def reseller_announcements(request: ResellerPartnerRequest) -> HttpResponseBase:
    return render(
        request,
        "partners/reseller_announcements.html",
        {"page_obj": paginate(request, selectors.announcements_for(request.partnership))},
    )
