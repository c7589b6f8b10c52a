"""What a reseller pays: the partnership's price list, else the list price, less its discount."""

from decimal import ROUND_HALF_UP, Decimal

from catalog.models import PriceList, PriceListItem, Product

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
