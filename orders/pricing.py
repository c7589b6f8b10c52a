"""Which prices an order follows, by the kind of sale (the one place for this rule).

- An order the end customer pays through a payment link (SaleKind.CUSTOMER_PAYS) charges
  the manufacturer's retail price for the customer's market; the reseller earns its
  commission on it.
- A wholesale or own-use order charges the reseller's own prices (its price list, else the
  list price, less its discount).

Both prices are captured on every line of a customer-paid order when it is created, so an
order's history does not change when price lists or retail prices do.
"""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Manufacturer
from catalog.models import Product
from catalog.pricing import quantize_money, reseller_unit_prices, retail_unit_prices
from channel.models import EndCustomer, Partnership
from orders.models import Order, SaleKind


def sale_kind_for(*, own_use: bool, customer_pays: bool) -> str:
    if own_use:
        return SaleKind.OWN_USE
    return SaleKind.CUSTOMER_PAYS if customer_pays else SaleKind.WHOLESALE


@dataclass(frozen=True)
class OrderPrices:
    reseller: dict[int, Decimal]  # unit price per product id
    retail: dict[int, Decimal] | None  # None: not a customer-paid sale
    missing_retail: list[Product]  # customer-paid sale, no retail price for the market


def order_prices(
    *,
    partnership: Partnership,
    products: list[Product],
    sale_kind: str,
    end_customer: EndCustomer | None,
) -> OrderPrices:
    reseller = reseller_unit_prices(
        products=products,
        price_list=partnership.price_list,
        discount_percent=partnership.effective_discount_percent,
    )
    if sale_kind != SaleKind.CUSTOMER_PAYS:
        return OrderPrices(reseller=reseller, retail=None, missing_retail=[])
    market = end_customer.country if end_customer is not None else ""
    retail = retail_unit_prices(products=products, market=market)
    missing = [p for p in products if p.pk not in retail]
    return OrderPrices(reseller=reseller, retail=retail, missing_retail=missing)


def commission_estimate(*, manufacturer: Manufacturer, amount: Decimal) -> Decimal:
    """The reseller's commission on `amount`, estimated at the manufacturer's default rate.

    An estimate for the order pages only: the commission ledger (commissions) is what is
    earned and paid, and may replace this with the rate it applies.
    """
    return quantize_money(amount * manufacturer.default_commission_rate / Decimal("100"))


def amount_due(order: Order) -> Decimal:
    """What the payer of the order is charged: the customer's total on a customer-paid sale."""
    if order.sale_kind == SaleKind.CUSTOMER_PAYS and order.retail_total is not None:
        return order.retail_total
    return order.total


def order_commission_estimate(order: Order) -> Decimal | None:
    """The estimated commission of a customer-paid order; None for the other kinds."""
    if order.sale_kind != SaleKind.CUSTOMER_PAYS or order.retail_total is None:
        return None
    return commission_estimate(manufacturer=order.manufacturer, amount=order.retail_total)
