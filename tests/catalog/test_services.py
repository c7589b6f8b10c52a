"""Services refuse links across tenants and broken prices, and change nothing when they do."""

from decimal import Decimal

import pytest

from catalog import services
from catalog.models import PriceListItem, Product, Qualification
from catalog.services import CatalogRefused
from tests.catalog.factories import CategoryFactory, PriceListFactory, ProductFactory


def test_product_in_another_tenants_category_is_refused(manufacturer, other_manufacturer):
    foreign = CategoryFactory(manufacturer=other_manufacturer)

    with pytest.raises(CatalogRefused):
        services.product_create(
            manufacturer=manufacturer, category=foreign, sku="X", name="X", price=Decimal(1)
        )

    assert not Product.objects.filter(manufacturer=manufacturer).exists()


def test_category_requiring_another_tenants_qualification_is_refused(
    manufacturer, other_manufacturer
):
    foreign = Qualification.objects.create(manufacturer=other_manufacturer, code="X1", name="X")

    with pytest.raises(CatalogRefused):
        services.category_create(
            manufacturer=manufacturer, name="Restricted", required_qualification=foreign
        )


def test_price_list_refuses_another_tenants_product_and_negative_prices(
    manufacturer, other_manufacturer, product
):
    price_list = PriceListFactory(manufacturer=manufacturer)

    with pytest.raises(CatalogRefused):
        services.price_list_item_set(
            price_list=price_list,
            product=ProductFactory(manufacturer=other_manufacturer),
            price=Decimal(1),
        )
    with pytest.raises(CatalogRefused):
        services.price_list_item_set(price_list=price_list, product=product, price=Decimal(-1))

    assert not PriceListItem.objects.exists()


def test_category_with_products_is_kept(product):
    with pytest.raises(CatalogRefused):
        services.category_delete(category=product.category)

    product.refresh_from_db()
    assert product.category_id is not None
