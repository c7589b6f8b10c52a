import pytest

from accounts.models import Role
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerFactory
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory

ASK = "/m/acme/assistant/"
CONFIRM = "/m/acme/assistant/confirm/"


@pytest.fixture
def qualification(manufacturer):
    return QualificationFactory(
        manufacturer=manufacturer, code="PRO-AV-CERTIFIED", name="Pro AV certified"
    )


@pytest.fixture
def great_north(manufacturer):
    return PartnershipFactory(
        manufacturer=manufacturer, reseller=ResellerFactory(name="Great Supplies North")
    )


@pytest.fixture
def great_south(manufacturer):
    return PartnershipFactory(
        manufacturer=manufacturer, reseller=ResellerFactory(name="Great Supplies South")
    )


@pytest.fixture
def other_rep(manufacturer, make_member):
    return make_member(manufacturer, Role.SELLER, first_name="Tom", last_name="Okafor")


@pytest.fixture
def rep(manufacturer, make_member):
    return make_member(manufacturer, Role.SELLER, first_name="Sara", last_name="Lindqvist")


@pytest.fixture
def rep_with_customer(manufacturer, partnership, rep, owner):
    """Sara holds Soundhouse; Tom holds Great Supplies North."""
    portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=rep, by=owner)
    return rep


@pytest.fixture
def foreign_partnership(other_manufacturer):
    return PartnershipFactory(
        manufacturer=other_manufacturer, reseller=ResellerFactory(name="Helios Partner")
    )
