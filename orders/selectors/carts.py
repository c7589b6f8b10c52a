"""Reads of the reseller's cart: finding it and pricing its lines at the reseller's prices."""

from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import User
from catalog.gate import orderable_products
from catalog.models import Product
from catalog.pricing import quantize_money, reseller_unit_prices
from channel.models import Partnership
from orders.models import Cart, CartLine, SaleKind
from orders.pricing import commission_estimate, order_prices


def cart_find(*, partnership: Partnership, user: User) -> Cart | None:
    """The user's cart with this manufacturer (one per reseller user and partnership)."""
    return (
        Cart.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership, created_by=user
        )
        .select_related("end_customer")
        .order_by("-pk")
        .first()
    )


@dataclass(frozen=True)
class PricedLine:
    product: Product
    quantity: int
    unit_price: Decimal | None  # None: the product is no longer available to the reseller
    line_total: Decimal | None

    @property
    def available(self) -> bool:
        return self.unit_price is not None


@dataclass
class CartSummary:
    currency: str
    lines: list[PricedLine] = field(default_factory=list)
    subtotal: Decimal = Decimal("0.00")  # at list prices
    discount: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")  # at the reseller's prices
    # What the chosen customer will pay through the payment link, at the retail prices of
    # their market, and the reseller's estimated commission; None until a customer is chosen
    # or while a product has no retail price there (missing_retail).
    customer_total: Decimal | None = None
    commission: Decimal | None = None
    missing_retail: list[Product] = field(default_factory=list)

    @property
    def has_unavailable(self) -> bool:
        return any(not line.available for line in self.lines)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def cart_priced(*, cart: Cart | None, partnership: Partnership) -> CartSummary:
    """The cart's lines at the reseller's prices now, computed the way order_create does.

    Prices always come from the catalog and the partnership, never from a form.
    """
    summary = CartSummary(currency=partnership.manufacturer.currency)
    if cart is None:
        return summary
    lines = list(
        CartLine.objects.filter(cart=cart).select_related("product").order_by("product__name")
    )
    if not lines:
        return summary
    available = list(
        orderable_products(
            manufacturer=partnership.manufacturer, reseller=partnership.reseller
        ).filter(pk__in=[line.product_id for line in lines])
    )
    prices = reseller_unit_prices(
        products=available,
        price_list=partnership.price_list,
        discount_percent=partnership.effective_discount_percent,
    )
    for line in lines:
        unit = prices.get(line.product_id)
        total = unit * line.quantity if unit is not None else None
        summary.lines.append(PricedLine(line.product, line.quantity, unit, total))
        if unit is not None:
            summary.subtotal += quantize_money(line.product.price * line.quantity)
            summary.total += unit * line.quantity
    summary.discount = max(summary.subtotal - summary.total, Decimal("0.00"))
    if cart.end_customer is not None and available:
        retail = order_prices(
            partnership=partnership,
            products=available,
            sale_kind=SaleKind.CUSTOMER_PAYS,
            end_customer=cart.end_customer,
        )
        summary.missing_retail = retail.missing_retail
        if not retail.missing_retail and retail.retail is not None:
            quantities = {line.product_id: line.quantity for line in lines}
            summary.customer_total = sum(
                (retail.retail[p.pk] * quantities[p.pk] for p in available), Decimal("0.00")
            )
            summary.commission = commission_estimate(
                manufacturer=partnership.manufacturer, amount=summary.customer_total
            )
    return summary
