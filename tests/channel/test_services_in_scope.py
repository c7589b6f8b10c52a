"""Partnership services run inside the manufacturer portal's scope, or fail closed.

Every caller is a `manufacturer_view` (the reseller directory, the profile, the
conditions form). The reseller also partners with the other tenant: that partnership's
status and conditions must stay as they are.
"""

from decimal import Decimal

import pytest
from django_scopes import ScopeError, scopes_disabled

from channel.models import Partnership, PartnershipStatus, PaymentMethod, ShippingMethod
from channel.services import (
    PartnershipRefused,
    partnership_add_existing,
    partnership_set_status,
    partnership_update_conditions,
)
from tests.accounts.factories import ResellerFactory
from tests.catalog.factories import PriceListFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoping import manufacturer_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def foreign_partnership(other_manufacturer, reseller):
    """The same reseller, partnered with the other tenant."""
    return PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)


@pytest.fixture
def newcomer(other_manufacturer):
    """A reseller that only the other tenant partners with so far."""
    return PartnershipFactory(
        manufacturer=other_manufacturer, reseller=ResellerFactory(name="Newcomer AG")
    ).reseller


def assert_foreign_untouched(foreign_partnership: Partnership) -> None:
    with scopes_disabled():
        foreign = Partnership.objects.get(pk=foreign_partnership.pk)
        assert foreign.status == PartnershipStatus.ACTIVE
        assert (foreign.price_list, foreign.discount_percent) == (None, Decimal("0"))


def test_partnership_services_in_the_manufacturer_view_scope(
    manufacturer, partnership, foreign_partnership, newcomer
):
    with scopes_disabled():
        price_list = PriceListFactory(manufacturer=manufacturer)

    with manufacturer_view_scope(manufacturer):
        added = partnership_add_existing(manufacturer=manufacturer, public_id=newcomer.public_id)
        with pytest.raises(PartnershipRefused):
            partnership_add_existing(
                manufacturer=manufacturer, public_id=partnership.reseller.public_id
            )
        partnership_set_status(partnership=partnership, status=PartnershipStatus.SUSPENDED)
        partnership_update_conditions(
            partnership=partnership,
            price_list=price_list,
            discount_percent=Decimal("12.5"),
            payment_method=PaymentMethod.INVOICE,
            shipping_method=ShippingMethod.PICKUP,
        )

    with scopes_disabled():
        assert (added.manufacturer, added.reseller) == (manufacturer, newcomer)
        assert Partnership.objects.filter(reseller=newcomer).count() == 2
        partnership.refresh_from_db()
        assert partnership.status == PartnershipStatus.SUSPENDED
        assert (partnership.price_list, partnership.discount_percent) == (
            price_list,
            Decimal("12.5"),
        )
    assert_foreign_untouched(foreign_partnership)


def test_a_status_change_in_one_tenants_scope_cannot_reach_another_tenants_partnership(
    manufacturer, foreign_partnership
):
    with manufacturer_view_scope(manufacturer), pytest.raises(Partnership.DoesNotExist):
        partnership_set_status(partnership=foreign_partnership, status=PartnershipStatus.ENDED)
    assert_foreign_untouched(foreign_partnership)


def test_partnership_services_with_no_tenant_in_scope_raise(
    manufacturer, partnership, foreign_partnership, newcomer
):
    with worker_scope():
        with pytest.raises(ScopeError):
            partnership_add_existing(manufacturer=manufacturer, public_id=newcomer.public_id)
        with pytest.raises(ScopeError):
            partnership_set_status(partnership=partnership, status=PartnershipStatus.ENDED)

    with scopes_disabled():
        assert not Partnership.objects.filter(manufacturer=manufacturer, reseller=newcomer).exists()
        partnership.refresh_from_db()
        assert partnership.status == PartnershipStatus.ACTIVE
    assert_foreign_untouched(foreign_partnership)
