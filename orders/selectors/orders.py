"""Reads of orders for both sides. Every query names its tenant (and reseller) explicitly.

Sales-rep restriction (issue 6) plugs in at one place: `visible_partnership_filter`.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Reseller
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
from orders.visibility import partnership_visibility_q

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


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    reseller_id: int | None = None
    manufacturer_id: int | None = None
    customer: str = ""
    q: str = ""


def visible_partnership_filter(
    membership: ManufacturerMembership | None, *, prefix: str = "partnership__"
) -> Q:
    """Which of the tenant's partnerships (and so orders) a member may see, as a filter.

    `prefix` is the path from the queried model to the partnership: "partnership__" on
    Order, "" on Partnership itself.
    Owners and managers see the whole tenant; a seller sees their portfolio (issue 6:
    orders.visibility.partnership_visibility_q, the guardian permission join), and every
    order selector follows. No membership (internal callers) means no restriction.
    """
    if membership is None:
        return Q()
    return partnership_visibility_q(membership, prefix=prefix)


def _apply_filters(queryset: QuerySet[Order], filters: OrderFilters | None) -> QuerySet[Order]:
    if filters is None:
        return queryset
    if filters.status:
        queryset = queryset.filter(status=filters.status)
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
        queryset = queryset.filter(
            Q(number__icontains=term)
            | Q(reseller__name__icontains=term)
            | Q(reseller__public_id__iexact=term)
        )
    return queryset


def orders_for_manufacturer(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership | None = None,
    filters: OrderFilters | None = None,
) -> QuerySet[Order]:
    """The tenant's orders a member may see, filtered; constant queries per page."""
    queryset = (
        Order.objects.filter(manufacturer=manufacturer)
        .filter(visible_partnership_filter(membership))
        # partnership: its qualifying status draws the blue check next to the reseller.
        .select_related(*LIST_RELATED, "partnership")
    )
    return _apply_filters(queryset, filters)


def orders_for_reseller_partnership(
    *, partnership, filters: OrderFilters | None = None
) -> QuerySet[Order]:
    """One reseller's orders with one manufacturer (`partnership` is a resellers.Partnership)."""
    queryset = Order.objects.filter(
        manufacturer_id=partnership.manufacturer_id, reseller_id=partnership.reseller_id
    ).select_related(*LIST_RELATED)
    return _apply_filters(queryset, filters)


def orders_for_reseller(*, reseller: Reseller, filters: OrderFilters | None = None):
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
    membership: ManufacturerMembership | None = None,
    number: str | None = None,
    pk: int | None = None,
) -> Order:
    """The tenant's order by number or pk; missing, foreign or hidden ones are one 404."""
    order = (
        _detail_queryset()
        .filter(manufacturer=manufacturer)
        .filter(visible_partnership_filter(membership))
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


def access_checkout_order(*, partnership, order_id: int) -> Order:
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


def order_lines_with_returns(order: Order) -> list:
    """The order's lines, each with `returned` (quantity already back) and `returnable`."""
    returned = returned_quantities(order)
    lines = list(order.lines.all())
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


def order_returns(order: Order) -> QuerySet[OrderReturn]:
    return (
        OrderReturn.objects.filter(manufacturer_id=order.manufacturer_id, order=order)
        .select_related("created_by")
        .prefetch_related("lines__order_line")
    )


def active_partnerships(*, manufacturer: Manufacturer, membership=None):
    """The tenant's active partnerships (resellers.Partnership, reached through the relation),
    for the manual order form."""
    return (
        manufacturer.partnerships.filter(status="active")
        .filter(visible_partnership_filter(membership, prefix=""))
        .select_related("reseller", "price_list")
        .order_by("reseller__name")
    )


def access_active_partnership(*, manufacturer: Manufacturer, membership=None, pk) -> object:
    partnership = active_partnerships(manufacturer=manufacturer, membership=membership).filter(
        pk=pk
    )
    found = partnership.first()
    if found is None:
        raise Http404(_("No such reseller."))
    return found


def end_customers_of(reseller: Reseller):
    """The reseller's own end customers (resellers.EndCustomer via the relation), explicitly
    scoped to that reseller so it also works inside a manufacturer's scope."""
    return reseller.end_customers.with_scope(reseller=reseller).all().order_by("name")


def resellers_of(manufacturer: Manufacturer, membership=None) -> QuerySet[Reseller]:
    """Resellers partnered with the tenant that the member may see: the choices of the
    list's reseller filter (one filter() call, so both conditions hit the same partnership)."""
    return Reseller.objects.filter(
        Q(partnerships__manufacturer=manufacturer)
        & visible_partnership_filter(membership, prefix="partnerships__")
    ).order_by("name")


def order_method_labels(order: Order) -> dict[str, str]:
    """Readable payment and shipping methods; their choices live on resellers.Partnership,
    reached through the relation's model rather than an import."""
    partnership_model = Order._meta.get_field("partnership").related_model
    labels = {}
    for name in ("payment_method", "shipping_method"):
        choices = dict(partnership_model._meta.get_field(name).choices or [])
        value = getattr(order, name)
        labels[name] = str(choices.get(value, value))
    return labels


def order_customer_payment(order: Order) -> Payment | None:
    """The end customer's payment through a payment link, if the order was paid that way."""
    return (
        Payment.objects.filter(
            manufacturer_id=order.manufacturer_id, order=order, status=PaymentStatus.SUCCEEDED
        )
        .order_by("-pk")
        .first()
    )
