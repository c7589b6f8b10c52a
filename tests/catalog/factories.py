"""Catalog factories, built through the catalog services the product uses."""

from decimal import Decimal

import factory

from catalog import services
from catalog.models import Category, PriceList, Product, ProductKind
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
