"""Reseller dashboard: a reseller's orders with one manufacturer, /r/<id>/m/<slug>/orders/…,
and all its orders across manufacturers, /r/<id>/orders/."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Manufacturer
from accounts.tenancy import (
    ResellerPartnerRequest,
    ResellerRequest,
    reseller_partner_view,
    reseller_view,
)
from catalog.gate import orderable_products
from catalog.pricing import reseller_unit_prices
from core.listing import apply_sort, csv_response, keyset_paginate
from orders.exports import ORDER_CSV_HEADER, order_csv_rows
from orders.forms import (
    NoteForm,
    OrderFilterForm,
    OrderRecipientForm,
    ProductQuantitiesForm,
    ResellerAllOrdersFilterForm,
)
from orders.models import NoteSide, Order, OrderStatus
from orders.pricing import order_commission_estimate
from orders.selectors.orders import (
    ORDER_KEYSET_FIELDS,
    RESELLER_SORTS,
    access_order_for_reseller,
    order_customer_payment,
    order_lines_with_returns,
    order_method_labels,
    order_notes_for_reseller,
    order_returns,
    order_timeline,
    orders_for_reseller,
    orders_for_reseller_partnership,
)
from orders.selectors.payment_links import LinkState, payment_link_state, pending_payment_link
from orders.services.orders import OrderRefused, order_note_add
from orders.services.reseller_moves import order_reseller_move
from orders.services.submissions import order_create_once
from orders.workflow import (
    ACTION_LABELS,
    RESELLER,
    RESELLER_FULFILMENT,
    available_transitions,
    can_transition,
    next_mover,
)


def _detail_url_kwargs(request: ResellerPartnerRequest, order: Order) -> dict[str, Any]:
    return {
        "reseller_public_id": request.reseller.public_id,
        "manufacturer_slug": request.tenant.slug,
        "pk": order.pk,
    }


@reseller_partner_view
@require_GET
def order_list(request: ResellerPartnerRequest) -> HttpResponseBase:
    form = OrderFilterForm(request.GET or None)
    orders = orders_for_reseller_partnership(
        partnership=request.partnership, filters=form.to_filters()
    )
    if request.GET.get("format") == "csv":
        orders, _sort = apply_sort(request, orders, RESELLER_SORTS, "-created_at")
        return csv_response(filename="orders", header=ORDER_CSV_HEADER, rows=order_csv_rows(orders))
    page, sort = keyset_paginate(
        request, orders, RESELLER_SORTS, "-created_at", keyset=ORDER_KEYSET_FIELDS
    )
    context = {
        "form": form,
        "page_obj": page,
        "sort": sort,
        "can_order": request.partnership.is_active,
    }
    template = "orders/reseller/order_list.html"
    if request.htmx and request.htmx.target == "order-table":
        template += "#order-table"
    return render(request, template, context)


@reseller_view
@require_GET
def all_orders(request: ResellerRequest) -> HttpResponseBase:
    """Every order of the reseller, with all its manufacturers."""
    manufacturers = Manufacturer.objects.filter(partnerships__reseller=request.reseller).order_by(
        "name"
    )
    form = ResellerAllOrdersFilterForm(request.GET or None, manufacturers=manufacturers)
    orders = orders_for_reseller(reseller=request.reseller, filters=form.to_filters())
    if request.GET.get("format") == "csv":
        orders, _sort = apply_sort(request, orders, RESELLER_SORTS, "-created_at")
        return csv_response(filename="orders", header=ORDER_CSV_HEADER, rows=order_csv_rows(orders))
    page, sort = keyset_paginate(
        request, orders, RESELLER_SORTS, "-created_at", keyset=ORDER_KEYSET_FIELDS
    )
    context = {"form": form, "page_obj": page, "sort": sort}
    template = "orders/reseller/all_orders.html"
    if request.htmx and request.htmx.target == "order-table":
        template += "#order-table"
    return render(request, template, context)


def _detail_context(request: ResellerPartnerRequest, order: Order, **extra: Any) -> dict[str, Any]:
    reseller_fulfils = request.tenant.resellers_fulfil_orders
    return {
        "order": order,
        "lines": order_lines_with_returns(order),
        "timeline": order_timeline(order),
        "notes": order_notes_for_reseller(order),
        "returns": order_returns(order),
        "can_cancel": can_transition(
            from_status=order.status, to_status=OrderStatus.CANCELLED, side=RESELLER
        ),
        "moves": [
            (status, ACTION_LABELS[status])
            for status in available_transitions(
                from_status=order.status, side=RESELLER, reseller_fulfils=reseller_fulfils
            )
            if status in RESELLER_FULFILMENT
        ],
        "next_mover": next_mover(status=order.status, reseller_fulfils=reseller_fulfils),
        "note_form": NoteForm(),
        "method_labels": order_method_labels(order),
        "customer_payment": order_customer_payment(order),
        "viewer": "reseller",
        "commission_estimate": order_commission_estimate(order),
        **_payment_link_context(order),
        **extra,
    }


def _payment_link_context(order: Order) -> dict[str, Any]:
    link = pending_payment_link(order)
    if link is None:
        return {"payment_link": None, "payment_link_expired": False}
    state = payment_link_state(link, order=order)
    return {"payment_link": link, "payment_link_expired": state == LinkState.EXPIRED}


@reseller_partner_view
@require_GET
def order_detail(request: ResellerPartnerRequest, pk: int) -> HttpResponse:
    order = access_order_for_reseller(reseller=request.reseller, manufacturer=request.tenant, pk=pk)
    return render(request, "orders/reseller/order_detail.html", _detail_context(request, order))


@reseller_partner_view
@require_POST
def order_cancel(request: ResellerPartnerRequest, pk: int) -> HttpResponse:
    order = access_order_for_reseller(reseller=request.reseller, manufacturer=request.tenant, pk=pk)
    reason = request.POST.get("reason", "").strip()[:500]
    try:
        order_reseller_move(
            order=order, to_status=OrderStatus.CANCELLED, user=request.user, reason=reason
        )
    except OrderRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
    return redirect("orders_reseller:detail", **_detail_url_kwargs(request, order))


@reseller_partner_view
@require_POST
def order_move(request: ResellerPartnerRequest, pk: int) -> HttpResponse:
    """Mark the order fulfilled or completed, where the manufacturer lets resellers do so."""
    order = access_order_for_reseller(reseller=request.reseller, manufacturer=request.tenant, pk=pk)
    if not request.tenant.resellers_fulfil_orders:
        raise PermissionDenied
    to_status = request.POST.get("to_status", "")
    if to_status not in RESELLER_FULFILMENT:
        messages.error(request, _("Choose what happened to the order."))
        return redirect("orders_reseller:detail", **_detail_url_kwargs(request, order))
    try:
        order_reseller_move(order=order, to_status=to_status, user=request.user)
    except OrderRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("Order %(number)s is now “%(status)s”.")
            % {"number": order.number, "status": OrderStatus(to_status).label},
        )
    return redirect("orders_reseller:detail", **_detail_url_kwargs(request, order))


@reseller_partner_view
@require_POST
def order_note(request: ResellerPartnerRequest, pk: int) -> HttpResponse:
    order = access_order_for_reseller(reseller=request.reseller, manufacturer=request.tenant, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        order_note_add(
            order=order,
            author=request.user,
            side=NoteSide.RESELLER,
            body=form.cleaned_data["body"],
            is_internal=form.cleaned_data["is_internal"],
        )
        messages.success(request, _("Note added."))
        return redirect("orders_reseller:detail", **_detail_url_kwargs(request, order))
    return render(
        request,
        "orders/reseller/order_detail.html",
        _detail_context(request, order, note_form=form),
        status=400,
    )


@reseller_partner_view
@require_http_methods(["GET", "POST"])
def order_place(request: ResellerPartnerRequest) -> HttpResponse:
    """Place an order for one of the reseller's end customers, or for its own use."""
    partnership = request.partnership
    if not partnership.is_active:
        messages.error(request, _("This partnership is not active, so it cannot place orders."))
        return redirect(
            "orders_reseller:list",
            reseller_public_id=request.reseller.public_id,
            manufacturer_slug=request.tenant.slug,
        )
    products = orderable_products(manufacturer=request.tenant, reseller=request.reseller)
    products = products.select_related("category").order_by("category__name", "name")
    data = request.POST if request.method == "POST" else None
    recipient_form = OrderRecipientForm(
        data,
        # The reseller's own customers only, through the relation (resellers sits above orders).
        end_customers=request.reseller.end_customers.all().order_by("name"),
        initial={"end_customer": request.GET.get("customer")},
    )
    quantities_form = ProductQuantitiesForm(data, products=products)
    status = 200
    if request.method == "POST":
        if recipient_form.is_valid() and quantities_form.is_valid():
            try:
                order, _created = order_create_once(
                    submission_key=recipient_form.cleaned_data["submission_key"],
                    partnership=partnership,
                    lines=quantities_form.line_requests,
                    created_by=request.user,
                    end_customer=recipient_form.cleaned_data["end_customer"],
                    own_use=recipient_form.cleaned_data["own_use"],
                )
            except OrderRefused as refused:
                quantities_form.add_error(None, " ".join(refused.messages))
            else:
                messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
                return redirect("orders_reseller:detail", **_detail_url_kwargs(request, order))
        status = 400
    prices = reseller_unit_prices(
        products=quantities_form.products,
        price_list=partnership.price_list,
        discount_percent=partnership.effective_discount_percent,
    )
    for product in quantities_form.products:
        product.your_price = prices[product.pk]
    context = {
        "recipient_form": recipient_form,
        "quantities_form": quantities_form,
        "products": quantities_form.products,
    }
    return render(request, "orders/reseller/order_place.html", context, status=status)
