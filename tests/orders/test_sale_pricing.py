"""Prices follow the kind of sale: the end customer paying through a payment link pays the
manufacturer's retail price for their market, the reseller sees its commission; wholesale
and own-use orders are at the reseller's own price list. Two price lists, two markets, two
resellers."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Manufacturer
from catalog.services import price_list_create, price_list_item_set, retail_price_set
from channel.services import partnership_update_conditions
from notifications.models import OutboxEmail
from orders.forms_checkout import PAYMENT_LINK
from orders.models import Order, OrderLine, SaleKind
from orders.pricing import amount_due, commission_estimate
from orders.services.carts import cart_add_line, cart_get_or_create, cart_set_end_customer
from orders.services.payment_links import checkout_with_payment_link
from orders.services.payments import payment_link_pay
from tests.accounts.factories import ResellerUserFactory
from tests.orders.factories import make_end_customer, make_order
from tests.resellers.factories import PartnershipFactory

GOOD_CARD = {"card_number": "4242 4242 4242 4242", "cardholder": "Julia Weber"}
TOKEN_RE = re.compile(r"/pay/([A-Za-z0-9_\-]+)/")


def pay_url(token: str) -> str:
    return f"http://testserver/pay/{token}/"


def on_price_list(partnership, name: str, product, price: str):
    price_list = price_list_create(manufacturer=partnership.manufacturer, name=name)
    price_list_item_set(price_list=price_list, product=product, price=Decimal(price))
    return partnership_update_conditions(
        partnership=partnership,
        price_list=price_list,
        discount_percent=Decimal("0"),
        payment_method=partnership.payment_method,
        shipping_method=partnership.shipping_method,
    )


@pytest.fixture
def gold(partnership, products):
    """Soundhouse buys SPK-1 at 80.00 (Gold); list price 100.00, German retail 149.00."""
    return on_price_list(partnership, "Gold", products[0], "80.00")


@pytest.fixture
def silver(other_partnership, products):
    """Brightline buys SPK-1 at 90.00 (Silver); its customer is in Austria (retail 155.00)."""
    return on_price_list(other_partnership, "Silver", products[0], "90.00")


def checkout(partnership, user, customer, product, quantity=2):
    cart = cart_get_or_create(partnership=partnership, user=user)
    cart_set_end_customer(cart=cart, end_customer=customer)
    cart_add_line(cart=cart, product_id=product.pk, quantity=quantity)
    result = checkout_with_payment_link(
        cart=cart, recipient=customer.email, created_by=user, pay_url=pay_url
    )
    return result.order, TOKEN_RE.search(result.url).group(1)


@pytest.fixture
def sale(gold, reseller_user, customer, products):
    """2 × SPK-1 for Julia Weber (Germany) through a payment link: (order, token)."""
    return checkout(gold, reseller_user, customer, products[0])


def reseller_url(order, suffix=""):
    return f"/r/{order.reseller.public_id}/m/{order.manufacturer.slug}/orders/{order.pk}/{suffix}"


# --- what is charged and stored --------------------------------------------------------------


def test_the_payment_link_charges_the_retail_price_of_each_customers_market(
    sale, silver, other_reseller_user, other_customer, products
):
    order, token = sale
    other_order, other_token = checkout(silver, other_reseller_user, other_customer, products[0])

    payment = payment_link_pay(token=token, form_data=GOOD_CARD)
    other_payment = payment_link_pay(token=other_token, form_data=GOOD_CARD)

    assert payment.amount == Decimal("298.00") == order.retail_total  # 2 × 149.00 (Germany)
    assert order.total == Decimal("160.00")  # 2 × 80.00 (Gold)
    assert other_payment.amount == Decimal("310.00")  # 2 × 155.00 (Austria)
    assert other_order.total == Decimal("180.00")  # 2 × 90.00 (Silver)
    assert order.sale_kind == other_order.sale_kind == SaleKind.CUSTOMER_PAYS


def test_wholesale_and_own_use_orders_are_at_the_resellers_own_price_list(
    gold, silver, customer, other_customer, products
):
    wholesale = make_order(gold, [products[0]], quantities=[2], end_customer=customer)
    own_use = make_order(gold, [products[0]], quantities=[2])
    other_wholesale = make_order(silver, [products[0]], quantities=[2], end_customer=other_customer)

    assert (wholesale.sale_kind, wholesale.total, wholesale.retail_total) == (
        SaleKind.WHOLESALE,
        Decimal("160.00"),
        None,
    )
    assert (own_use.sale_kind, own_use.total) == (SaleKind.OWN_USE, Decimal("160.00"))
    assert other_wholesale.total == Decimal("180.00")
    assert amount_due(wholesale) == Decimal("160.00")
    assert wholesale.lines.get().retail_unit_price is None


def test_an_order_keeps_both_prices_when_price_lists_and_retail_prices_change(sale, gold, products):
    order, _token = sale
    price_list_item_set(price_list=gold.price_list, product=products[0], price=Decimal("50.00"))
    retail_price_set(product=products[0], market="germany", price=Decimal("999.00"))

    line = OrderLine.objects.get(order=order)
    order.refresh_from_db()
    assert (line.unit_price, line.line_total) == (Decimal("80.00"), Decimal("160.00"))
    assert (line.retail_unit_price, line.retail_line_total) == (
        Decimal("149.00"),
        Decimal("298.00"),
    )
    assert (order.total, order.retail_total) == (Decimal("160.00"), Decimal("298.00"))


def test_the_commission_is_estimated_at_the_default_rate_and_rounded_once():
    manufacturer = Manufacturer(default_commission_rate=Decimal("12.50"))
    assert commission_estimate(manufacturer=manufacturer, amount=Decimal("298.00")) == Decimal(
        "37.25"
    )
    assert commission_estimate(manufacturer=manufacturer, amount=Decimal("0.05")) == Decimal("0.01")


@pytest.mark.parametrize("country", ["France", ""])
def test_checkout_without_a_retail_price_for_the_market_is_refused_with_a_message(
    client_for, gold, reseller, reseller_user, products, country
):
    customer = make_end_customer(reseller, name="Jean Dupont", country=country)
    cart = cart_get_or_create(partnership=gold, user=reseller_user)
    cart_set_end_customer(cart=cart, end_customer=customer)
    cart_add_line(cart=cart, product_id=products[0].pk, quantity=1)

    response = client_for(reseller_user).post(
        f"/r/{reseller.public_id}/m/{gold.manufacturer.slug}/cart/checkout/",
        {"payment_method": PAYMENT_LINK, "recipient": "jean@example.test"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert ("no retail price in France for SPK-1" if country else "country is not set") in page
    assert not Order.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert cart.lines.count() == 1


# --- who sees which price --------------------------------------------------------------------


def test_the_customer_sees_only_the_retail_price_on_the_pay_page_and_in_the_email(sale):
    _order, token = sale
    page = Client().get(reverse("orders_public:pay", kwargs={"token": token})).content.decode()
    email = OutboxEmail.objects.get(kind="payment_link")

    assert "€149.00" in page and "€298.00" in page
    for secret in ("€80.00", "€160.00", "29.80", "commission"):
        assert secret not in page
        assert secret not in email.body
    assert "€298.00" in email.body


def test_the_reseller_sees_what_its_customer_pays_and_its_commission(
    client_for, sale, reseller_user
):
    order, _token = sale
    page = client_for(reseller_user).get(reseller_url(order)).content.decode()

    assert "€298.00" in page  # the customer pays
    assert "€29.80" in page  # 10 % default commission
    assert "Your commission" in page


def test_the_reseller_sees_its_own_price_on_a_wholesale_order(
    client_for, gold, customer, reseller_user, products
):
    order = make_order(gold, [products[0]], quantities=[2], end_customer=customer)
    page = client_for(reseller_user).get(reseller_url(order)).content.decode()

    assert "€160.00" in page
    assert "€298.00" not in page and "commission (estimate" not in page


def test_the_manufacturer_sees_both_prices_and_the_commission(client_for, manager, sale):
    order, _token = sale
    page = (
        client_for(manager).get(f"/m/{order.manufacturer.slug}/orders/{order.pk}/").content.decode()
    )

    assert "€298.00" in page and "€160.00" in page and "€29.80" in page


def test_another_reseller_another_tenant_and_anonymous_do_not_reach_the_order(
    client, client_for, sale, other_partnership, other_reseller_user, other_manufacturer
):
    order, _token = sale
    foreign = PartnershipFactory(manufacturer=other_manufacturer)
    stranger = ResellerUserFactory(reseller=foreign.reseller).user
    own_path = f"/r/{other_partnership.reseller.public_id}/m/{order.manufacturer.slug}"

    assert client_for(other_reseller_user).get(f"{own_path}/orders/{order.pk}/").status_code == 404
    assert client_for(stranger).get(reseller_url(order)).status_code == 404
    assert client.get(reseller_url(order)).status_code == 302


# --- the database holds the rules ------------------------------------------------------------


def test_a_customer_paid_order_without_its_customer_total_is_refused_by_the_database(sale):
    order, _token = sale
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(retail_total=None)


def test_own_use_and_the_kind_of_sale_agree_in_the_database(gold, products):
    order = make_order(gold, [products[0]])
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(sale_kind=SaleKind.WHOLESALE)


def test_a_customer_price_beyond_the_bound_is_refused_by_the_database(sale):
    order, _token = sale
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.filter(order=order).update(retail_unit_price=Decimal("-1.00"))


def test_the_cart_shows_what_the_customer_will_pay_and_the_commission(
    client_for, gold, reseller, reseller_user, customer, products
):
    cart = cart_get_or_create(partnership=gold, user=reseller_user)
    cart_set_end_customer(cart=cart, end_customer=customer)
    cart_add_line(cart=cart, product_id=products[0].pk, quantity=2)
    cart_url = f"/r/{reseller.public_id}/m/{gold.manufacturer.slug}/cart/"

    page = client_for(reseller_user).get(cart_url).content.decode()
    assert 'id="cart-customer-total">€298.00' in page
    assert 'id="cart-commission">€29.80' in page

    french = make_end_customer(reseller, name="Jean Dupont", country="France")
    cart_set_end_customer(cart=cart, end_customer=french)
    page = client_for(reseller_user).get(cart_url).content.decode()
    assert 'id="cart-missing-retail"' in page and "SPK-1" in page
    assert 'id="cart-customer-total"' not in page
