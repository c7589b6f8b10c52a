from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import ProductKind
from orders.models import OrderStatus
from orders.services.orders import order_transition
from orders.workflow import MANUFACTURER
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.orders.factories import make_end_customer, make_order
from tests.resellers.factories import PartnershipFactory


@pytest.fixture
def category(manufacturer):
    return CategoryFactory(manufacturer=manufacturer, name="Loudspeakers")


@pytest.fixture
def cables(manufacturer):
    return CategoryFactory(manufacturer=manufacturer, name="Cables")


@pytest.fixture
def speaker(manufacturer, category):
    return ProductFactory(
        manufacturer=manufacturer, category=category, sku="SPK-1", price=Decimal("100.00")
    )


@pytest.fixture
def cable(manufacturer, cables):
    return ProductFactory(
        manufacturer=manufacturer, category=cables, sku="CBL-2", price=Decimal("19.99")
    )


@pytest.fixture
def install(manufacturer, category):
    return ProductFactory(
        manufacturer=manufacturer,
        category=category,
        sku="SRV-INSTALL",
        price=Decimal("300.00"),
        kind=ProductKind.SERVICE,
    )


@pytest.fixture
def reseller(db):
    return ResellerFactory(
        name="Soundhouse GmbH",
        public_email="info@soundhouse.example",
        website="https://www.soundhouse.example",
        street="Hafenstraße 1",
        postal_code="20457",
    )


@pytest.fixture
def reseller_user(partnership):
    return ResellerUserFactory(reseller=partnership.reseller).user


@pytest.fixture
def customer(reseller):
    return make_end_customer(
        reseller, name="Julia Weber", email="julia@weber-studio.example", country="Germany"
    )


@pytest.fixture
def other_partnership(manufacturer):
    """A second reseller of the same manufacturer."""
    return PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Tonwerk"))


@pytest.fixture
def foreign_partnership(other_manufacturer, reseller):
    """The same reseller with another manufacturer."""
    return PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)


def complete(order, *, at: datetime | None = None):
    """Walk an order through the workflow to completed, the last step at `at`."""
    at = at or timezone.now()
    for status in (OrderStatus.ACCEPTED, OrderStatus.FULFILLED):
        order = order_transition(
            order=order,
            to_status=status,
            side=MANUFACTURER,
            changed_by=None,
            at=at - timedelta(minutes=5),
        )
    return order_transition(
        order=order, to_status=OrderStatus.COMPLETED, side=MANUFACTURER, changed_by=None, at=at
    )


def completed_order(partnership, products, *, customer, quantities=None, at=None, **kwargs):
    order = make_order(
        partnership, products, quantities=quantities, end_customer=customer, **kwargs
    )
    return complete(order, at=at)
