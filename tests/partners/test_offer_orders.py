"""Ordering from an offer: at the offer's price, frozen on the order lines, through the
orders domain; a blocked partner, a closed offer, another tenant's or another partner's
selected offer cannot be ordered."""

from datetime import date
from decimal import Decimal

import pytest

from channel.models import Partnership, QualifyingStatus
from orders.models import Order, OrderNote
from partners.models import Visibility
from partners.services import PartnerRefused
from partners.services.incidents import incident_raise, incident_step_take
from partners.services.offers import (
    OfferValues,
    offer_order,
    offer_publish,
    offer_save,
    offer_unit_prices,
)
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.orders.factories import make_end_customer
from tests.partners.factories import tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def qualified(partnership):
    """Public offers are open to qualified (verified) partners."""
    Partnership.objects.filter(pk=partnership.pk).update(
        qualifying_status=QualifyingStatus.QUALIFIED
    )
    partnership.refresh_from_db()


@pytest.fixture
def products(manufacturer):
    return (
        ProductFactory(manufacturer=manufacturer, sku="AMP", price=D("300.00")),
        ProductFactory(manufacturer=manufacturer, sku="SPK", price=D("100.00")),
    )


def published(manufacturer, items, **changes):
    values = {
        "title": "Club bundle",
        "price": D("450.00"),
        "visibility": Visibility.PUBLIC,
        "starts_on": date(2026, 1, 1),
        "items": items,
        **changes,
    }
    offer = offer_save(manufacturer=manufacturer, offer=None, values=OfferValues(**values))
    offer_publish(offer=offer)
    return offer


def offer_url(partnership, offer):
    return (
        f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/offers/{offer.pk}/"
    )


def test_the_bundle_price_is_split_to_the_cent():
    amp = ProductFactory.build(pk=1, price=D("300.00"))
    spk = ProductFactory.build(pk=2, price=D("100.00"))
    # 1 amp + 2 speakers = 500.00 list; at 450.00: amp 270.00, speakers 90.00 each.
    assert offer_unit_prices(price=D("450.00"), items=[(amp, 1), (spk, 2)]) == {
        1: D("270.00"),
        2: D("90.00"),
    }
    # 100.00 over 3 × 1 speaker at equal value: 33.33 × 2 + 33.34 on one.
    three = [(ProductFactory.build(pk=n, price=D("10.00")), 1) for n in (1, 2, 3)]
    units = offer_unit_prices(price=D("100.00"), items=three)
    assert sum(units.values()) == D("100.00") and sorted(units.values())[-1] == D("33.34")
    # 10.00 over 3 of one product cannot be split to the cent.
    with pytest.raises(PartnerRefused, match="cannot be split"):
        offer_unit_prices(price=D("10.00"), items=[(spk, 3)])


def test_a_reseller_orders_an_offer_at_its_price_frozen_on_the_lines(
    client_for, manufacturer, partnership, products, reseller_user, manager
):
    amp, spk = products
    # Gold's 10% better pricing does not apply on top of an offer's price.
    from partners.services.tiers import partner_tier_set

    partner_tier_set(
        partnership=partnership, tier=tier_named(manufacturer, "Gold"), by=manager, reason="Top"
    )
    offer = published(manufacturer, {amp.pk: 1, spk.pk: 2})
    customer = make_end_customer(partnership.reseller, email="club@kunden.example")

    response = client_for(reseller_user).post(
        offer_url(partnership, offer), {"bundles": "2", "end_customer": str(customer.pk)}
    )

    assert response.status_code == 302
    order = Order.objects.get(partnership=partnership)
    assert order.end_customer == customer and not order.own_use
    assert order.total == D("900.00")  # 2 × 450.00
    lines = {
        line.sku: (line.quantity, line.unit_price, line.line_total) for line in order.lines.all()
    }
    assert lines == {"AMP": (2, D("270.00"), D("540.00")), "SPK": (4, D("90.00"), D("360.00"))}
    assert response["Location"].endswith(f"/orders/{order.pk}/")
    note = OrderNote.objects.get(order=order)
    assert "Club bundle" in note.body and not note.is_internal
    # A later price change of the offer leaves the order as it was.
    offer.price = D("400.00")
    offer.save(update_fields=["price"])
    order.refresh_from_db()
    assert order.total == D("900.00")


def test_without_an_end_customer_it_is_for_own_use(
    client_for, manufacturer, partnership, products, reseller_user
):
    amp, _spk = products
    offer = published(manufacturer, {amp.pk: 1}, price=D("250.00"))

    client_for(reseller_user).post(offer_url(partnership, offer), {"bundles": "1"})

    order = Order.objects.get(partnership=partnership)
    assert order.own_use and order.total == D("250.00")


@pytest.mark.parametrize("bundles", ["0", "-1", "abc", "100000000"])
def test_a_bad_quantity_re_renders_with_its_error_and_orders_nothing(
    client_for, manufacturer, partnership, products, reseller_user, bundles
):
    amp, _spk = products
    offer = published(manufacturer, {amp.pk: 1})

    response = client_for(reseller_user).post(offer_url(partnership, offer), {"bundles": bundles})

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Order.objects.filter(partnership=partnership).exists()


def test_another_resellers_customer_is_not_a_choice(
    client_for, manufacturer, partnership, products, reseller_user
):
    amp, _spk = products
    offer = published(manufacturer, {amp.pk: 1})
    stranger = make_end_customer(ResellerFactory(name="Other"), email="x@other.example")

    response = client_for(reseller_user).post(
        offer_url(partnership, offer), {"bundles": "1", "end_customer": str(stranger.pk)}
    )

    assert response.status_code == 400 and response.context["form"].errors["end_customer"]
    assert not Order.objects.exists()


def test_blocked_selected_for_others_or_foreign_offers_cannot_be_ordered(
    client, client_for, manufacturer, other_manufacturer, partnership, products, manager,
    reseller_user,
):  # fmt: skip
    amp, _spk = products
    other = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Rival"))
    selected = published(
        manufacturer, {amp.pk: 1}, visibility=Visibility.SELECTED, recipient_ids=[other.pk]
    )
    foreign_product = ProductFactory(manufacturer=other_manufacturer, sku="F", price=D("5.00"))
    foreign = published(other_manufacturer, {foreign_product.pk: 1})
    open_offer = published(manufacturer, {amp.pk: 1})
    client = client_for(reseller_user)

    assert client.post(offer_url(partnership, selected), {"bundles": "1"}).status_code == 404
    foreign_url = offer_url(partnership, foreign)
    assert client.post(foreign_url, {"bundles": "1"}).status_code == 404
    rival_user = ResellerUserFactory(reseller=other.reseller).user
    assert (
        client_for(rival_user)
        .post(offer_url(partnership, open_offer), {"bundles": "1"})
        .status_code
        == 404
    )
    # A block takes effect at once, in the page and in the service.
    incident = incident_raise(partnership=partnership, kind="other", summary="x", by=manager)
    incident_step_take(incident=incident, step="blocked_all", notes="Blocked.", by=manager)
    assert client.post(offer_url(partnership, open_offer), {"bundles": "1"}).status_code == 404
    with pytest.raises(PartnerRefused, match="no longer open"):
        offer_order(
            partnership=partnership, offer=open_offer, bundles=1, end_customer=None, by=manager
        )
    assert not Order.objects.exists()


def test_anonymous_and_staff_cannot_order_on_the_resellers_page(
    client, client_for, manufacturer, partnership, products, manager
):
    amp, _spk = products
    offer = published(manufacturer, {amp.pk: 1})

    anonymous = client.post(offer_url(partnership, offer), {"bundles": "1"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert (
        client_for(manager).post(offer_url(partnership, offer), {"bundles": "1"}).status_code == 404
    )
    assert not Order.objects.exists()
