"""Account services that read tenant data run inside the manufacturer portal's scope.

`manufacturer_settings_update` (the channel settings page, a `manufacturer_view`) may
change the currency only while the tenant has no products or orders. The other tenant has
a product: it must neither block the change nor be changed by it.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import ScopeError, scopes_disabled

from accounts.models import Manufacturer
from accounts.services import manufacturer_settings_update
from tests.catalog.factories import ProductFactory
from tests.scoping import manufacturer_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def foreign_product(other_manufacturer):
    return ProductFactory(manufacturer=other_manufacturer)


def settings_for(manufacturer: Manufacturer, currency: str) -> dict:
    return {
        "manufacturer": manufacturer,
        "name": manufacturer.name,
        "currency": currency,
        "default_commission_rate": Decimal("5.00"),
        "commission_holding_weeks": 4,
        "payout_deadline_weeks": 8,
    }


def test_currency_change_in_the_manufacturer_view_scope(
    manufacturer, other_manufacturer, foreign_product
):
    with manufacturer_view_scope(manufacturer):
        manufacturer_settings_update(**settings_for(manufacturer, "USD"))
    with manufacturer_view_scope(other_manufacturer), pytest.raises(ValidationError):
        manufacturer_settings_update(**settings_for(other_manufacturer, "USD"))

    manufacturer.refresh_from_db()
    other_manufacturer.refresh_from_db()
    assert manufacturer.currency == "USD"
    assert other_manufacturer.currency == "EUR"
    with scopes_disabled():
        foreign_product.refresh_from_db()
        assert foreign_product.manufacturer == other_manufacturer


def test_currency_change_with_no_tenant_in_scope_raises(manufacturer, foreign_product):
    with worker_scope(), pytest.raises(ScopeError):
        manufacturer_settings_update(**settings_for(manufacturer, "USD"))

    manufacturer.refresh_from_db()
    assert manufacturer.currency == "EUR"
