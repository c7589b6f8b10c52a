"""The gate from both sides: the reseller's catalog and the order service."""

import pytest
from django.urls import reverse

from catalog.gate import orderable_products, visible_categories
from orders.models import Order
from orders.services.orders import LineRequest, OrderRefused, order_create
from qualifications import services
from qualifications.selectors import held_qualification_ids


def _visible_skus(partnership) -> set[str]:
    return set(
        orderable_products(
            manufacturer=partnership.manufacturer, reseller=partnership.reseller
        ).values_list("sku", flat=True)
    )


def _order(partnership, product):
    return order_create(
        partnership=partnership,
        lines=[LineRequest(product.pk, 1)],
        created_by=None,
        own_use=True,
    )


def test_the_gate_follows_grant_and_revoke(
    partnership, qualification, open_product, restricted_product, owner
):
    assert _visible_skus(partnership) == {"OPEN-1"}
    assert restricted_product.category not in visible_categories(
        manufacturer=partnership.manufacturer, reseller=partnership.reseller
    )
    with pytest.raises(OrderRefused):
        _order(partnership, restricted_product)
    assert not Order.objects.exists()

    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    assert _visible_skus(partnership) == {"OPEN-1", "PRO-1"}
    order = _order(partnership, restricted_product)
    assert order.lines.get().sku == "PRO-1"

    services.qualification_revoke(
        partnership=partnership, qualification=qualification, revoked_by=owner
    )
    assert _visible_skus(partnership) == {"OPEN-1"}
    with pytest.raises(OrderRefused):
        _order(partnership, restricted_product)
    assert Order.objects.count() == 1  # the order placed while qualified stays


def test_a_grant_with_one_manufacturer_unlocks_nothing_elsewhere(
    partnership, qualification, restricted_product, other_manufacturer, owner
):
    from tests.resellers.factories import PartnershipFactory

    other = PartnershipFactory(manufacturer=other_manufacturer, reseller=partnership.reseller)
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    assert held_qualification_ids(partnership.manufacturer, partnership.reseller) == {
        qualification.pk
    }
    assert held_qualification_ids(other_manufacturer, partnership.reseller) == set()
    assert held_qualification_ids(other.manufacturer, other.reseller) == set()


def test_the_policy_is_one_query(
    partnership, qualification, owner, django_assert_num_queries, manufacturer
):
    services.qualification_grant(
        partnership=partnership, qualification=qualification, granted_by=owner
    )
    with django_assert_num_queries(1):
        held_qualification_ids(manufacturer, partnership.reseller)


def test_the_gate_on_the_resellers_pages_follows_the_staff_actions(
    client_for, partnership, reseller_user, owner, open_product, restricted_product
):
    reseller = partnership.reseller
    base = f"/r/{reseller.public_id}/m/{partnership.manufacturer.slug}"
    staff = client_for(owner)
    client = client_for(reseller_user)

    def action(name):
        return reverse(
            f"qualifications_manufacturer:{name}",
            kwargs={
                "manufacturer_slug": partnership.manufacturer.slug,
                "public_id": reseller.public_id,
            },
        )

    def catalog_shows_it() -> bool:
        listing = client.get(f"{base}/catalog/").content.decode()
        detail = client.get(f"{base}/catalog/{restricted_product.pk}/").status_code
        assert "OPEN-1" in listing
        assert ("PRO-1" in listing) == (detail == 200)
        return detail == 200

    def order_it():
        return client.post(
            f"{base}/orders/new/", {"own_use": "on", f"qty_{restricted_product.pk}": "1"}
        )

    assert not catalog_shows_it()
    assert order_it().status_code == 400
    assert not Order.objects.exists()

    staff.post(action("grant"), {"code": "PRO-AV-CERTIFIED"})
    assert catalog_shows_it()
    assert order_it().status_code == 302
    assert Order.objects.get().lines.get().sku == "PRO-1"

    staff.post(action("revoke"), {"code": "PRO-AV-CERTIFIED", "reason": "Expired"})
    assert not catalog_shows_it()
    assert order_it().status_code == 400
    assert Order.objects.count() == 1
