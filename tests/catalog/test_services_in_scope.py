"""Catalog services run inside the manufacturer portal's scope, or fail closed.

Every caller is a `manufacturer_view` (products, categories, price lists). The other
tenant has a product with the same SKU on its own price list: it must stay untouched.
"""

from decimal import Decimal

import pytest
from django_scopes import ScopeError, scopes_disabled

from catalog.models import Category, PriceListItem, Product
from catalog.services import (
    CatalogRefused,
    category_delete,
    price_list_item_remove,
    price_list_item_set,
    product_update,
)
from tests.catalog.factories import CategoryFactory, PriceListFactory, PriceListItemFactory
from tests.scoping import manufacturer_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def price_list(manufacturer):
    return PriceListFactory(manufacturer=manufacturer, name="Dealers")


@pytest.fixture
def foreign_item(other_manufacturer):
    """The other tenant's SPK-1 on its own price list at 50.00."""
    return PriceListItemFactory(
        manufacturer=other_manufacturer, product__sku="SPK-1", price=Decimal("50.00")
    )


@pytest.fixture
def empty_category(manufacturer):
    return CategoryFactory(manufacturer=manufacturer, name="Discontinued")


def assert_foreign_untouched(foreign_item: PriceListItem) -> None:
    with scopes_disabled():
        item = PriceListItem.objects.get(pk=foreign_item.pk)
        assert item.price == Decimal("50.00")
        assert (item.product.sku, item.product.price) == ("SPK-1", Decimal("100.00"))
        assert Category.objects.filter(manufacturer=item.manufacturer).count() == 1


def test_catalog_services_in_the_manufacturer_view_scope(
    manufacturer, category, product, price_list, empty_category, foreign_item
):
    with manufacturer_view_scope(manufacturer):
        product_update(
            product=product,
            category=category,
            sku="SPK-1",
            name="Aria II",
            price=Decimal("120.00"),
            kind=product.kind,
            description="",
        )
        item = price_list_item_set(price_list=price_list, product=product, price=Decimal("99.00"))
        assert (
            price_list_item_set(price_list=price_list, product=product, price=Decimal("95.00"))
            == item
        )
        with pytest.raises(CatalogRefused):
            category_delete(category=category)
        category_delete(category=empty_category)

    with scopes_disabled():
        product.refresh_from_db()
        assert (product.name, product.price) == ("Aria II", Decimal("120.00"))
        assert PriceListItem.objects.get(pk=item.pk).price == Decimal("95.00")
        assert list(Category.objects.filter(manufacturer=manufacturer)) == [category]
    assert_foreign_untouched(foreign_item)

    with manufacturer_view_scope(manufacturer):
        price_list_item_remove(price_list=price_list, product=product)
    with scopes_disabled():
        assert not PriceListItem.objects.filter(price_list=price_list).exists()
    assert_foreign_untouched(foreign_item)


def test_catalog_services_with_no_tenant_in_scope_raise(
    manufacturer, product, price_list, empty_category, foreign_item
):
    with worker_scope():
        with pytest.raises(ScopeError):
            price_list_item_set(price_list=price_list, product=product, price=Decimal("1.00"))
        with pytest.raises(ScopeError):
            category_delete(category=empty_category)

    with scopes_disabled():
        assert not PriceListItem.objects.filter(price_list=price_list).exists()
        assert Category.objects.filter(pk=empty_category.pk).exists()
        assert Product.objects.filter(manufacturer=manufacturer).count() == 1
    assert_foreign_untouched(foreign_item)
