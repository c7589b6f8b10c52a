"""A reseller in Chromium: catalog, cart, a payment link its customer pays anonymously,
and a message to the manufacturer."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from communications.models import Conversation
from orders.models import Order, OrderStatus
from tests.browser.world import build_journeys

pytestmark = pytest.mark.django_db(transaction=True)


def test_reseller_sends_a_payment_link_that_the_customer_pays(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(world.reseller_user.email)

    # The dashboard links each manufacturer's pages; the navigation has them from there on.
    visitor.click(page.get_by_role("main").get_by_role("link", name="Catalog"))
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(page.get_by_text(world.product.sku).first).to_be_visible()
    visitor.click(nav.get_by_role("link", name="Cart"))

    page.locator("#id_end_customer").select_option(str(world.customer.pk))
    visitor.submit("Use this customer")
    page.locator("#id_product").select_option(str(world.product.pk))
    page.locator("#id_quantity").fill("2")
    visitor.submit("Add")
    page.get_by_label("Send the payment link to").fill(world.customer.email)
    mail.outbox.clear()
    visitor.submit("Send payment link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment link sent")

    sent = [message for message in mail.outbox if world.customer.email in message.to]
    assert len(sent) == 1
    pay_path = re.search(r"/pay/[\w-]+/", sent[0].body).group(0)

    customer = visit()  # anonymous, in a context of its own
    customer.goto(pay_path)
    expect(customer.page.get_by_label("Card number")).to_have_count(0)  # never on the portal
    customer.click(customer.page.get_by_role("button", name=re.compile(r"^Pay ")))
    # The provider's hosted page (the fake provider) takes the card, then its signed
    # webhook confirms the payment to the portal.
    expect(customer.page.get_by_role("heading", name="Fakepay checkout")).to_be_visible()
    customer.page.get_by_label("Card number").fill("4242 4242 4242 4242")
    customer.click(customer.page.get_by_role("button", name="Pay", exact=True))
    expect(customer.page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your payment was received"
    )
    order = Order.objects.exclude(pk=world.checkout_order.pk).get(
        partnership=world.partnership, end_customer=world.customer, payment_links__isnull=False
    )
    assert order.status != OrderStatus.AWAITING_PAYMENT


def test_reseller_writes_to_the_manufacturer(visit):
    journeys = build_journeys()
    world = journeys.a
    visitor = visit()
    page = visitor.page
    visitor.login(world.reseller_user.email)

    visitor.click(page.get_by_role("main").get_by_role("link", name="Messages"))
    expect(page.get_by_text("Stock question")).to_be_visible()
    visitor.click(page.get_by_role("link", name="New message"))
    page.get_by_label("Subject").fill("Demo units")
    page.get_by_label("Message").fill("Can we borrow two demo units?")
    visitor.submit("Send")
    expect(page.get_by_text("Can we borrow two demo units?")).to_be_visible()
    assert Conversation.objects.filter(partnership=world.partnership, subject="Demo units").exists()
