"""Prices are bounded (core.bounds.MAX_PRICE) in the forms, the services and the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from catalog.models import PriceListItem, Product
from catalog.services import CatalogRefused, price_list_item_set, product_create
from core.bounds import MAX_PRICE
from tests.catalog.factories import PriceListFactory
from tests.catalog.test_manufacturer_catalog import product_data

# Beyond the columns (1e20), beyond the domain (a million), and not numbers at all.
ABSURD_PRICES = ["1e20", "1e308", "1000000.00", "99999999999999999999999999999", "NaN", "Inf"]


@pytest.mark.parametrize("price", ABSURD_PRICES)
def test_product_form_refuses_an_absurd_price(client_for, manager, manufacturer, category, price):
    response = client_for(manager).post(
        f"/m/{manufacturer.slug}/catalog/new/", product_data(category, price=price)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["price"]
    assert not Product.objects.filter(manufacturer=manufacturer).exists()


@pytest.mark.parametrize("price", ABSURD_PRICES)
def test_price_list_form_refuses_an_absurd_price(client_for, manager, manufacturer, product, price):
    price_list = PriceListFactory(manufacturer=manufacturer)

    response = client_for(manager).post(
        f"/m/{manufacturer.slug}/catalog/price-lists/{price_list.pk}/items/",
        {"product": product.pk, "price": price},
    )

    assert response.status_code == 400
    assert response.context["item_form"].errors["price"]
    assert not PriceListItem.objects.exists()


def test_the_highest_price_is_accepted(client_for, manager, manufacturer, category):
    response = client_for(manager).post(
        f"/m/{manufacturer.slug}/catalog/new/", product_data(category, price=str(MAX_PRICE))
    )

    assert response.status_code == 302
    assert Product.objects.get(manufacturer=manufacturer).price == MAX_PRICE


def test_services_refuse_a_price_over_the_maximum(manufacturer, category, product):
    too_dear = MAX_PRICE + Decimal("0.01")

    with pytest.raises(CatalogRefused, match=r"at most 999,999\.99"):
        product_create(
            manufacturer=manufacturer, category=category, sku="X-1", name="X", price=too_dear
        )
    with pytest.raises(CatalogRefused, match="at most"):
        price_list_item_set(
            price_list=PriceListFactory(manufacturer=manufacturer), product=product, price=too_dear
        )
    with pytest.raises(CatalogRefused, match="as a number"):
        product_create(
            manufacturer=manufacturer, category=category, sku="X-2", name="X", price=Decimal("NaN")
        )
    assert list(Product.objects.all()) == [product]
    assert not PriceListItem.objects.exists()


def test_the_database_refuses_a_price_out_of_bounds(product):
    for price in (MAX_PRICE + 1, Decimal("-0.01")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Product.objects.filter(pk=product.pk).update(price=price)
