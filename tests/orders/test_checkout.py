"""The reseller's cart and checkout by payment link (reseller side)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.services import product_set_active
from channel.models import Partnership, PartnershipStatus
from notifications.models import OutboxEmail
from orders.models import CartLine, Order, OrderStatus, PaymentLink
from orders.selectors.carts import cart_find, cart_priced
from orders.selectors.payment_links import hash_token
from orders.services.carts import (
    CheckoutRefused,
    cart_add_line,
    cart_get_or_create,
    cart_set_end_customer,
)
from orders.services.orders import OrderRefused
from orders.services.payment_links import checkout_with_payment_link
from resellers.services import end_customer_create
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.orders.checkout_helpers import PAY_URL_RE, filled_cart, make_channel, pay_url
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(manufacturer):
    return make_channel(manufacturer)


@pytest.fixture
def client(client_for, channel):
    return client_for(channel.user)


def url(channel, name="cart", **kwargs):
    return reverse(
        f"orders_reseller:{name}",
        kwargs={
            "reseller_public_id": channel.reseller.public_id,
            "manufacturer_slug": channel.manufacturer.slug,
            **kwargs,
        },
    )


def cart_lines(channel):
    cart = cart_find(partnership=channel.partnership, user=channel.user)
    return {} if cart is None else {l.product_id: l.quantity for l in cart.lines.all()}  # noqa: E741


# --- pricing --------------------------------------------------------------------------------


def test_cart_prices_come_from_catalog_and_partnership(channel):
    cart = filled_cart(channel)  # 2 × 100.00 and 3 × 19.99, 10 % discount

    summary = cart_priced(cart=cart, partnership=channel.partnership)

    assert [line.unit_price for line in summary.lines] == [Decimal("90.00"), Decimal("17.99")]
    assert summary.subtotal == Decimal("259.97")
    assert summary.total == Decimal("233.97")
    assert summary.discount == Decimal("26.00")


def test_cart_page_shows_lines_prices_and_only_own_customers(client, channel):
    filled_cart(channel)
    other = ResellerFactory()
    end_customer_create(reseller=other, name="Foreign Fred", email="fred@example.com")

    response = client.get(url(channel))

    body = response.content.decode()
    assert response.status_code == 200
    assert "€233.97" in body and "€90.00" in body
    choices = list(response.context["customer_form"].fields["end_customer"].queryset)
    assert choices == [channel.customer]
    assert "Foreign Fred" not in body


def test_cart_page_query_budget(client, channel, django_assert_max_num_queries):
    cart = filled_cart(channel)
    for n in range(25):
        product = ProductFactory(manufacturer=channel.manufacturer, name=f"Extra {n}")
        cart_add_line(cart=cart, product_id=product.pk, quantity=1)
    for n in range(30):
        end_customer_create(reseller=channel.reseller, name=f"C{n}", email=f"c{n}@example.com")
    with django_assert_max_num_queries(18):
        response = client.get(url(channel))
    assert len(response.context["summary"].lines) == 27


# --- customer -------------------------------------------------------------------------------


def test_choose_customer(client, channel):
    response = client.post(url(channel, "cart_customer"), {"end_customer": channel.customer.pk})
    assert response.status_code == 302
    cart = cart_find(partnership=channel.partnership, user=channel.user)
    assert cart.end_customer == channel.customer


def test_customer_of_another_reseller_is_refused(client, channel):
    foreign = end_customer_create(reseller=ResellerFactory(), name="F", email="f@example.com")

    response = client.post(url(channel, "cart_customer"), {"end_customer": foreign.pk})

    assert response.status_code == 200
    assert response.context["customer_form"].errors["end_customer"]
    cart = cart_find(partnership=channel.partnership, user=channel.user)
    assert cart is None or cart.end_customer is None


def test_service_refuses_a_foreign_customer(channel):
    cart = cart_get_or_create(partnership=channel.partnership, user=channel.user)
    foreign = end_customer_create(reseller=ResellerFactory(), name="F", email="f@example.com")
    with pytest.raises(CheckoutRefused):
        cart_set_end_customer(cart=cart, end_customer=foreign)


# --- lines ----------------------------------------------------------------------------------


def test_add_product_twice_adds_up(client, channel):
    product = channel.products[0]
    client.post(url(channel, "cart_add"), {"product": product.pk, "quantity": 2})
    client.post(url(channel, "cart_add"), {"product": product.pk, "quantity": 3, "price": "0.01"})
    assert cart_lines(channel) == {product.pk: 5}


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "100000"])
def test_add_with_a_bad_quantity_is_a_form_error(client, channel, quantity):
    response = client.post(
        url(channel, "cart_add"), {"product": channel.products[0].pk, "quantity": quantity}
    )
    assert response.status_code == 200
    assert response.context["add_form"].errors["quantity"]
    assert cart_lines(channel) == {}


def test_products_that_are_not_orderable_cannot_be_added(client, channel, other_manufacturer):
    inactive = ProductFactory(manufacturer=channel.manufacturer, name="Retired")
    product_set_active(product=inactive, is_active=False)
    foreign = ProductFactory(manufacturer=other_manufacturer)

    for product in (inactive, foreign):
        response = client.post(url(channel, "cart_add"), {"product": product.pk, "quantity": 1})
        assert response.status_code == 200
        assert response.context["add_form"].errors
    cart = cart_get_or_create(partnership=channel.partnership, user=channel.user)
    with pytest.raises(CheckoutRefused):
        cart_add_line(cart=cart, product_id=foreign.pk, quantity=1)
    assert cart_lines(channel) == {}


def test_update_quantities_and_remove(client, channel):
    filled_cart(channel)
    aria, bolero = channel.products

    client.post(url(channel, "cart_update"), {f"qty_{aria.pk}": "7", f"qty_{bolero.pk}": "3"})
    assert cart_lines(channel) == {aria.pk: 7, bolero.pk: 3}

    client.post(url(channel, "cart_update"), {f"qty_{aria.pk}": "0", f"qty_{bolero.pk}": "3"})
    assert cart_lines(channel) == {bolero.pk: 3}

    client.post(url(channel, "cart_update"), {"remove": str(bolero.pk)})
    assert cart_lines(channel) == {}


def test_update_with_bad_quantities_changes_nothing(client, channel):
    filled_cart(channel)
    aria, bolero = channel.products
    for bad in ("-3", "lots", "100000"):
        response = client.post(
            url(channel, "cart_update"), {f"qty_{aria.pk}": "5", f"qty_{bolero.pk}": bad}
        )
        assert response.status_code == 302
    assert cart_lines(channel) == {aria.pk: 2, bolero.pk: 3}


def test_clear(client, channel):
    filled_cart(channel)
    response = client.post(url(channel, "cart_clear"))
    assert response.status_code == 302
    assert cart_lines(channel) == {}


# --- checkout -------------------------------------------------------------------------------


def test_checkout_creates_order_link_and_email_after_commit(
    channel, django_capture_on_commit_callbacks
):
    cart = filled_cart(channel)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = checkout_with_payment_link(
            cart=cart, recipient="jane@example.com", created_by=channel.user, pay_url=pay_url
        )
        # Written to the outbox in the transaction, not sent before the commit.
        assert OutboxEmail.objects.filter(recipient="jane@example.com").count() == 1
        assert mail.outbox == []

    assert len(callbacks) >= 1
    order = result.order
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.end_customer == channel.customer
    assert order.total == Decimal("233.97")  # the reseller's prices
    assert order.retail_total == Decimal("332.70")  # what the customer pays
    link = PaymentLink.objects.get(order=order)
    token = PAY_URL_RE.search(result.url).group(1)
    assert link.token_hash == hash_token(token) and token not in link.token_hash
    assert len(token) >= 43  # token_urlsafe(32)
    assert before + timedelta(days=7) <= link.expires_at <= timezone.now() + timedelta(days=7)
    assert link.used_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jane@example.com"]
    assert order.number in message.subject
    assert result.url in message.body and "332.70" in message.body
    assert "233.97" not in message.body
    assert cart_lines(channel) == {}
    cart.refresh_from_db()
    assert cart.end_customer is None


def test_checkout_page_flow(client, channel, django_capture_on_commit_callbacks):
    filled_cart(channel)
    page = client.get(url(channel))
    assert page.context["checkout_form"].initial["recipient"] == "jane@example.com"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(channel, "cart_checkout"),
            {"payment_method": "payment_link", "recipient": "accounts@doe.example"},
        )

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(channel, "cart_sent", order_id=order.pk)
    sent = client.get(response["Location"])
    assert order.number in sent.content.decode()
    assert "accounts@doe.example" in sent.content.decode()
    assert mail.outbox[0].to == ["accounts@doe.example"]
    token = PAY_URL_RE.search(mail.outbox[0].body).group(1)
    assert Client().get(reverse("orders_public:pay", kwargs={"token": token})).status_code == 200


def nothing_was_created():
    return not (
        Order.objects.exists() or PaymentLink.objects.exists() or OutboxEmail.objects.exists()
    )


def test_checkout_of_an_empty_cart_is_refused(client, channel):
    cart_set_end_customer(
        cart=cart_get_or_create(partnership=channel.partnership, user=channel.user),
        end_customer=channel.customer,
    )
    response = client.post(
        url(channel, "cart_checkout"),
        {"payment_method": "payment_link", "recipient": "j@example.com"},
    )
    assert response.status_code == 200
    assert "The cart is empty" in response.content.decode()
    assert nothing_was_created()


def test_checkout_without_customer_is_refused(channel):
    cart = filled_cart(channel)
    cart_set_end_customer(cart=cart, end_customer=None)
    with pytest.raises(CheckoutRefused):
        checkout_with_payment_link(
            cart=cart, recipient="j@example.com", created_by=channel.user, pay_url=pay_url
        )
    assert nothing_was_created()
    assert len(cart_lines(channel)) == 2


def test_checkout_with_a_foreign_customer_is_refused(channel):
    cart = filled_cart(channel)
    foreign = end_customer_create(reseller=ResellerFactory(), name="F", email="f@example.com")
    type(cart).objects.filter(pk=cart.pk).update(end_customer=foreign)  # a stale/tampered row
    with pytest.raises(CheckoutRefused):
        checkout_with_payment_link(
            cart=cart, recipient="f@example.com", created_by=channel.user, pay_url=pay_url
        )
    assert nothing_was_created()


def test_checkout_needs_an_active_partnership(client, channel):
    filled_cart(channel)
    Partnership.objects.filter(pk=channel.partnership.pk).update(status=PartnershipStatus.SUSPENDED)
    page = client.get(url(channel)).content.decode()
    response = client.post(
        url(channel, "cart_checkout"),
        {"payment_method": "payment_link", "recipient": "j@example.com"},
    )
    assert "you cannot place orders" in page
    assert response.status_code == 200
    assert "not active" in response.content.decode()
    assert nothing_was_created()


def test_checkout_with_a_bad_recipient_or_method_is_a_form_error(client, channel):
    filled_cart(channel)
    response = client.post(
        url(channel, "cart_checkout"), {"payment_method": "cash", "recipient": "nope"}
    )
    assert response.status_code == 200
    assert set(response.context["checkout_form"].errors) == {"payment_method", "recipient"}
    assert nothing_was_created()


def test_a_product_hidden_since_it_was_added_blocks_checkout(channel):
    cart = filled_cart(channel)
    product_set_active(product=channel.products[0], is_active=False)
    summary = cart_priced(cart=cart, partnership=channel.partnership)
    assert summary.has_unavailable
    with pytest.raises(OrderRefused):
        checkout_with_payment_link(
            cart=cart, recipient="j@example.com", created_by=channel.user, pay_url=pay_url
        )
    assert nothing_was_created()
    assert CartLine.objects.filter(cart=cart).count() == 2


# --- access ---------------------------------------------------------------------------------


def test_sent_page_of_another_partnerships_order_is_404(client_for, channel, manufacturer):
    cart = filled_cart(channel)
    result = checkout_with_payment_link(
        cart=cart, recipient="j@example.com", created_by=channel.user, pay_url=pay_url
    )
    other = ResellerFactory()
    PartnershipFactory(manufacturer=manufacturer, reseller=other)
    other_user = ResellerUserFactory(reseller=other).user
    other_url = reverse(
        "orders_reseller:cart_sent",
        kwargs={
            "reseller_public_id": other.public_id,
            "manufacturer_slug": manufacturer.slug,
            "order_id": result.order.pk,
        },
    )
    assert client_for(other_user).get(other_url).status_code == 404
    assert (
        client_for(other_user).get(url(channel, "cart_sent", order_id=result.order.pk)).status_code
        == 404
    )
    assert (
        client_for(channel.user).get(url(channel, "cart_sent", order_id=999999)).status_code == 404
    )


def test_another_reseller_cannot_use_the_cart(client_for, channel):
    other = ResellerFactory()
    PartnershipFactory(manufacturer=channel.manufacturer, reseller=other)
    other_user = ResellerUserFactory(reseller=other).user
    stranger = client_for(other_user)
    assert stranger.get(url(channel)).status_code == 404
    response = stranger.post(
        url(channel, "cart_add"), {"product": channel.products[0].pk, "quantity": 1}
    )
    assert response.status_code == 404
    assert cart_lines(channel) == {}


def test_manufacturer_staff_cannot_reach_the_cart(client_for, owner, channel):
    assert client_for(owner).get(url(channel)).status_code == 404


def test_anonymous_is_sent_to_login(channel):
    response = Client().get(url(channel))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_cart_is_per_user(client_for, channel):
    filled_cart(channel)
    colleague = ResellerUserFactory(reseller=channel.reseller).user
    response = client_for(colleague).get(url(channel))
    assert response.context["summary"].lines == []
