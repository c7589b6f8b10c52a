"""Manufacturer portal: the tenant's orders, /m/<slug>/orders/…

Owners and managers act on an order's status and record returns; sales reps (SELLER) see
orders, add notes and create manual orders, but get 403 on status actions.
"""

from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from accounts.exports import csv_export_response
from accounts.models import STAFF_ROLES
from accounts.tenancy import ManufacturerRequest, manufacturer_view
from catalog.gate import orderable_products
from channel import selectors as channel_selectors
from channel.models import Partnership
from core.bounds import MAX_ORDER_LINES
from core.listing import keyset_paginate, search_query
from orders.exports import MANUFACTURER_ORDERS_EXPORT
from orders.forms import (
    LINES_LIMIT_ERROR,
    ManufacturerOrderFilterForm,
    NoteForm,
    OrderRecipientForm,
    ReturnForm,
    SkuLineForm,
    SkuLineFormSet,
    TransitionForm,
    posted_lines,
)
from orders.models import NoteSide, Order
from orders.pricing import order_commission_estimate
from orders.selectors.orders import (
    MANUFACTURER_SORTS,
    ORDER_KEYSET_FIELDS,
    access_order_for_manufacturer,
    order_customer_payment,
    order_lines_with_returns,
    order_method_labels,
    order_notes_for_manufacturer,
    order_returns,
    order_timeline,
    orders_for_manufacturer,
)
from orders.services.orders import (
    RETURNABLE_STATUSES,
    OrderRefused,
    order_note_add,
    order_return_create,
    order_transition,
)
from orders.services.submissions import order_create_once
from orders.workflow import (
    ACTION_LABELS,
    MANUFACTURER,
    REASON_REQUIRED,
    available_transitions,
)

DANGER_TRANSITIONS = frozenset({"rejected", "cancelled"})


@manufacturer_view
@require_GET
def order_list(request: ManufacturerRequest) -> HttpResponseBase:
    if request.GET.get("format") == "csv":
        return csv_export_response(request, MANUFACTURER_ORDERS_EXPORT)
    form = ManufacturerOrderFilterForm(
        request.GET or None,
        resellers=channel_selectors.resellers_visible_to(
            manufacturer=request.tenant, membership=request.membership
        ),
        options_url=reverse(
            "orders_manufacturer:reseller_options",
            kwargs={"manufacturer_slug": request.tenant.slug},
        ),
    )
    orders = orders_for_manufacturer(
        manufacturer=request.tenant, membership=request.membership, filters=form.to_filters()
    )
    page, sort = keyset_paginate(
        request, orders, MANUFACTURER_SORTS, "-created_at", keyset=ORDER_KEYSET_FIELDS
    )
    context = {"form": form, "page_obj": page, "sort": sort}
    template = "orders/order_list.html"
    if request.htmx and request.htmx.target == "order-table":
        template += "#order-table"
    return render(request, template, context)


RESELLER_OPTIONS = 20


@manufacturer_view
@require_GET
def reseller_options(request: ManufacturerRequest) -> HttpResponse:
    """The autocomplete of the orders filter: <option>s of the first visible resellers whose
    name contains, or whose reseller ID starts with, what was typed (`?reseller=`)."""
    typed = search_query(request, "reseller")
    options = []
    if typed:
        options = list(
            channel_selectors.resellers_visible_to(
                manufacturer=request.tenant, membership=request.membership
            )
            .filter(Q(name__icontains=typed) | Q(public_id__istartswith=typed))
            .values_list("public_id", "name")
            .distinct()[:RESELLER_OPTIONS]
        )
    return HttpResponse(
        format_html_join("", '<option value="{}">{}</option>', options),
        content_type="text/html; charset=utf-8",
    )


def _detail_context(request: ManufacturerRequest, order: Order, **extra: Any) -> dict[str, Any]:
    can_act = request.membership.is_staff_role
    actions = [
        {
            "status": status,
            "label": ACTION_LABELS[status],
            "needs_reason": status in REASON_REQUIRED,
            "danger": status in DANGER_TRANSITIONS,
        }
        for status in available_transitions(from_status=order.status, side=MANUFACTURER)
    ]
    lines = order_lines_with_returns(order)
    return {
        "order": order,
        "lines": lines,
        "timeline": order_timeline(order),
        "notes": order_notes_for_manufacturer(order),
        "returns": order_returns(order),
        "actions": actions if can_act else [],
        "can_act": can_act,
        "can_return": can_act
        and order.status in RETURNABLE_STATUSES
        and any(line.returnable > 0 for line in lines),
        "note_form": NoteForm(),
        "method_labels": order_method_labels(order),
        "customer_payment": order_customer_payment(order),
        "viewer": "manufacturer",
        "commission_estimate": order_commission_estimate(order),
        **extra,
    }


@manufacturer_view
@require_GET
def order_detail(request: ManufacturerRequest, pk: int) -> HttpResponse:
    order = access_order_for_manufacturer(
        manufacturer=request.tenant, membership=request.membership, pk=pk
    )
    return render(request, "orders/order_detail.html", _detail_context(request, order))


@manufacturer_view(roles=STAFF_ROLES)
@require_POST
def order_status(request: ManufacturerRequest, pk: int) -> HttpResponse:
    """Accept, reject, fulfil, complete or cancel; htmx swaps the status panel."""
    order = access_order_for_manufacturer(
        manufacturer=request.tenant, membership=request.membership, pk=pk
    )
    form = TransitionForm(
        request.POST,
        allowed=available_transitions(from_status=order.status, side=MANUFACTURER),
    )
    error = ""
    if form.is_valid():
        try:
            order = order_transition(
                order=order,
                to_status=form.cleaned_data["to_status"],
                side=MANUFACTURER,
                changed_by=request.user,
                reason=form.cleaned_data["reason"].strip(),
            )
        except OrderRefused as refused:
            error = refused.user_message
    else:
        error = " ".join(
            str(message) for messages_ in form.errors.values() for message in messages_
        )
    success = _("Order %(number)s is now “%(status)s”.") % {
        "number": order.number,
        "status": order.get_status_display(),
    }
    if request.htmx:
        order = access_order_for_manufacturer(
            manufacturer=request.tenant, membership=request.membership, pk=pk
        )
        response = render(
            request,
            "orders/order_detail.html#status-panel",
            _detail_context(request, order, status_error=error),
        )
        if not error:
            trigger_client_event(response, "showMessage", {"message": success})
            trigger_client_event(response, "orderStatusChanged", {"status": order.status})
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(
        "orders_manufacturer:detail", manufacturer_slug=request.tenant.slug, pk=order.pk
    )


@manufacturer_view
@require_POST
def order_note(request: ManufacturerRequest, pk: int) -> HttpResponse:
    order = access_order_for_manufacturer(
        manufacturer=request.tenant, membership=request.membership, pk=pk
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        order_note_add(
            order=order,
            author=request.user,
            side=NoteSide.MANUFACTURER,
            body=form.cleaned_data["body"],
            is_internal=form.cleaned_data["is_internal"],
        )
        messages.success(request, _("Note added."))
        return redirect(
            "orders_manufacturer:detail", manufacturer_slug=request.tenant.slug, pk=order.pk
        )
    return render(
        request,
        "orders/order_detail.html",
        _detail_context(request, order, note_form=form),
        status=400,
    )


@manufacturer_view(roles=STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def order_return(request: ManufacturerRequest, pk: int) -> HttpResponse:
    order = access_order_for_manufacturer(
        manufacturer=request.tenant, membership=request.membership, pk=pk
    )
    lines = order_lines_with_returns(order)
    form = ReturnForm(request.POST or None, lines=lines)
    status = 200
    if order.status not in RETURNABLE_STATUSES:
        messages.error(request, _("Only fulfilled or completed orders can have returns."))
        return redirect(
            "orders_manufacturer:detail", manufacturer_slug=request.tenant.slug, pk=order.pk
        )
    if request.method == "POST":
        if form.is_valid():
            try:
                order_return_create(
                    order=order,
                    lines=form.line_requests(),
                    created_by=request.user,
                    reason=form.cleaned_data["reason"],
                    returned_at=_day_start(form.cleaned_data["returned_at"]),
                )
            except OrderRefused as refused:
                form.add_error(None, refused.user_message)
            else:
                messages.success(request, _("Return recorded."))
                return redirect(
                    "orders_manufacturer:detail", manufacturer_slug=request.tenant.slug, pk=order.pk
                )
        status = 400
    return render(
        request, "orders/order_return.html", {"order": order, "form": form}, status=status
    )


def _day_start(day: date) -> datetime:
    """A returned-on date as an aware datetime: now if today, else noon of that day."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@manufacturer_view
@require_http_methods(["GET", "POST"])
def order_create_manual(request: ManufacturerRequest) -> HttpResponse:
    """A manual order on a reseller's behalf: choose the reseller, then customer and lines."""
    partnerships = channel_selectors.active_partnerships(
        manufacturer=request.tenant, membership=request.membership
    )
    partnership_id = request.POST.get("partnership") or request.GET.get("partnership")
    if not partnership_id:
        return render(
            request, "orders/order_manual.html", {"partnerships": partnerships, "step": 1}
        )
    try:
        partnership_pk = int(partnership_id)
    except ValueError:
        partnership_pk = 0
    partnership = channel_selectors.access_active_partnership(
        manufacturer=request.tenant, membership=request.membership, pk=partnership_pk
    )
    reseller = partnership.reseller
    products = orderable_products(manufacturer=request.tenant, reseller=reseller)
    if request.htmx and "add_line" in request.GET:
        return _manual_order_new_line(request, partnership)
    adding_line = request.method == "POST" and "add_line" in request.POST
    data = request.POST if request.method == "POST" and not adding_line else None
    recipient_form = OrderRecipientForm(
        data, end_customers=channel_selectors.end_customers_of(reseller)
    )
    line_formset = SkuLineFormSet(data, products=products, prefix="lines")
    if adding_line:
        # Without JavaScript "Add a line" posts the form: show it again, one line longer.
        recipient_form = OrderRecipientForm(
            initial={
                "end_customer": request.POST.get("end_customer"),
                "own_use": bool(request.POST.get("own_use")),
            },
            end_customers=channel_selectors.end_customers_of(reseller),
        )
        lines = posted_lines(request.POST, prefix="lines")
        room = len(lines) < MAX_ORDER_LINES
        line_formset = SkuLineFormSet(
            initial=lines, products=products, prefix="lines", extra=1 if room else 0
        )
        if not room:
            messages.error(request, str(LINES_LIMIT_ERROR))
    status = 200
    if data is not None:
        if recipient_form.is_valid() and line_formset.is_valid():
            try:
                order, _created = order_create_once(
                    submission_key=recipient_form.cleaned_data["submission_key"],
                    partnership=partnership,
                    lines=line_formset.line_requests,
                    created_by=request.user,
                    end_customer=recipient_form.cleaned_data["end_customer"],
                    own_use=recipient_form.cleaned_data["own_use"],
                    is_manual=True,
                )
            except OrderRefused as refused:
                recipient_form.add_error(None, refused.user_message)
            else:
                messages.success(
                    request,
                    _("Manual order %(number)s created for %(reseller)s.")
                    % {"number": order.number, "reseller": reseller.name},
                )
                return redirect(
                    "orders_manufacturer:detail", manufacturer_slug=request.tenant.slug, pk=order.pk
                )
        status = 400
    context = {
        "step": 2,
        "partnership": partnership,
        "recipient_form": recipient_form,
        "line_formset": line_formset,
        "max_lines": MAX_ORDER_LINES,
        "products": products.only("sku", "name", "price")[:200],
    }
    return render(request, "orders/order_manual.html", context, status=status)


def _manual_order_new_line(request: ManufacturerRequest, partnership: Partnership) -> HttpResponse:
    """htmx: one more empty line for the manual order form, and its new line count."""
    try:
        index = int(request.GET.get("lines-TOTAL_FORMS", ""))
    except ValueError:
        index = -1
    if not 0 <= index < MAX_ORDER_LINES:
        return render(
            request,
            "orders/order_manual.html#line-limit",
            {"line_limit_error": LINES_LIMIT_ERROR if index >= MAX_ORDER_LINES else ""},
        )
    context = {
        "partnership": partnership,
        "line_form": SkuLineForm(prefix=f"lines-{index}"),
        "total_forms": index + 1,
        "max_lines": MAX_ORDER_LINES,
    }
    return render(request, "orders/order_manual.html#new-line", context)
