"""Order services run inside the scope their real caller sets, or fail closed without one.

Fixtures are built with scopes disabled; each test body runs with scoping on
(`@pytest.mark.scoped`) and calls the service in the scope of its view: reseller pages use
`reseller_partner_view`, the manufacturer portal `manufacturer_view`, the public pay page
none (payment_link_pay sets its own). The same reseller also partners with the other
tenant, whose order and payment link must stay untouched.
"""

from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import ScopeError, scopes_disabled

from notifications.models import OutboxEmail
from notifications.sealing import unseal
from orders import workflow
from orders.models import (
    CartLine,
    Order,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentLink,
)
from orders.selectors.carts import cart_priced
from orders.services.carts import cart_add_line, cart_get_or_create, cart_set_end_customer
from orders.services.orders import LineRequest, OrderRefused, order_create, order_transition
from orders.services.payment_links import checkout_with_payment_link, payment_link_resend
from orders.services.payments import payment_link_pay
from tests.orders.factories import CartFactory, CartLineFactory, PaymentLinkFactory, make_order
from tests.resellers.factories import PartnershipFactory
from tests.scoping import (
    manufacturer_view_scope,
    reseller_partner_view_scope,
    worker_scope,
)

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]

ACCEPTED_CARD = {"card_number": "4242 4242 4242 4242", "cardholder": "Julia Weber"}


def pay_url(token: str) -> str:
    return f"https://portal.example/pay/{token}/"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def foreign_partnership(other_manufacturer, reseller):
    """The same reseller, partnered with the other tenant."""
    return PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)


@pytest.fixture
def foreign_order(foreign_partnership, foreign_product, reseller):
    """The other tenant's order awaiting payment, with a valid payment link."""
    order = make_order(foreign_partnership, [foreign_product], status=OrderStatus.AWAITING_PAYMENT)
    PaymentLinkFactory(order=order)
    return order


@pytest.fixture
def order(partnership, products, foreign_order):
    return make_order(partnership, [products[0]])


def assert_foreign_untouched(foreign_order: Order) -> None:
    with scopes_disabled():
        foreign_order.refresh_from_db()
        assert foreign_order.status == OrderStatus.AWAITING_PAYMENT
        assert Order.objects.filter(manufacturer=foreign_order.manufacturer).count() == 1
        assert (
            OrderNumberCounter.objects.get(manufacturer=foreign_order.manufacturer).last_number == 1
        )
        link = PaymentLink.objects.get(order=foreign_order)
        assert link.used_at is None
        assert link.expires_at > timezone.now()
        assert not Payment.objects.filter(order=foreign_order).exists()


# --- order_create ---------------------------------------------------------------------------


def test_order_create_in_the_reseller_partner_view_scope(
    partnership, products, reseller_user, foreign_order, foreign_product
):
    with reseller_partner_view_scope(partnership):
        order = order_create(
            partnership=partnership,
            lines=[LineRequest(product_id=products[0].pk, quantity=2)],
            created_by=reseller_user,
            own_use=True,
        )
        # The other tenant's product does not exist in this scope, let alone at its price.
        with pytest.raises(OrderRefused):
            order_create(
                partnership=partnership,
                lines=[LineRequest(product_id=foreign_product.pk, quantity=1)],
                created_by=reseller_user,
                own_use=True,
            )

    with scopes_disabled():
        assert order.manufacturer == partnership.manufacturer
        assert order.number == "ACM-000001"
        assert order.total == Decimal("200.00")
        assert [(line.sku, line.quantity) for line in order.lines.all()] == [("SPK-1", 2)]
        assert OrderStatusChange.objects.filter(order=order, to_status=OrderStatus.PLACED).exists()
    assert_foreign_untouched(foreign_order)


def test_manual_order_for_an_end_customer_in_the_manufacturer_view_scope(
    manufacturer, partnership, products, customer, seller, foreign_order
):
    """A rep's manual order names an end customer, a row scoped by reseller, not tenant."""
    with manufacturer_view_scope(manufacturer):
        order = order_create(
            partnership=partnership,
            lines=[LineRequest(product_id=products[1].pk, quantity=1)],
            created_by=seller,
            end_customer=customer,
            is_manual=True,
        )

    with scopes_disabled():
        order.refresh_from_db()
        assert (order.end_customer, order.is_manual, order.total) == (
            customer,
            True,
            Decimal("19.99"),
        )
    assert_foreign_untouched(foreign_order)


def test_order_create_with_no_tenant_in_scope_raises(
    manufacturer, partnership, products, reseller_user, foreign_order
):
    with worker_scope(), pytest.raises(ScopeError):
        order_create(
            partnership=partnership,
            lines=[LineRequest(product_id=products[0].pk, quantity=1)],
            created_by=reseller_user,
            own_use=True,
        )

    with scopes_disabled():
        assert not Order.objects.filter(manufacturer=manufacturer).exists()
    assert_foreign_untouched(foreign_order)


# --- a status transition --------------------------------------------------------------------


def test_status_transitions_in_the_scopes_of_both_portals(
    manufacturer, partnership, products, order, manager, reseller_user, foreign_order
):
    with manufacturer_view_scope(manufacturer):
        order_transition(
            order=order,
            to_status=OrderStatus.ACCEPTED,
            side=workflow.MANUFACTURER,
            changed_by=manager,
        )
    with scopes_disabled():
        second = make_order(partnership, [products[1]])
    with reseller_partner_view_scope(partnership):
        order_transition(
            order=second,
            to_status=OrderStatus.CANCELLED,
            side=workflow.RESELLER,
            changed_by=reseller_user,
            reason="Ordered twice.",
        )

    with scopes_disabled():
        order.refresh_from_db()
        second.refresh_from_db()
        assert order.status == OrderStatus.ACCEPTED
        assert second.status == OrderStatus.CANCELLED
        assert list(
            OrderStatusChange.objects.filter(order=order)
            .order_by("created_at", "pk")
            .values_list("from_status", "to_status")
        ) == [("", OrderStatus.PLACED), (OrderStatus.PLACED, OrderStatus.ACCEPTED)]
    assert_foreign_untouched(foreign_order)


def test_a_transition_in_one_tenants_scope_cannot_reach_another_tenants_order(
    manufacturer, manager, foreign_order
):
    with manufacturer_view_scope(manufacturer), pytest.raises(Order.DoesNotExist):
        order_transition(
            order=foreign_order,
            to_status=OrderStatus.CANCELLED,
            side=workflow.MANUFACTURER,
            changed_by=manager,
            reason="Not ours.",
        )
    assert_foreign_untouched(foreign_order)


def test_status_transition_with_no_tenant_in_scope_raises(order, manager, foreign_order):
    with worker_scope(), pytest.raises(ScopeError):
        order_transition(
            order=order,
            to_status=OrderStatus.ACCEPTED,
            side=workflow.MANUFACTURER,
            changed_by=manager,
        )

    with scopes_disabled():
        order.refresh_from_db()
        assert order.status == OrderStatus.PLACED
    assert_foreign_untouched(foreign_order)


# --- cart, checkout and the payment link ----------------------------------------------------


def test_cart_checkout_and_payment_in_the_scopes_of_their_pages(
    manufacturer, partnership, products, customer, reseller_user, foreign_order
):
    with reseller_partner_view_scope(partnership):
        cart = cart_get_or_create(partnership=partnership, user=reseller_user)
        cart_set_end_customer(cart=cart, end_customer=customer)
        cart_add_line(cart=cart, product_id=products[0].pk, quantity=2)
        cart_add_line(cart=cart, product_id=products[1].pk, quantity=1)
        assert cart_priced(cart=cart, partnership=partnership).total == Decimal("219.99")
        result = checkout_with_payment_link(
            cart=cart, recipient="julia@example.test", created_by=reseller_user, pay_url=pay_url
        )

    # The public pay page has no tenant in scope: the token says which one, and
    # payment_link_pay sets that scope itself.
    with worker_scope():
        payment = payment_link_pay(token=token_of(result.url), form_data=ACCEPTED_CARD)

    with scopes_disabled():
        order = Order.objects.get(pk=result.order.pk)
        assert order.manufacturer == manufacturer
        assert order.status == OrderStatus.PLACED
        assert payment.order == order
        assert payment.amount == order.retail_total == Decimal("327.90")  # 2 × 149 + 29.90
        assert PaymentLink.objects.get(pk=result.link.pk).used_at is not None
        assert not CartLine.objects.filter(cart=cart).exists()
        email = OutboxEmail.objects.get(kind="payment_link")
        assert (email.manufacturer, email.recipient) == (manufacturer, "julia@example.test")
        assert result.url in unseal(email.body, email.sealed)  # sealed until sent
    assert_foreign_untouched(foreign_order)


def test_payment_link_resend_in_the_reseller_partner_view_scope(
    partnership, products, customer, foreign_order
):
    with scopes_disabled():
        order = make_order(
            partnership, [products[0]], end_customer=customer, status=OrderStatus.AWAITING_PAYMENT
        )
        old = PaymentLinkFactory(order=order)

    with reseller_partner_view_scope(partnership):
        result = payment_link_resend(order=order, recipient="julia@example.test", pay_url=pay_url)

    with scopes_disabled():
        old.refresh_from_db()
        assert old.expires_at <= result.link.created_at
        assert result.link.order == order
        assert result.link.expires_at > result.link.created_at
    assert_foreign_untouched(foreign_order)


def test_cart_and_checkout_with_no_tenant_in_scope_raise(
    manufacturer, partnership, products, customer, reseller_user, foreign_order
):
    with scopes_disabled():
        cart = CartFactory(partnership=partnership, created_by=reseller_user, end_customer=customer)
        CartLineFactory(cart=cart, product=products[0])

    with worker_scope():
        with pytest.raises(ScopeError):
            cart_add_line(cart=cart, product_id=products[1].pk, quantity=1)
        with pytest.raises(ScopeError):
            checkout_with_payment_link(
                cart=cart, recipient="julia@example.test", created_by=reseller_user, pay_url=pay_url
            )

    with scopes_disabled():
        assert CartLine.objects.filter(cart=cart).count() == 1
        assert not Order.objects.filter(manufacturer=manufacturer).exists()
        assert not OutboxEmail.objects.exists()
    assert_foreign_untouched(foreign_order)
