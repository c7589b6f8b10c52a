import pytest

from catalog.models import Qualification
from tests.accounts.factories import ResellerFactory
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.resellers.factories import PartnershipFactory


@pytest.fixture
def category(manufacturer):
    return CategoryFactory(manufacturer=manufacturer, name="Loudspeakers")


@pytest.fixture
def product(manufacturer, category):
    return ProductFactory(manufacturer=manufacturer, category=category, sku="SPK-1", name="Aria")


@pytest.fixture
def qualification(manufacturer):
    return Qualification.objects.create(
        manufacturer=manufacturer, code="PRO-AV-CERTIFIED", name="Pro AV", is_default=True
    )


@pytest.fixture
def partnership(manufacturer):
    return PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
