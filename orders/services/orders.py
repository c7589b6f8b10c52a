from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, User
from catalog.gate import orderable_products
from catalog.models import Product
from catalog.pricing import quantize_money
from channel.models import EndCustomer, Partnership
from core.bounds import MAX_AMOUNT, MAX_PRICE, MAX_QUANTITY
from core.exceptions import DomainRefused
from orders import hooks
from orders.models import (
    NoteSide,
    Order,
    OrderLine,
    OrderNote,
    OrderNumberCounter,
    OrderReturn,
    OrderReturnLine,
    OrderStatus,
    OrderStatusChange,
)
from orders.pricing import order_prices, sale_kind_for
from orders.selectors.orders import returned_quantities
from orders.services.notices import order_returned_notify, order_status_notify
from orders.summaries import tally_order_created, tally_order_moved, tally_order_returned
from orders.workflow import REASON_REQUIRED, RESELLER, can_transition


class OrderRefused(DomainRefused):
    """The order or change breaks a rule; the message says which, and nothing was changed."""


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int


def quantity_refusal() -> str:
    """What a user reads when a quantity is out of bounds (forms say the same)."""
    return _("Quantities must be between 1 and %(max)s.") % {
        "max": number_format(MAX_QUANTITY, force_grouping=True)
    }


def amount_refusal() -> str:
    return _(
        "This order would come to more than %(max)s, the most one order can be. "
        "Split it into several orders."
    ) % {"max": number_format(MAX_AMOUNT, decimal_pos=2, force_grouping=True)}


def missing_retail_refusal(products: list[Product], end_customer: EndCustomer | None) -> str:
    market = end_customer.country.strip() if end_customer is not None else ""
    skus = ", ".join(sorted(p.sku for p in products))
    if not market:
        return _(
            "The customer's country is not set, so there is no retail price to charge them. "
            "Add the country to the customer, or order at your own price instead."
        )
    return _(
        "%(manufacturer)s has no retail price in %(market)s for %(skus)s, so the customer "
        "cannot pay for it through a payment link. Remove it, or order at your own price."
    ) % {"manufacturer": products[0].manufacturer.name, "market": market, "skus": skus}


@transaction.atomic
def order_numbers_draw(*, manufacturer: Manufacturer, count: int = 1) -> list[str]:
    """`count` fresh order numbers of the tenant, in order, from its OrderNumberCounter.

    The counter row stays locked until the caller's transaction ends, so orders placed at
    once draw one after the other, and it only goes up, so a deleted order's number is
    never drawn again (a count of the tenant's orders did both wrong). A tenant's first
    draw creates its counter: get_or_create inserts in a savepoint and, when a concurrent
    first draw won that insert, reads and locks the winner's row instead.
    """
    counter, _created = OrderNumberCounter.objects.select_for_update().get_or_create(
        manufacturer=manufacturer
    )
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    prefix = manufacturer.slug[:3].upper()
    return [f"{prefix}-{n:06d}" for n in range(first, counter.last_number + 1)]


@transaction.atomic
def order_create(
    *,
    partnership: Partnership,
    lines: list[LineRequest],
    created_by: User | None,
    end_customer: EndCustomer | None = None,
    own_use: bool = False,
    customer_pays: bool = False,
    is_manual: bool = False,
    status: str = OrderStatus.PLACED,
    created_at: datetime | None = None,
    unit_prices: dict[int, Decimal] | None = None,
) -> Order:
    """Create an order at the prices of its kind of sale (orders.pricing), captured now;
    refuse anything not allowed.

    `unit_prices`: a price agreed elsewhere (a partner offer) for every product of the
    order, frozen on its lines instead of the price list's; not for customer-paid sales.

    `customer_pays`: the end customer pays through a payment link, at the manufacturer's
    retail prices for their market; refused when a product has none there.
    """
    manufacturer = partnership.manufacturer
    reseller = partnership.reseller
    if not partnership.is_active:
        raise OrderRefused(_("This partnership is not active, so it cannot place orders."))
    if not lines:
        raise OrderRefused(_("An order needs at least one product."))
    if any(not 1 <= line.quantity <= MAX_QUANTITY for line in lines):
        raise OrderRefused(quantity_refusal())
    if own_use and end_customer is not None:
        raise OrderRefused(_("An order for the reseller's own use has no end customer."))
    if not own_use and end_customer is None:
        raise OrderRefused(_("Choose the end customer, or mark the order for own use."))
    if end_customer is not None and end_customer.reseller_id != reseller.pk:
        raise OrderRefused(_("That customer does not belong to this reseller."))
    if customer_pays and (own_use or end_customer is None):
        raise OrderRefused(_("Only an end customer pays through a payment link."))
    if status not in {OrderStatus.PLACED, OrderStatus.AWAITING_PAYMENT}:
        raise OrderRefused(_("A new order is either placed or awaiting payment."))

    quantities: dict[int, int] = {}
    for line in lines:
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    if any(quantity > MAX_QUANTITY for quantity in quantities.values()):
        raise OrderRefused(quantity_refusal())  # one product on several lines
    products = list(
        orderable_products(manufacturer=manufacturer, reseller=reseller).filter(pk__in=quantities)
    )
    if len(products) != len(quantities):
        raise OrderRefused(
            _("One or more products are not available to this reseller, or do not exist.")
        )
    sale_kind = sale_kind_for(own_use=own_use, customer_pays=customer_pays)
    priced = order_prices(
        partnership=partnership, products=products, sale_kind=sale_kind, end_customer=end_customer
    )
    if priced.missing_retail:
        raise OrderRefused(missing_retail_refusal(priced.missing_retail, end_customer))
    prices, retail = priced.reseller, priced.retail
    if unit_prices is not None:
        if customer_pays or set(unit_prices) != set(quantities):
            raise OrderRefused(_("An agreed price must name every product of the order."))
        if any(not Decimal("0") <= price <= MAX_PRICE for price in unit_prices.values()):
            raise OrderRefused(amount_refusal())
        prices = {pk: quantize_money(price) for pk, price in unit_prices.items()}
    list_subtotal = sum(
        (quantize_money(p.price * quantities[p.pk]) for p in products), Decimal("0.00")
    )
    total = sum((prices[p.pk] * quantities[p.pk] for p in products), Decimal("0.00"))
    retail_total = (
        None
        if retail is None
        else sum((retail[p.pk] * quantities[p.pk] for p in products), Decimal("0.00"))
    )
    if list_subtotal > MAX_AMOUNT or total > MAX_AMOUNT or (retail_total or 0) > MAX_AMOUNT:
        raise OrderRefused(amount_refusal())

    now = created_at or timezone.now()
    order = Order.objects.create(
        manufacturer=manufacturer,
        partnership=partnership,
        reseller=reseller,
        end_customer=end_customer,
        own_use=own_use,
        sale_kind=sale_kind,
        number=order_numbers_draw(manufacturer=manufacturer)[0],
        status=status,
        currency=manufacturer.currency,
        subtotal=list_subtotal,
        discount_total=max(list_subtotal - total, Decimal("0.00")),
        total=total,
        retail_total=retail_total,
        payment_method=partnership.payment_method,
        shipping_method=partnership.shipping_method,
        created_by=created_by,
        is_manual=is_manual,
        created_at=now,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            manufacturer=manufacturer,
            order=order,
            product=product,
            sku=product.sku,
            name=product.name,
            quantity=quantities[product.pk],
            unit_price=prices[product.pk],
            line_total=prices[product.pk] * quantities[product.pk],
            retail_unit_price=None if retail is None else retail[product.pk],
            retail_line_total=None
            if retail is None
            else retail[product.pk] * quantities[product.pk],
        )
        for product in sorted(products, key=lambda p: p.name)
    )
    OrderStatusChange.objects.create(
        manufacturer=manufacturer,
        order=order,
        from_status="",
        to_status=status,
        changed_by=created_by,
        created_at=now,
    )
    tally_order_created(order=order)
    hooks.order_created.send(order=order)
    return order


@transaction.atomic
def order_transition(
    *,
    order: Order,
    to_status: str,
    side: str,
    changed_by: User | None,
    reason: str = "",
    at: datetime | None = None,
) -> Order:
    """Move an order along the workflow; an illegal move is refused and changes nothing."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    reseller_fulfils = side == RESELLER and locked.manufacturer.resellers_fulfil_orders
    if not can_transition(
        from_status=locked.status,
        to_status=to_status,
        side=side,
        reseller_fulfils=reseller_fulfils,
    ):
        raise OrderRefused(
            _("An order that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": OrderStatus(locked.status).label,
                "target": OrderStatus(to_status).label
                if to_status in OrderStatus.values
                else to_status,
            }
        )
    if to_status in REASON_REQUIRED and not reason.strip():
        raise OrderRefused(_("Give a reason: the other side sees it on the order's timeline."))
    from_status = locked.status
    now = at or timezone.now()
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    OrderStatusChange.objects.create(
        manufacturer_id=locked.manufacturer_id,
        order=locked,
        from_status=from_status,
        to_status=to_status,
        changed_by=changed_by,
        reason=reason,
        created_at=now,
    )
    tally_order_moved(order=locked, from_status=from_status, to_status=to_status)
    hooks.order_status_changed.send(
        order=locked, from_status=from_status, to_status=to_status, changed_by=changed_by
    )
    if side != RESELLER:
        order_status_notify(
            order=locked,
            from_status=from_status,
            to_status=to_status,
            side=side,
            changed_by=changed_by,
            reason=reason,
        )
    order.status = locked.status
    return locked


@transaction.atomic
def order_note_add(
    *, order: Order, author: User | None, side: str, body: str, is_internal: bool = True
) -> OrderNote:
    """Add a note; an internal one is seen only by the writer's side (`NoteSide`)."""
    body = body.strip()
    if not body:
        raise OrderRefused(_("A note cannot be empty."))
    if side not in NoteSide.values:
        raise OrderRefused(_("Unknown note side."))
    return OrderNote.objects.create(
        manufacturer=order.manufacturer,
        order=order,
        author=author,
        side=side,
        is_internal=is_internal,
        body=body,
    )


@dataclass(frozen=True)
class ReturnLineRequest:
    order_line_id: int
    quantity: int


RETURNABLE_STATUSES = frozenset({OrderStatus.FULFILLED, OrderStatus.COMPLETED})


@transaction.atomic
def order_return_create(
    *,
    order: Order,
    lines: list[ReturnLineRequest],
    created_by: User | None,
    reason: str = "",
    returned_at: datetime | None = None,
) -> OrderReturn:
    """Record goods that came back; never more than was ordered minus what already came back.

    Fires `hooks.order_returned` inside the transaction (commissions claw back)."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status not in RETURNABLE_STATUSES:
        raise OrderRefused(_("Only fulfilled or completed orders can have returns."))
    lines = [line for line in lines if line.quantity != 0]
    if not lines:
        raise OrderRefused(_("Choose at least one line and the quantity that came back."))
    if any(line.quantity < 0 for line in lines):
        raise OrderRefused(_("Returned quantities must be at least 1."))
    requested: dict[int, int] = {}
    for line in lines:
        requested[line.order_line_id] = requested.get(line.order_line_id, 0) + line.quantity
    order_lines = {
        line.pk: line for line in OrderLine.objects.filter(order=locked, pk__in=list(requested))
    }
    if len(order_lines) != len(requested):
        raise OrderRefused(_("One or more lines do not belong to this order."))
    already = returned_quantities(locked)
    for line_id, quantity in requested.items():
        order_line = order_lines[line_id]
        open_quantity = order_line.quantity - already.get(line_id, 0)
        if quantity > open_quantity:
            raise OrderRefused(
                _("At most %(n)s of %(sku)s can still be returned.")
                % {"n": open_quantity, "sku": order_line.sku}
            )
    amounts = {
        line_id: quantize_money(order_lines[line_id].unit_price * quantity)
        for line_id, quantity in requested.items()
    }
    order_return = OrderReturn.objects.create(
        manufacturer=locked.manufacturer,
        order=locked,
        returned_at=returned_at or timezone.now(),
        reason=reason.strip(),
        amount=sum(amounts.values(), Decimal("0.00")),
        created_by=created_by,
    )
    OrderReturnLine.objects.bulk_create(
        OrderReturnLine(
            manufacturer=locked.manufacturer,
            order_return=order_return,
            order_line=order_lines[line_id],
            quantity=quantity,
            amount=amounts[line_id],
        )
        for line_id, quantity in sorted(requested.items())
    )
    tally_order_returned(order_return=order_return)
    hooks.order_returned.send(order_return=order_return)
    order_returned_notify(order_return=order_return)
    return order_return
