"""Reads of the catalog, always filtered by the tenant (and, for resellers, by the gate)."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Manufacturer, Reseller
from catalog.gate import orderable_products, visible_categories
from catalog.models import Category, PriceList, PriceListItem, Product

PRODUCT_SORTS = {
    "sku": "sku",
    "name": "name",
    "category": "category__name",
    "kind": "kind",
    "price": "price",
    "updated": "updated_at",
}
RESELLER_PRODUCT_SORTS = {"sku": "sku", "name": "name", "category": "category__name"}

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CategoryCounts(TypedDict):
    product_count: int
    active_count: int


class PriceListCounts(TypedDict):
    item_count: int
    partnership_count: int


class ActiveProductCount(TypedDict):
    product_count: int


def _search(products: QuerySet[Product], q: str) -> QuerySet[Product]:
    q = q.strip()
    if not q:
        return products
    return products.filter(Q(sku__icontains=q) | Q(name__icontains=q))


def product_list(
    *,
    manufacturer: Manufacturer,
    q: str = "",
    category_id: int | None = None,
    kind: str = "",
    active: bool | None = None,
) -> QuerySet[Product]:
    products: QuerySet[Product] = Product.objects.filter(manufacturer=manufacturer).select_related(
        "category__required_qualification"
    )
    products = _search(products, q)
    if category_id is not None:
        products = products.filter(category_id=category_id)
    if kind:
        products = products.filter(kind=kind)
    if active is not None:
        products = products.filter(is_active=active)
    return products


def access_product(*, manufacturer: Manufacturer, product_id: int) -> Product:
    return get_object_or_404(
        Product.objects.filter(manufacturer=manufacturer).select_related(
            "category__required_qualification"
        ),
        pk=product_id,
    )


def category_list(
    *, manufacturer: Manufacturer
) -> "QuerySet[WithAnnotations[Category, CategoryCounts]]":
    return (
        Category.objects.filter(manufacturer=manufacturer)
        .select_related("required_qualification")
        .annotate(
            product_count=Count("products"),
            active_count=Count("products", filter=Q(products__is_active=True)),
        )
    )


def access_category(*, manufacturer: Manufacturer, category_id: int) -> Category:
    return get_object_or_404(Category.objects.filter(manufacturer=manufacturer), pk=category_id)


def price_list_list(
    *, manufacturer: Manufacturer
) -> "QuerySet[WithAnnotations[PriceList, PriceListCounts]]":
    # Partnerships are reached through the reverse relation: catalog imports no higher app.
    return PriceList.objects.filter(manufacturer=manufacturer).annotate(
        item_count=Count("items", distinct=True),
        partnership_count=Count("partnerships", distinct=True),
    )


def access_price_list(*, manufacturer: Manufacturer, price_list_id: int) -> PriceList:
    return get_object_or_404(PriceList.objects.filter(manufacturer=manufacturer), pk=price_list_id)


def price_list_items(*, price_list: PriceList) -> QuerySet[PriceListItem]:
    return (
        PriceListItem.objects.filter(
            manufacturer_id=price_list.manufacturer_id, price_list=price_list
        )
        .select_related("product")
        .order_by("product__sku")
    )


# --- the reseller's side --------------------------------------------------------------------


def reseller_categories(
    *, manufacturer: Manufacturer, reseller: Reseller
) -> "QuerySet[WithAnnotations[Category, ActiveProductCount]]":
    """The categories the reseller may see, with how many active products each holds."""
    return visible_categories(manufacturer=manufacturer, reseller=reseller).annotate(
        product_count=Count("products", filter=Q(products__is_active=True))
    )


def reseller_access_category(
    *, manufacturer: Manufacturer, reseller: Reseller, category_id: int
) -> Category:
    """A category the reseller may see; a hidden one answers 404 like a missing one."""
    return get_object_or_404(
        visible_categories(manufacturer=manufacturer, reseller=reseller), pk=category_id
    )


def reseller_product_list(
    *,
    manufacturer: Manufacturer,
    reseller: Reseller,
    q: str = "",
    category: Category | None = None,
) -> QuerySet[Product]:
    products = orderable_products(manufacturer=manufacturer, reseller=reseller).select_related(
        "category"
    )
    if category is not None:
        products = products.filter(category=category)
    return _search(products, q)


def reseller_access_product(
    *, manufacturer: Manufacturer, reseller: Reseller, product_id: int
) -> Product:
    """An orderable product; one that is inactive, hidden or foreign answers 404."""
    return get_object_or_404(
        reseller_product_list(manufacturer=manufacturer, reseller=reseller), pk=product_id
    )
