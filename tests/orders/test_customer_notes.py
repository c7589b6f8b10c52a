"""The reseller's customer-facing notes reach the end customer: on the pay page and the
receipt page, in the payment link email and in the receipt email after payment. Internal
notes and the manufacturer's notes (addressed to the reseller) never do."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import OutboxEmail
from orders.models import NoteSide
from orders.services.orders import order_note_add
from orders.services.payment_links import checkout_with_payment_link, payment_link_resend
from orders.services.payments import PaymentDeclined, payment_link_pay
from tests.orders.checkout_helpers import filled_cart, make_channel, pay_url

GOOD_CARD = {"card_number": "4242 4242 4242 4242", "cardholder": "Jane Doe"}
TOKEN_RE = re.compile(r"/pay/([A-Za-z0-9_\-]+)/")

FOR_CUSTOMER = "Delivery on Tuesday between 9 and 12."
INTERNAL = "Margin is thin on this one."
FROM_MANUFACTURER = "Reseller: ship from the Hamburg warehouse."


@pytest.fixture
def sale(db, manufacturer):
    """An order awaiting payment with the three kinds of notes, and a fresh link's token."""
    channel = make_channel(manufacturer)
    result = checkout_with_payment_link(
        cart=filled_cart(channel),
        recipient="jane@example.com",
        created_by=channel.user,
        pay_url=pay_url,
    )
    order = result.order
    order_note_add(
        order=order,
        author=channel.user,
        side=NoteSide.RESELLER,
        body=FOR_CUSTOMER,
        is_internal=False,
    )
    order_note_add(order=order, author=channel.user, side=NoteSide.RESELLER, body=INTERNAL)
    order_note_add(
        order=order,
        author=None,
        side=NoteSide.MANUFACTURER,
        body=FROM_MANUFACTURER,
        is_internal=False,
    )
    resent = payment_link_resend(order=order, recipient="jane@example.com", pay_url=pay_url)
    return order, TOKEN_RE.search(resent.url).group(1)


def assert_only_the_customer_note(text: str) -> None:
    assert FOR_CUSTOMER in text
    assert INTERNAL not in text
    assert FROM_MANUFACTURER not in text


def test_the_pay_page_shows_the_resellers_note_for_the_customer(sale):
    _order, token = sale
    page = Client().get(reverse("orders_public:pay", kwargs={"token": token})).content.decode()
    assert_only_the_customer_note(page)


def test_the_payment_link_email_carries_the_note(sale):
    email = OutboxEmail.objects.filter(kind="payment_link").order_by("pk").last()
    assert_only_the_customer_note(email.body)


def test_the_customer_gets_a_receipt_email_with_the_note_after_paying(sale):
    order, token = sale
    assert not OutboxEmail.objects.filter(kind="payment_receipt").exists()

    payment_link_pay(token=token, form_data=GOOD_CARD)

    receipt = OutboxEmail.objects.get(kind="payment_receipt")
    assert receipt.recipient == "jane@example.com"
    assert order.number in receipt.subject
    assert "€332.70" in receipt.body and "€233.97" not in receipt.body
    assert_only_the_customer_note(receipt.body)
    page = Client().get(reverse("orders_public:receipt", kwargs={"token": token})).content.decode()
    assert_only_the_customer_note(page)


def test_a_declined_payment_sends_no_receipt(sale):
    _order, token = sale
    with pytest.raises(PaymentDeclined):
        payment_link_pay(
            token=token, form_data={"card_number": "4000 0000 0000 0002", "cardholder": "J"}
        )
    assert not OutboxEmail.objects.filter(kind="payment_receipt").exists()
