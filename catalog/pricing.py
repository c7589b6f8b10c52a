"""What a reseller pays (its price list, else the list price, less its discount) and what an
end customer pays (the manufacturer's retail price for the customer's market)."""

from decimal import ROUND_HALF_UP, Decimal

from catalog.models import PriceList, PriceListItem, Product, RetailPrice

CENT = Decimal("0.01")


def quantize_money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def reseller_unit_prices(
    *, products: list[Product], price_list: PriceList | None, discount_percent: Decimal
) -> dict[int, Decimal]:
    """Unit price per product id, in one query for the price list, rounded once."""
    negotiated: dict[int, Decimal] = {}
    if price_list is not None:
        negotiated = dict(
            PriceListItem.objects.filter(
                price_list=price_list, product__in=[p.pk for p in products]
            ).values_list("product_id", "price")
        )
    factor = (Decimal("100") - discount_percent) / Decimal("100")
    return {
        product.pk: quantize_money(negotiated.get(product.pk, product.price) * factor)
        for product in products
    }


def retail_unit_prices(*, products: list[Product], market: str) -> dict[int, Decimal]:
    """The manufacturer's retail price per product id in this market (a country), one query.

    Products with no price for the market are missing from the answer: the caller refuses.
    """
    market = market.strip()
    if not market:
        return {}
    return dict(
        RetailPrice.objects.filter(
            product__in=[p.pk for p in products], market__iexact=market
        ).values_list("product_id", "price")
    )
