from decimal import Decimal

import pytest

from accounts.models import Role
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerFactory
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory


@pytest.fixture
def qualification(manufacturer):
    return QualificationFactory(
        manufacturer=manufacturer, code="PRO-AV-CERTIFIED", name="Pro AV certified"
    )


@pytest.fixture
def restricted_category(manufacturer, qualification):
    return CategoryFactory(
        manufacturer=manufacturer, name="Pro AV", required_qualification=qualification
    )


@pytest.fixture
def open_product(manufacturer):
    return ProductFactory(manufacturer=manufacturer, sku="OPEN-1", price=Decimal("10.00"))


@pytest.fixture
def restricted_product(manufacturer, restricted_category):
    return ProductFactory(
        manufacturer=manufacturer,
        category=restricted_category,
        sku="PRO-1",
        price=Decimal("1000.00"),
    )


@pytest.fixture
def other_partnership(manufacturer):
    return PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Other"))


@pytest.fixture
def other_staff(other_manufacturer, make_member):
    return make_member(other_manufacturer, Role.OWNER)


@pytest.fixture
def assigned_seller(manufacturer, partnership, seller, owner):
    """A sales rep whose portfolio holds `partnership` (and nothing else)."""
    portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=seller, by=owner)
    return seller
