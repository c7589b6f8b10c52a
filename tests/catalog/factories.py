"""Catalog factories, built through the catalog services the product uses."""

from decimal import Decimal

import factory

from catalog import services
from catalog.models import Category, PriceList, PriceListItem, Product, ProductKind, RetailPrice
from catalog.services import price_list_item_set, retail_price_set
from tests.accounts.factories import ManufacturerFactory


class CategoryFactory(factory.Factory):
    class Meta:
        model = Category

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    required_qualification = None

    @classmethod
    def _create(cls, model_class, **kwargs) -> Category:
        return services.category_create(**kwargs)


class ProductFactory(factory.Factory):
    class Meta:
        model = Product

    manufacturer = factory.SubFactory(ManufacturerFactory)
    category = factory.SubFactory(
        CategoryFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    price = Decimal("100.00")
    kind = ProductKind.PHYSICAL

    @classmethod
    def _create(cls, model_class, **kwargs) -> Product:
        return services.product_create(**kwargs)


class PriceListFactory(factory.Factory):
    class Meta:
        model = PriceList

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"Price list {n}")

    @classmethod
    def _create(cls, model_class, **kwargs) -> PriceList:
        return services.price_list_create(**kwargs)


class PriceListItemFactory(factory.Factory):
    """A product on a price list of the same manufacturer, set through the service."""

    class Meta:
        model = PriceListItem

    manufacturer = factory.SubFactory(ManufacturerFactory)
    price_list = factory.SubFactory(
        PriceListFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    product = factory.SubFactory(
        ProductFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    price = Decimal("89.90")

    @classmethod
    def _create(cls, model_class, manufacturer, **kwargs) -> PriceListItem:
        return price_list_item_set(**kwargs)


class RetailPriceFactory(factory.Factory):
    """What end customers in one market pay for a product, set through the service."""

    class Meta:
        model = RetailPrice

    manufacturer = factory.SubFactory(ManufacturerFactory)
    product = factory.SubFactory(
        ProductFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    market = "Germany"
    price = Decimal("129.00")

    @classmethod
    def _create(cls, model_class, manufacturer, **kwargs) -> RetailPrice:
        return retail_price_set(**kwargs)
