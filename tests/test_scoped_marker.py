"""The `scoped` marker (tests/conftest.py): fixtures are built with scopes disabled, and the
test body runs with scoping on and no tenant, so an unscoped query in it raises."""

import pytest
from django_scopes import ScopeError, get_scope, scopes_disabled

from orders.models import Order
from tests.catalog.factories import ProductFactory
from tests.orders.factories import make_order
from tests.resellers.factories import PartnershipFactory
from tests.scoping import manufacturer_view_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(manufacturer, other_manufacturer):
    """One order per tenant; order_create queries scoped models, so this needs scopes off."""
    return [
        make_order(PartnershipFactory(manufacturer=tenant), [ProductFactory(manufacturer=tenant)])
        for tenant in (manufacturer, other_manufacturer)
    ]


@pytest.mark.scoped
def test_a_scoped_body_fails_closed_after_fixtures_built_without_scopes(orders, manufacturer):
    assert get_scope() == {}
    with pytest.raises(ScopeError):
        Order.objects.count()
    with manufacturer_view_scope(manufacturer):
        assert list(Order.objects.all()) == [orders[0]]
    with scopes_disabled():
        assert Order.objects.count() == 2


def test_an_unmarked_body_still_has_scopes_disabled(orders):
    assert get_scope()["_enabled"] is False
    assert Order.objects.count() == 2
