"""Problem partners and exclusives: incidents and their steps, blocks, partner notes, and
exclusives with their compliance. Owners and managers only (403 otherwise)."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from channel import selectors as channel_selectors
from core.listing import csv_response, paginate
from partners.forms import (
    ExclusiveForm,
    IncidentForm,
    IncidentThresholdsForm,
    StepForm,
    TextForm,
)
from partners.selectors import problems as selectors
from partners.selectors.exclusives import exclusive_compliance, exclusives_of
from partners.services import PartnerRefused
from partners.services import exclusives as exclusive_services
from partners.services import incidents as services


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"partners_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def incident_list(request: ManufacturerRequest) -> HttpResponseBase:
    show_closed = request.GET.get("show") == "all"
    rows = selectors.incidents_of(request.tenant, open_only=not show_closed)
    return render(
        request,
        "partners/incidents.html",
        {"page_obj": paginate(request, rows), "show_closed": show_closed},
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def incident_thresholds(request: ManufacturerRequest) -> HttpResponseBase:
    """The thresholds from which the nightly check raises incidents, per manufacturer."""
    current = services.incident_thresholds_of(request.tenant)
    form = IncidentThresholdsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_thresholds_save(
                manufacturer=request.tenant, values=dict(form.cleaned_data), by=request.user
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(
                request, _("Thresholds saved: the next nightly check raises incidents by them.")
            )
            return redirect(_url(request, "incidents"))
    return render(
        request,
        "partners/thresholds.html",
        {
            "form": form,
            "title": _("Incident thresholds"),
            "back_url": _url(request, "incidents"),
        },
        status=400 if form.is_bound else 200,
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def incident_detail(request: ManufacturerRequest, incident_id: int) -> HttpResponseBase:
    incident = selectors.access_incident(manufacturer=request.tenant, incident_id=incident_id)
    return render(
        request,
        "partners/incident.html",
        {
            "incident": incident,
            "steps": list(incident.steps.select_related("taken_by")),
            "blocks": list(incident.blocks.select_related("offer", "created_by", "lifted_by")),
            "step_form": StepForm(manufacturer=request.tenant),
            "text_form": TextForm(),
        },
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def incident_create(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    form = IncidentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(_url(request, "scorecard", public_id=partnership.reseller.public_id))
    incident = services.incident_raise(
        partnership=partnership,
        kind=form.cleaned_data["kind"],
        summary=form.cleaned_data["summary"],
        by=request.user,
    )
    messages.success(request, _("Incident recorded. Take the first step of the response."))
    return redirect(_url(request, "incident", incident_id=incident.pk))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def incident_step(request: ManufacturerRequest, incident_id: int) -> HttpResponseBase:
    incident = selectors.access_incident(manufacturer=request.tenant, incident_id=incident_id)
    back = _url(request, "incident", incident_id=incident.pk)
    form = StepForm(request.POST, manufacturer=request.tenant)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(back)
    try:
        services.incident_step_take(
            incident=incident,
            step=form.cleaned_data["step"],
            notes=form.cleaned_data["notes"],
            by=request.user,
            offer=form.cleaned_data["offer"],
        )
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(request, _("Step recorded."))
    return redirect(back)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def incident_resolve(request: ManufacturerRequest, incident_id: int) -> HttpResponseBase:
    incident = selectors.access_incident(manufacturer=request.tenant, incident_id=incident_id)
    back = _url(request, "incident", incident_id=incident.pk)
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(back)
    try:
        services.incident_resolve(
            incident=incident, by=request.user, notes=form.cleaned_data["text"]
        )
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(request, _("Incident resolved."))
    return redirect(back)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def block_lift(request: ManufacturerRequest, block_id: int) -> HttpResponseBase:
    block = selectors.access_block(manufacturer=request.tenant, block_id=block_id)
    back = (
        _url(request, "incident", incident_id=block.incident_id)
        if block.incident_id
        else _url(request, "scorecard", public_id=block.partnership.reseller.public_id)
    )
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(back)
    try:
        services.block_lift(block=block, by=request.user, reason=form.cleaned_data["text"])
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(request, _("Block lifted: the partner sees the offers again at once."))
    return redirect(back)


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def note_add(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    form = TextForm(request.POST)
    if form.is_valid():
        services.partner_note_add(
            partnership=partnership, body=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("Note saved."))
    else:
        messages.error(request, _errors(form))
    return redirect(_url(request, "scorecard", public_id=partnership.reseller.public_id))


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def exclusive_list(request: ManufacturerRequest) -> HttpResponseBase:
    rows = list(exclusives_of(request.tenant))
    compliance = exclusive_compliance(rows)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-exclusives",
            header=[_("Reseller ID"), _("Reseller"), _("Kind"), _("Region or service"),
                    _("Starts on"), _("Ends on"), _("Next review"), _("In breach"),
                    _("Months met"), _("Months checked")],
            rows=(
                [c.exclusive.partnership.reseller.public_id, c.exclusive.partnership.reseller.name,
                 c.exclusive.get_kind_display(), c.exclusive.scope,
                 c.exclusive.starts_on.isoformat(), c.ends_on.isoformat(),
                 c.next_review.isoformat() if c.next_review else "",
                 _("Yes") if c.in_breach else _("No"), sum(m.met for m in c.months),
                 len(c.months)]
                for c in compliance
            ),
        )  # fmt: skip
    return render(request, "partners/exclusives.html", {"compliance": compliance})


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def exclusive_grant(request: ManufacturerRequest, public_id: str) -> HttpResponseBase:
    partnership = channel_selectors.access_partnership(
        manufacturer=request.tenant, membership=request.membership, public_id=public_id
    )
    back = _url(request, "scorecard", public_id=partnership.reseller.public_id)
    form = ExclusiveForm(request.POST, manufacturer=request.tenant, partnership=partnership)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(back)
    data = form.cleaned_data
    try:
        exclusive_services.exclusive_grant(
            partnership=partnership,
            offer=data["offer"],
            terms=exclusive_services.ExclusiveTerms(
                kind=data["kind"],
                scope=data["scope"],
                starts_on=data["starts_on"],
                term_months=data["term_months"],
                review_period=data["review_period"],
                min_monthly_orders=data["min_monthly_orders"],
                min_completion_rate=data["min_completion_rate"],
                renewal_criteria=data["renewal_criteria"],
            ),
        )
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
        return redirect(back)
    messages.success(request, _("Exclusive granted."))
    return redirect(_url(request, "exclusives"))


def problems_panel_context(request: ManufacturerRequest, partnership: Any) -> dict[str, Any]:
    """The scorecard's panel of incidents, blocks, notes and exclusives."""
    exclusives = list(exclusives_of(request.tenant).filter(partnership=partnership))
    return {
        "incidents": list(selectors.incidents_of_partner(partnership)[:10]),
        "active_blocks": list(selectors.active_blocks_of(partnership)),
        "notes": list(selectors.notes_of(partnership)[:20]),
        "incident_form": IncidentForm(auto_id="incident_%s"),
        "note_form": TextForm(auto_id="note_%s"),
        "exclusive_form": ExclusiveForm(
            manufacturer=request.tenant, partnership=partnership, auto_id="exclusive_%s"
        ),
        "exclusives": exclusive_compliance(exclusives),
    }
