"""Every form that creates an order, submitted twice at the same moment (a double click),
creates one order, sends one payment link, and redirects both requests; on PostgreSQL."""

import uuid

import pytest
from django.urls import reverse

from accounts.models import Role
from notifications.models import OutboxEmail
from orders.models import Order, OrderSubmission, PaymentLink
from orders.services.orders import LineRequest, OrderRefused
from orders.services.payment_links import checkout_with_payment_link
from orders.services.submissions import order_create_once
from tests.concurrency import run_at_once
from tests.orders.checkout_helpers import filled_cart, make_channel, pay_url


def twice_at_once(client_for, user, url, data) -> list[int]:
    clients = [client_for(user) for _ in range(2)]
    results, errors = run_at_once([lambda c=c: c.post(url, data) for c in clients])
    assert errors == []
    assert [response.status_code for response in results] == [302, 302]
    locations = {response["Location"] for response in results}
    assert len(locations) == 1, "both requests land on the same order"
    return list(Order.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_checkout_creates_one_order_one_link_one_email(manufacturer, client_for):
    channel = make_channel(manufacturer)
    filled_cart(channel)
    url = reverse(
        "orders_reseller:cart_checkout",
        kwargs={
            "reseller_public_id": channel.reseller.public_id,
            "manufacturer_slug": manufacturer.slug,
        },
    )
    data = {
        "payment_method": "payment_link",
        "recipient": "ap@doe.example",
        "submission_key": uuid.uuid4(),
    }

    orders = twice_at_once(client_for, channel.user, url, data)

    assert len(orders) == 1
    assert PaymentLink.objects.count() == 1
    assert OutboxEmail.objects.filter(kind="payment_link").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_manual_order_creates_one(
    client_for, make_member, manufacturer, partnership, products, customer
):
    data = {
        "partnership": partnership.pk,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
        "lines-0-sku": "SPK-1",
        "lines-0-quantity": "2",
        "end_customer": customer.pk,
        "submission_key": uuid.uuid4(),
    }
    url = f"/m/{manufacturer.slug}/orders/new/"

    orders = twice_at_once(client_for, make_member(manufacturer, Role.MANAGER), url, data)

    assert len(orders) == 1
    assert Order.objects.get().is_manual


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_reseller_order_creates_one(
    client_for, reseller_user, partnership, products
):
    url = reverse(
        "orders_reseller:place",
        kwargs={
            "reseller_public_id": partnership.reseller.public_id,
            "manufacturer_slug": partnership.manufacturer.slug,
        },
    )
    data = {"own_use": "on", f"qty_{products[0].pk}": "1", "submission_key": uuid.uuid4()}

    assert len(twice_at_once(client_for, reseller_user, url, data)) == 1


def test_the_same_form_again_later_answers_the_first_order(partnership, products, customer):
    key = uuid.uuid4()

    def place():
        return order_create_once(
            submission_key=key,
            partnership=partnership,
            lines=[LineRequest(product_id=products[0].pk, quantity=1)],
            created_by=None,
            end_customer=customer,
        )

    first, created = place()
    again, created_again = place()

    assert (created, created_again) == (True, False)
    assert again == first
    assert Order.objects.count() == 1
    assert OrderSubmission.objects.get().order == first


def test_a_refused_order_leaves_the_key_free_for_the_corrected_form(partnership, products):
    key = uuid.uuid4()
    lines = [LineRequest(product_id=products[0].pk, quantity=1)]
    with pytest.raises(OrderRefused, match="end customer"):
        order_create_once(submission_key=key, partnership=partnership, lines=lines, created_by=None)

    order, created = order_create_once(
        submission_key=key, partnership=partnership, lines=lines, created_by=None, own_use=True
    )

    assert created and Order.objects.get() == order


def test_a_key_of_another_tenant_is_not_this_tenants_order(manufacturer, other_manufacturer):
    key = uuid.uuid4()
    results = []
    for tenant in (manufacturer, other_manufacturer):
        channel = make_channel(tenant)
        results.append(
            checkout_with_payment_link(
                cart=filled_cart(channel),
                recipient="jane@example.com",
                created_by=channel.user,
                pay_url=pay_url,
                submission_key=key,
            )
        )

    assert all(result.created for result in results)
    assert Order.objects.count() == 2
