"""Reads of orders for both sides. Every query names its tenant (and reseller) explicitly.

A list of the manufacturer side takes the viewer (`membership`, required) and narrows to a
sales rep's orders through `orders.visibility.order_visibility_q`.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Reseller
from channel.models import Partnership, PaymentMethod, ShippingMethod
from orders.models import (
    NoteSide,
    Order,
    OrderNote,
    OrderReturn,
    OrderReturnLine,
    OrderStatusChange,
    Payment,
    PaymentStatus,
)
from orders.visibility import order_visibility_q
from orders.workflow import OPEN_STATUSES

LIST_RELATED = ("reseller", "end_customer", "manufacturer", "created_by")

MANUFACTURER_SORTS = {
    "number": "number",
    "date": "created_at",
    "reseller": "reseller__name",
    "customer": "end_customer__name",
    "total": "total",
    "status": "status",
}
RESELLER_SORTS = {key: value for key, value in MANUFACTURER_SORTS.items() if key != "reseller"}
# The sorts whose field is never null: paged by keyset (core.listing.keyset_paginate), any
# depth at the cost of the first page. The customer (empty on own-use orders) pages by a
# bounded OFFSET.
ORDER_KEYSET_FIELDS = frozenset({"created_at", "number", "total", "status", "reseller__name"})


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    reseller_id: int | None = None
    manufacturer_id: int | None = None
    customer: str = ""
    q: str = ""
    # Only orders still in progress (orders.workflow.OPEN_STATUSES).
    open_only: bool = False


MAX_LISTED_RESELLERS = 500


def _apply_filters(queryset: QuerySet[Order], filters: OrderFilters | None) -> QuerySet[Order]:
    if filters is None:
        return queryset
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.open_only:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    if filters.date_from:
        queryset = queryset.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(created_at__date__lte=filters.date_to)
    if filters.reseller_id:
        queryset = queryset.filter(reseller_id=filters.reseller_id)
    if filters.manufacturer_id:
        queryset = queryset.filter(manufacturer_id=filters.manufacturer_id)
    if filters.customer:
        term = filters.customer.strip()
        customer_q = (
            Q(end_customer__name__icontains=term)
            | Q(end_customer__company__icontains=term)
            | Q(end_customer__email__icontains=term)
        )
        queryset = queryset.filter(customer_q)
    if filters.q:
        term = filters.q.strip()
        # The matching resellers first (a small table), then the orders: with their ids as a
        # list PostgreSQL ORs two indexes (the number's trigram index, orders/migrations/0020,
        # and the reseller's); an OR across the join, or over a subquery, read every order of
        # the tenant. A term that names many resellers matches many orders, which the date
        # index finds soon enough through the subquery.
        matching = Reseller.objects.filter(Q(name__icontains=term) | Q(public_id__iexact=term))
        reseller_ids = list(matching.values_list("pk", flat=True)[: MAX_LISTED_RESELLERS + 1])
        resellers = (
            matching.values("pk") if len(reseller_ids) > MAX_LISTED_RESELLERS else reseller_ids
        )
        queryset = queryset.filter(Q(number__icontains=term) | Q(reseller_id__in=resellers))
    return queryset


def orders_for_manufacturer(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    filters: OrderFilters | None = None,
) -> QuerySet[Order]:
    """The tenant's orders a member may see, filtered; constant queries per page."""
    queryset = (
        Order.objects.filter(manufacturer=manufacturer)
        .filter(order_visibility_q(membership))
        # partnership: its qualifying status draws the blue check next to the reseller.
        .select_related(*LIST_RELATED, "partnership")
    )
    return _apply_filters(queryset, filters)


def orders_for_reseller_partnership(
    *, partnership: Partnership, filters: OrderFilters | None = None
) -> QuerySet[Order]:
    """One reseller's orders with one manufacturer ."""
    queryset = Order.objects.filter(
        manufacturer_id=partnership.manufacturer_id, reseller_id=partnership.reseller_id
    ).select_related(*LIST_RELATED)
    return _apply_filters(queryset, filters)


def orders_for_reseller(
    *, reseller: Reseller, filters: OrderFilters | None = None
) -> QuerySet[Order]:
    """All of one reseller's orders, with every manufacturer it partners with."""
    queryset = Order.objects.filter(reseller=reseller).select_related(*LIST_RELATED)
    return _apply_filters(queryset, filters)


def _detail_queryset() -> QuerySet[Order]:
    return Order.objects.select_related(
        "reseller", "end_customer", "manufacturer", "partnership", "created_by"
    )


def _lookup(number: str | None, pk: int | None) -> Q:
    if pk is not None:
        return Q(pk=pk)
    if number:
        return Q(number=number)
    raise Http404(_("No such order."))


def access_order_for_manufacturer(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    number: str | None = None,
    pk: int | None = None,
) -> Order:
    """The tenant's order by number or pk; missing, foreign or hidden ones are one 404."""
    order = (
        _detail_queryset()
        .filter(manufacturer=manufacturer)
        .filter(order_visibility_q(membership))
        .filter(_lookup(number, pk))
        .first()
    )
    if order is None:
        raise Http404(_("No such order."))
    return order


def access_order_for_reseller(*, reseller: Reseller, manufacturer: Manufacturer, pk: int) -> Order:
    order = _detail_queryset().filter(reseller=reseller, manufacturer=manufacturer, pk=pk).first()
    if order is None:
        raise Http404(_("No such order."))
    return order


def access_checkout_order(*, partnership: Partnership, order_id: int) -> Order:
    """An order of this partnership (for the checkout confirmation), or Http404."""
    order = (
        Order.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership, pk=order_id
        )
        .select_related("end_customer")
        .first()
    )
    if order is None:
        raise Http404(_("No such order."))
    return order


def returned_quantities(order: Order) -> dict[int, int]:
    """Quantity already returned per order line id, in one query."""
    rows = (
        OrderReturnLine.objects.filter(
            manufacturer_id=order.manufacturer_id, order_return__order=order
        )
        .values("order_line_id")
        .annotate(n=Sum("quantity"))
    )
    return {row["order_line_id"]: row["n"] for row in rows}


def order_lines_with_returns(order: Order) -> list[Any]:
    """The order's lines, each with `returned` (quantity already back) and `returnable`."""
    returned = returned_quantities(order)
    # OrderLines carrying two attributes that are not fields of the model.
    lines: list[Any] = list(order.lines.all())
    for line in lines:
        line.returned_quantity = returned.get(line.pk, 0)
        line.returnable = line.quantity - line.returned_quantity
    return lines


def order_timeline(order: Order) -> QuerySet[OrderStatusChange]:
    return OrderStatusChange.objects.filter(
        manufacturer_id=order.manufacturer_id, order=order
    ).select_related("changed_by")


def order_notes_visible_to(order: Order, side: str) -> QuerySet[OrderNote]:
    """Customer-facing notes and the side's own internal notes; never the other's internal."""
    return (
        OrderNote.objects.filter(manufacturer_id=order.manufacturer_id, order=order)
        .filter(Q(is_internal=False) | Q(side=side))
        .select_related("author")
    )


def order_notes_for_manufacturer(order: Order) -> QuerySet[OrderNote]:
    return order_notes_visible_to(order, NoteSide.MANUFACTURER)


def order_notes_for_reseller(order: Order) -> QuerySet[OrderNote]:
    return order_notes_visible_to(order, NoteSide.RESELLER)


def order_notes_for_customer(order: Order) -> list[OrderNote]:
    """What the end customer reads on the pay page and in its emails: the reseller's notes
    that are not internal (the manufacturer's are addressed to the reseller)."""
    if order.end_customer_id is None:
        return []
    return list(
        OrderNote.objects.filter(
            manufacturer_id=order.manufacturer_id,
            order=order,
            side=NoteSide.RESELLER,
            is_internal=False,
        ).order_by("created_at", "pk")
    )


def order_returns(order: Order) -> QuerySet[OrderReturn]:
    return (
        OrderReturn.objects.filter(manufacturer_id=order.manufacturer_id, order=order)
        .select_related("created_by")
        .prefetch_related("lines__order_line")
    )


def order_method_labels(order: Order) -> dict[str, str]:
    """Readable payment and shipping methods, copied onto the order from its conditions."""
    return {
        "payment_method": _choice_label(PaymentMethod, order.payment_method),
        "shipping_method": _choice_label(ShippingMethod, order.shipping_method),
    }


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def order_customer_payment(order: Order) -> Payment | None:
    """The end customer's payment through a payment link, if the order was paid that way."""
    return (
        Payment.objects.filter(
            manufacturer_id=order.manufacturer_id, order=order, status=PaymentStatus.SUCCEEDED
        )
        .order_by("-pk")
        .first()
    )
