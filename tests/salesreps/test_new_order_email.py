"""The rep's new-order email links to the order and says whether it is placed or still
awaiting payment."""

from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from notifications.models import OutboxEmail
from orders.models import OrderStatus
from tests.orders.factories import make_order

BASE = "https://portal.example.test"


def rep_email() -> OutboxEmail:
    (email,) = OutboxEmail.objects.filter(kind="order_created")
    return email


@pytest.fixture(autouse=True)
def _empty_outbox(world):
    OutboxEmail.objects.all().delete()


@override_settings(PORTAL_BASE_URL=BASE + "/")
def test_email_of_a_placed_order_links_to_the_order_and_says_placed(world, login):
    order = make_order(world.a1, [world.product], created_by=world.reseller_user)
    email = rep_email()
    link = f"{BASE}/m/{world.tenant.slug}/orders/{order.pk}/"
    assert link in email.body
    assert f"placed order {order.number}" in email.body
    assert "awaiting payment" not in email.subject + email.body
    # The link opens the order for its rep, and for no other rep.
    path = urlsplit(link).path
    assert login(world.rep_a).get(path).status_code == 200
    assert login(world.rep_b).get(path).status_code == 404


@override_settings(PORTAL_BASE_URL=BASE)
def test_email_of_an_order_awaiting_payment_says_so(world):
    order = make_order(
        world.a1,
        [world.product],
        created_by=world.reseller_user,
        status=OrderStatus.AWAITING_PAYMENT,
    )
    email = rep_email()
    assert "awaiting payment" in email.subject
    assert "awaiting payment" in email.body
    assert f"placed order {order.number}" not in email.body
    assert f"{BASE}/m/{world.tenant.slug}/orders/{order.pk}/" in email.body


def test_email_goes_to_the_current_rep_only(world):
    make_order(world.b1, [world.product], created_by=world.reseller_user)
    assert rep_email().recipient == world.rep_b.email
