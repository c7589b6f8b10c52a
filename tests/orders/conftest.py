from decimal import Decimal

import pytest

from catalog.services import retail_price_set
from channel.models import PartnershipStatus
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.orders.factories import make_end_customer
from tests.resellers.factories import PartnershipFactory


@pytest.fixture(autouse=True)
def _direct_test_provider(settings):
    """These tests drive the older direct seam (card fields on the portal's page, the
    provider charged by the portal); tests/orders/test_hosted_checkout.py drives the
    default hosted one."""
    settings.PAYMENT_PROVIDER = "orders.payments.TestPaymentProvider"


@pytest.fixture
def category(manufacturer):
    return CategoryFactory(manufacturer=manufacturer, name="Loudspeakers")


@pytest.fixture
def products(manufacturer, category):
    products = [
        ProductFactory(
            manufacturer=manufacturer, category=category, sku="SPK-1", price=Decimal("100.00")
        ),
        ProductFactory(
            manufacturer=manufacturer, category=category, sku="CBL-2", price=Decimal("19.99")
        ),
        ProductFactory(
            manufacturer=manufacturer, category=category, sku="CLP-3", price=Decimal("0.35")
        ),
    ]
    # Retail prices in two markets (customers in Germany and in Austria).
    for product, de, at in zip(products, RETAIL_DE, RETAIL_AT, strict=True):
        retail_price_set(product=product, market="Germany", price=de)
        retail_price_set(product=product, market="Austria", price=at)
    return products


RETAIL_DE = (Decimal("149.00"), Decimal("29.90"), Decimal("0.60"))
RETAIL_AT = (Decimal("155.00"), Decimal("31.50"), Decimal("0.65"))


@pytest.fixture
def foreign_product(other_manufacturer):
    return ProductFactory(manufacturer=other_manufacturer, sku="SPK-1", price=Decimal("1.00"))


@pytest.fixture
def customer(reseller):
    return make_end_customer(
        reseller, name="Julia Weber", company="Hotel Seeblick", country="Germany"
    )


@pytest.fixture
def other_reseller():
    return ResellerFactory(name="Brightline KG")


@pytest.fixture
def other_partnership(manufacturer, other_reseller):
    return PartnershipFactory(manufacturer=manufacturer, reseller=other_reseller)


@pytest.fixture
def other_reseller_user(other_partnership):
    return ResellerUserFactory(reseller=other_partnership.reseller).user


@pytest.fixture
def other_customer(other_reseller):
    return make_end_customer(other_reseller, name="Lukas Braun", country="Austria")


@pytest.fixture
def suspended_partnership(manufacturer):
    return PartnershipFactory(
        manufacturer=manufacturer, reseller=ResellerFactory(), status=PartnershipStatus.SUSPENDED
    )
