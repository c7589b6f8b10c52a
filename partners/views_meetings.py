"""Check-ins and business reviews: the list of due and overdue meetings, one meeting with
its frozen figures, holding it, and its follow-ups. Staff see the tenant; a sales rep sees
the meetings of the partners in their portfolio (anyone else: 404)."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.tenancy import ManufacturerRequest, manufacturer_view
from core.listing import apply_sort, csv_date, csv_datetime, csv_response, paginate, search_query
from partners.forms import FollowUpForm, MeetingHoldForm
from partners.models import MeetingKind
from partners.selectors import meetings as selectors
from partners.services import PartnerRefused
from partners.services import meetings as services

SORTS = {"due": "due_on", "partner": "partnership__reseller__name", "kind": "kind"}
STATUS_LABELS = {
    selectors.OVERDUE: gettext_lazy("Overdue"),
    selectors.DUE: gettext_lazy("Due"),
    selectors.SCHEDULED: gettext_lazy("Scheduled"),
    selectors.HELD: gettext_lazy("Held"),
}


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"partners_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


@manufacturer_view
@require_GET
def meeting_list(request: ManufacturerRequest) -> HttpResponseBase:
    status = request.GET.get("status", "")
    status = status if status in (*selectors.STATUSES, "all") else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    query = search_query(request)
    rows = selectors.meeting_list(
        manufacturer=request.tenant,
        membership=request.membership,
        status=status,
        kind=kind,
        query=query,
    )
    rows, sort = apply_sort(request, rows, SORTS, "due_on")
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-check-ins",
            header=[_("Reseller ID"), _("Reseller"), _("Kind"), _("Status"), _("Due on"),
                    _("Period from"), _("Period to"), _("Held on"), _("Held by"),
                    _("Open follow-ups")],
            rows=(  # status and open_follow_ups are annotations of meeting_list
                [m.partnership.reseller.public_id, m.partnership.reseller.name,
                 m.get_kind_display(), STATUS_LABELS[m.status], csv_date(m.due_on),  # type: ignore[attr-defined]
                 csv_date(m.period_start), csv_date(m.period_end), csv_datetime(m.held_at),
                 m.held_by.display_name if m.held_by else "", m.open_follow_ups]  # type: ignore[attr-defined]
                for m in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    context = {
        "page_obj": paginate(request, rows),
        "status": status,
        "kind": kind,
        "query": query,
        "sort": sort,
        "kinds": MeetingKind.choices,
        "statuses": list(STATUS_LABELS.items()),
        "counts": selectors.meeting_counts(
            manufacturer=request.tenant, membership=request.membership
        ),
    }
    template = "partners/meetings.html"
    if request.htmx:
        template += "#meeting-table"
    return render(request, template, context)


def _detail(request: ManufacturerRequest, meeting: Any, **forms: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "status_label": STATUS_LABELS[meeting.status],
        "follow_ups": selectors.follow_ups_of(meeting),
        "hold_form": forms.get("hold_form") or MeetingHoldForm(manufacturer=request.tenant),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(manufacturer=request.tenant),
        "is_staff": request.membership.is_staff_role,
    }


@manufacturer_view
@require_GET
def meeting_detail(request: ManufacturerRequest, meeting_id: int) -> HttpResponseBase:
    meeting = selectors.access_meeting(
        manufacturer=request.tenant, membership=request.membership, meeting_id=meeting_id
    )
    return render(request, "partners/meeting.html", _detail(request, meeting))


@manufacturer_view
@require_http_methods(["POST"])
def meeting_hold(request: ManufacturerRequest, meeting_id: int) -> HttpResponseBase:
    meeting = selectors.access_meeting(
        manufacturer=request.tenant, membership=request.membership, meeting_id=meeting_id
    )
    form = MeetingHoldForm(request.POST, manufacturer=request.tenant)
    if form.is_valid():
        try:
            services.meeting_hold(
                meeting=meeting,
                by=request.user,
                notes=form.cleaned_data["notes"],
                follow_ups=form.follow_ups(),
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(
                request, _("Recorded as held; the next one is scheduled from the tier.")
            )
            return redirect(_url(request, "meeting", meeting_id=meeting.pk))
    return render(
        request, "partners/meeting.html", _detail(request, meeting, hold_form=form), status=400
    )


@manufacturer_view
@require_POST
def follow_up_add(request: ManufacturerRequest, meeting_id: int) -> HttpResponseBase:
    meeting = selectors.access_meeting(
        manufacturer=request.tenant, membership=request.membership, meeting_id=meeting_id
    )
    form = FollowUpForm(request.POST, manufacturer=request.tenant)
    if form.is_valid():
        try:
            services.follow_up_add(
                meeting=meeting,
                values=services.FollowUpValues(
                    description=form.cleaned_data["description"],
                    owner=form.cleaned_data["owner"],
                ),
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, _("Follow-up added."))
            return redirect(_url(request, "meeting", meeting_id=meeting.pk))
    return render(
        request,
        "partners/meeting.html",
        _detail(request, meeting, follow_up_form=form),
        status=400,
    )


@manufacturer_view
@require_POST
def follow_up_toggle(request: ManufacturerRequest, follow_up_id: int) -> HttpResponseBase:
    follow_up = selectors.access_follow_up(
        manufacturer=request.tenant, membership=request.membership, follow_up_id=follow_up_id
    )
    done = request.POST.get("done") == "1"
    services.follow_up_set_done(follow_up=follow_up, done=done)
    messages.success(request, _("Follow-up marked done.") if done else _("Follow-up reopened."))
    return redirect(_url(request, "meeting", meeting_id=follow_up.meeting_id))
