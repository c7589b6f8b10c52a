"""Offers: the manufacturer writes and publishes them (owners and managers); a reseller sees
exactly the ones open to it (`partners.selectors.offers.offers_open_to`)."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import STAFF_ROLES
from accounts.tenancy import (
    ManufacturerRequest,
    ResellerPartnerRequest,
    manufacturer_view,
    reseller_partner_view,
)
from channel.models import EndCustomer
from core.listing import csv_response, paginate, search_query
from partners.forms import OfferForm, OfferOrderForm
from partners.selectors import offers as selectors
from partners.selectors.tiers import current_tier
from partners.services import PartnerRefused
from partners.services import offers as services


def _url(request: ManufacturerRequest, name: str, **kwargs: object) -> str:
    return reverse(
        f"partners_manufacturer:{name}",
        kwargs={"manufacturer_slug": request.tenant.slug, **kwargs},
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_GET
def offer_list(request: ManufacturerRequest) -> HttpResponseBase:
    query = search_query(request)
    rows = selectors.offers_of(request.tenant, query=query).annotate(
        told=Count("announcements", distinct=True)
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{request.tenant.slug}-offers",
            header=[_("Title"), _("Visibility"), _("Minimum tier"), _("Price"), _("Starts on"),
                    _("Ends on"), _("Published"), _("Partners told")],
            rows=(
                [o.title, o.get_visibility_display(), o.min_tier.name if o.min_tier else "",
                 o.price, o.starts_on.isoformat(), o.ends_on.isoformat() if o.ends_on else "",
                 _("Yes") if o.is_published else _("No"), o.told]
                for o in rows.iterator(chunk_size=500)
            ),
        )  # fmt: skip
    return render(
        request,
        "partners/offers.html",
        {"page_obj": paginate(request, rows), "query": query},
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def offer_edit(request: ManufacturerRequest, offer_id: int | None = None) -> HttpResponseBase:
    offer = (
        selectors.access_offer(manufacturer=request.tenant, offer_id=offer_id)
        if offer_id is not None
        else None
    )
    initial = OfferForm.initial_for(offer) if offer is not None else None
    form = OfferForm(request.POST or None, manufacturer=request.tenant, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.offer_save(
                manufacturer=request.tenant, offer=offer, values=form.values()
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, _("Offer “%(title)s” saved.") % {"title": saved.title})
            return redirect(_url(request, "offers"))
    title = _("Edit “%(title)s”") % {"title": offer.title} if offer else _("New offer")
    return render(
        request,
        "partners/offer_form.html",
        {"form": form, "title": title, "back_url": _url(request, "offers")},
        status=400 if form.is_bound else 200,
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def offer_publish(request: ManufacturerRequest, offer_id: int) -> HttpResponseBase:
    offer = selectors.access_offer(manufacturer=request.tenant, offer_id=offer_id)
    try:
        told = services.offer_publish(offer=offer)
    except PartnerRefused as refused:
        messages.error(request, refused.user_message)
    else:
        messages.success(
            request,
            _("Published; %(count)d partners were told, others hear when it opens for them.")
            % {"count": told},
        )
    return redirect(_url(request, "offers"))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def offer_announce_change(request: ManufacturerRequest, offer_id: int) -> HttpResponseBase:
    offer = selectors.access_offer(manufacturer=request.tenant, offer_id=offer_id)
    told = services.offer_announce_change(offer=offer)
    messages.success(request, _("%(count)d partners were told of the change.") % {"count": told})
    return redirect(_url(request, "offers"))


# --- the reseller's side ---------------------------------------------------------------------


@reseller_partner_view
@require_GET
def reseller_offers(request: ResellerPartnerRequest) -> HttpResponseBase:
    rows = selectors.offers_open_to(partnership=request.partnership).prefetch_related(
        "items__product"
    )
    return render(
        request,
        "partners/reseller_offers.html",
        {"page_obj": paginate(request, rows), "tier": current_tier(request.partnership)},
    )


def _order_form(request: ResellerPartnerRequest) -> OfferOrderForm:
    return OfferOrderForm(
        request.POST if request.method == "POST" else None,
        end_customers=EndCustomer.objects.filter(reseller=request.reseller).order_by("name"),
    )


@reseller_partner_view
@require_http_methods(["GET", "POST"])
def reseller_offer(request: ResellerPartnerRequest, offer_id: int) -> HttpResponseBase:
    """The offer, and ordering it at its price (POST); a blocked or closed offer is 404."""
    offer = selectors.access_open_offer(partnership=request.partnership, offer_id=offer_id)
    form = _order_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.offer_order(
                partnership=request.partnership,
                offer=offer,
                bundles=form.cleaned_data["bundles"],
                end_customer=form.cleaned_data["end_customer"],
                by=request.user,
            )
        except PartnerRefused as refused:
            form.add_error(None, refused.user_message)
        else:
            messages.success(
                request,
                _("Order %(number)s placed at the offer's price.") % {"number": order.number},
            )
            return redirect(
                "orders_reseller:detail",
                reseller_public_id=request.reseller.public_id,
                manufacturer_slug=request.tenant.slug,
                pk=order.pk,
            )
    return render(
        request,
        "partners/reseller_offer.html",
        {
            "offer": offer,
            "items": list(offer.items.select_related("product")),
            "early": selectors.is_early_access(offer),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )
