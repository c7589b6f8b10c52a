"""Changes to the catalog: categories, products and price lists. The only code that writes.

Every service checks that the objects it links belong to the same manufacturer; a form
scoped to the tenant never offers anything else, so a refusal here means tampered input.
"""

from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Manufacturer
from catalog.models import Category, PriceList, PriceListItem, Product, ProductKind, RetailPrice
from core.bounds import MAX_PRICE
from core.exceptions import DomainRefused


class CatalogRefused(DomainRefused):
    """The change breaks a catalog rule; the message says which, and nothing was changed."""


class _TenantOwned(Protocol):
    manufacturer_id: int


def _same_tenant(manufacturer_id: int, *objects: _TenantOwned | None) -> None:
    for obj in objects:
        if obj is not None and obj.manufacturer_id != manufacturer_id:
            raise CatalogRefused(_("That belongs to another manufacturer."))


def _valid_price(price: Decimal) -> None:
    if not price.is_finite():
        raise CatalogRefused(_("Enter the price as a number."))
    if price < 0:
        raise CatalogRefused(_("A price cannot be negative."))
    if price > MAX_PRICE:
        raise CatalogRefused(
            _("A price can be at most %(max)s.")
            % {"max": number_format(MAX_PRICE, decimal_pos=2, force_grouping=True)}
        )


@transaction.atomic
def category_create(
    *,
    manufacturer: Manufacturer,
    name: str,
    description: str = "",
    # A Qualification: that app sits above catalog, which may not import it.
    required_qualification: Any = None,
) -> Category:
    _same_tenant(manufacturer.pk, required_qualification)
    return Category.objects.create(
        manufacturer=manufacturer,
        name=name,
        description=description,
        required_qualification=required_qualification,
    )


@transaction.atomic
def category_update(
    *,
    category: Category,
    name: str,
    description: str,
    required_qualification: Any,  # a Qualification or None, as in category_create
) -> Category:
    _same_tenant(category.manufacturer_id, required_qualification)
    category.name = name
    category.description = description
    category.required_qualification = required_qualification
    category.save(update_fields=["name", "description", "required_qualification"])
    return category


@transaction.atomic
def category_delete(*, category: Category) -> None:
    if Product.objects.filter(category=category).exists():
        raise CatalogRefused(
            _("“%(name)s” still has products. Move or remove them first.") % {"name": category.name}
        )
    category.delete()


@transaction.atomic
def product_create(
    *,
    manufacturer: Manufacturer,
    category: Category,
    sku: str,
    name: str,
    price: Decimal,
    kind: str = ProductKind.PHYSICAL,
    description: str = "",
    is_active: bool = True,
) -> Product:
    _same_tenant(manufacturer.pk, category)
    _valid_price(price)
    return Product.objects.create(
        manufacturer=manufacturer,
        category=category,
        sku=sku,
        name=name,
        description=description,
        price=price,
        kind=kind,
        is_active=is_active,
    )


@transaction.atomic
def product_update(
    *,
    product: Product,
    category: Category,
    sku: str,
    name: str,
    price: Decimal,
    kind: str,
    description: str,
) -> Product:
    _same_tenant(product.manufacturer_id, category)
    _valid_price(price)
    product.category = category
    product.sku = sku
    product.name = name
    product.description = description
    product.price = price
    product.kind = kind
    product.save()
    return product


@transaction.atomic
def product_set_active(*, product: Product, is_active: bool) -> Product:
    product.is_active = is_active
    product.save(update_fields=["is_active", "updated_at"])
    return product


@transaction.atomic
def price_list_create(*, manufacturer: Manufacturer, name: str) -> PriceList:
    return PriceList.objects.create(manufacturer=manufacturer, name=name)


@transaction.atomic
def price_list_item_set(
    *, price_list: PriceList, product: Product, price: Decimal
) -> PriceListItem:
    """Put the product on the price list at this price, or change the price it has there."""
    _same_tenant(price_list.manufacturer_id, product)
    _valid_price(price)
    item, _created = PriceListItem.objects.update_or_create(
        price_list=price_list,
        product=product,
        defaults={"price": price, "manufacturer_id": price_list.manufacturer_id},
    )
    return item


@transaction.atomic
def price_list_item_remove(*, price_list: PriceList, product: Product) -> None:
    """Take the product off the price list: resellers on it pay the list price again."""
    PriceListItem.objects.filter(price_list=price_list, product=product).delete()


@transaction.atomic
def retail_price_set(*, product: Product, market: str, price: Decimal) -> RetailPrice:
    """Set what end customers in `market` (a country) pay for the product."""
    market = market.strip()
    if not market:
        raise CatalogRefused(_("Name the market (the customer's country)."))
    _valid_price(price)
    item = RetailPrice.objects.filter(product=product, market__iexact=market).first()
    if item is None:
        return RetailPrice.objects.create(
            manufacturer_id=product.manufacturer_id, product=product, market=market, price=price
        )
    item.price = price
    item.save(update_fields=["price"])
    return item
