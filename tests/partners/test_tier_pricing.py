"""A tier's better pricing in every price the reseller sees and in every order it places."""

from decimal import Decimal

import pytest

from channel.benefits import (
    combine_discounts,
    partnership_commission_rate,
    priority_partnership_ids,
)
from channel.models import Partnership
from orders.services.orders import LineRequest, order_create
from partners.services.tiers import partner_tier_set, tier_save
from tests.catalog.factories import ProductFactory
from tests.partners.factories import tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(manufacturer):
    return ProductFactory(manufacturer=manufacturer, sku="SPK-9", price=Decimal("100.00"))


def catalog_price(client, partnership, product):
    url = f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/catalog/"
    response = client.get(url)
    assert response.status_code == 200
    return {p.pk: price for p, price in response.context["rows"]}[product.pk]


@pytest.mark.parametrize(
    ("tier", "own_discount", "price"),
    [
        ("Bronze", "0.00", "100.00"),
        ("Silver", "0.00", "95.00"),
        ("Gold", "0.00", "90.00"),
        ("Silver", "10.00", "85.50"),  # 100 × 0.90 × 0.95
        ("Gold", "3.00", "87.30"),  # 100 × 0.97 × 0.90
    ],
)
def test_the_tier_discount_is_in_the_catalog_and_the_order(
    client_for,
    reseller_user,
    partnership,
    manager,
    manufacturer,
    product,
    tier,
    own_discount,
    price,
):
    Partnership.objects.filter(pk=partnership.pk).update(discount_percent=Decimal(own_discount))
    partnership.refresh_from_db()
    if tier != "Bronze":
        partner_tier_set(
            partnership=partnership,
            tier=tier_named(manufacturer, tier),
            by=manager,
            reason="Test",
        )

    assert catalog_price(client_for(reseller_user), partnership, product) == Decimal(price)
    fresh = Partnership.objects.get(pk=partnership.pk)
    order = order_create(
        partnership=fresh,
        lines=[LineRequest(product_id=product.pk, quantity=2)],
        created_by=reseller_user,
        own_use=True,
    )
    assert order.total == Decimal(price) * 2
    assert order.lines.get().unit_price == Decimal(price)
    assert order.discount_total == Decimal("200.00") - Decimal(price) * 2


def test_another_partner_of_the_same_manufacturer_keeps_its_price(
    client_for, manufacturer, partnership, manager, product
):
    from tests.accounts.factories import ResellerUserFactory

    other = PartnershipFactory(manufacturer=manufacturer)
    partner_tier_set(
        partnership=partnership, tier=tier_named(manufacturer, "Gold"), by=manager, reason="x"
    )
    other_user = ResellerUserFactory(reseller=other.reseller).user
    assert catalog_price(client_for(other_user), other, product) == Decimal("100.00")


def test_combined_discounts():
    assert combine_discounts(Decimal("0"), Decimal("5")) == Decimal("5")
    assert combine_discounts(Decimal("10"), Decimal("0")) == Decimal("10")
    assert combine_discounts(Decimal("10"), Decimal("5")) == Decimal("14.5")
    assert combine_discounts(Decimal("100"), Decimal("10")) == Decimal("100")


def test_the_commission_rate_and_priority_seams(manufacturer, partnership, manager):
    silver = tier_named(manufacturer, "Silver")
    assert partnership_commission_rate(Partnership.objects.get(pk=partnership.pk)) is None
    tier_save(
        manufacturer=manufacturer,
        tier=silver,
        values={"name": "Silver", "rank": 1, "commission_rate": Decimal("12.50")},
    )
    partner_tier_set(partnership=partnership, tier=silver, by=manager, reason="x")

    fresh = Partnership.objects.get(pk=partnership.pk)
    assert partnership_commission_rate(fresh) == Decimal("12.50")
    assert priority_partnership_ids(manufacturer.pk) == {partnership.pk}
    assert priority_partnership_ids(manufacturer.pk + 1000) == set()
