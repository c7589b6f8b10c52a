"""Quantities and amounts of orders are bounded (core.bounds) in forms, services and the database.

One order of 100,000,000 units once made a €36.96 bn order and a "+53,750,259%" dashboard;
10¹² made the tenant's pages fail. Every way in is refused with a clear message, and the
database holds the same bounds even for a write that bypasses both.
"""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.bounds import MAX_AMOUNT, MAX_PRICE, MAX_QUANTITY
from orders.models import CartLine, Order, OrderLine
from orders.services.carts import CheckoutRefused, cart_add_line, cart_get_or_create, cart_update
from orders.services.orders import LineRequest, OrderRefused, order_create
from tests.catalog.factories import ProductFactory
from tests.orders.factories import make_order
from tests.orders.test_manufacturer_pages import manual_post
from tests.resellers.sales_helpers import put_in_portfolio

HUNDRED_MILLION = 100_000_000
MESSAGE = "Quantities must be between 1 and 9,999."


def reseller_url(partnership, suffix=""):
    return f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/orders/{suffix}"


# --- the two order forms ------------------------------------------------------------------


@pytest.fixture
def rep(seller, partnership):
    put_in_portfolio(seller, partnership)
    return seller


@pytest.mark.parametrize("who", ["owner", "rep"])
@pytest.mark.parametrize("quantity", [HUNDRED_MILLION, 10**12, 10**30])
def test_manual_order_refuses_an_absurd_quantity(
    client_for, request, manufacturer, partnership, products, customer, who, quantity
):
    client = client_for(request.getfixturevalue(who))

    response = client.post(
        f"/m/{manufacturer.slug}/orders/new/",
        manual_post(partnership, [("SPK-1", quantity)], end_customer=customer.pk),
    )

    assert response.status_code == 400
    assert MESSAGE in response.text
    assert not Order.objects.exists()


def test_manual_order_accepts_the_largest_quantity(
    client_for, owner, manufacturer, partnership, products, customer
):
    response = client_for(owner).post(
        f"/m/{manufacturer.slug}/orders/new/",
        manual_post(partnership, [("SPK-1", MAX_QUANTITY)], end_customer=customer.pk),
    )

    assert response.status_code == 302
    assert Order.objects.get().lines.get().quantity == MAX_QUANTITY


@pytest.mark.parametrize("quantity", [HUNDRED_MILLION, 10**12, 10**30])
def test_reseller_order_form_refuses_an_absurd_quantity(
    client_for, reseller_user, partnership, products, quantity
):
    response = client_for(reseller_user).post(
        reseller_url(partnership, "new/"),
        {"own_use": "on", f"qty_{products[0].pk}": str(quantity)},
    )

    assert response.status_code == 400
    assert MESSAGE in response.text
    assert not Order.objects.exists()


def test_reseller_order_form_shows_the_maximum_to_the_browser(
    client_for, reseller_user, partnership, products
):
    response = client_for(reseller_user).get(reseller_url(partnership, "new/"))

    assert f'max="{MAX_QUANTITY}"' in response.text


# --- the services -------------------------------------------------------------------------


def test_order_create_refuses_a_quantity_over_the_maximum(partnership, products):
    with pytest.raises(OrderRefused, match="between 1 and 9,999"):
        make_order(partnership, products[:1], quantities=[HUNDRED_MILLION])
    assert not Order.objects.exists()


def test_order_create_refuses_one_product_on_lines_that_add_up_over_the_maximum(
    partnership, products
):
    lines = [LineRequest(product_id=products[0].pk, quantity=MAX_QUANTITY)] * 2

    with pytest.raises(OrderRefused, match="between 1 and 9,999"):
        order_create(partnership=partnership, lines=lines, created_by=None, own_use=True)
    assert not Order.objects.exists()


def test_order_create_refuses_a_total_over_the_largest_order(manufacturer, partnership):
    dear = [ProductFactory(manufacturer=manufacturer, price=MAX_PRICE) for _ in range(2)]

    with pytest.raises(OrderRefused, match="the most one order can be"):
        make_order(partnership, dear, quantities=[MAX_QUANTITY, MAX_QUANTITY])
    assert not Order.objects.exists()

    # One such line is the largest order there is, and it fits.
    order = make_order(partnership, dear[:1], quantities=[MAX_QUANTITY])
    assert order.total == MAX_PRICE * MAX_QUANTITY <= MAX_AMOUNT


def test_cart_refuses_a_quantity_over_the_maximum(partnership, products, reseller_user):
    cart = cart_get_or_create(partnership=partnership, user=reseller_user)
    cart_add_line(cart=cart, product_id=products[0].pk, quantity=2)

    with pytest.raises(CheckoutRefused, match="between 1 and 9,999"):
        cart_update(cart=cart, quantities={products[0].pk: HUNDRED_MILLION})
    assert CartLine.objects.get().quantity == 2


# --- the database -------------------------------------------------------------------------


def out_of_bounds(update) -> bool:
    """True when the database refuses the update (a check constraint)."""
    try:
        with transaction.atomic():
            update()
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_quantities_and_amounts_out_of_bounds(
    partnership, products, reseller_user
):
    order = make_order(partnership, products[:1])
    line = order.lines.get()
    cart = cart_get_or_create(partnership=partnership, user=reseller_user)
    cart_add_line(cart=cart, product_id=products[0].pk, quantity=1)
    too_much = MAX_AMOUNT + Decimal("0.01")

    lines = OrderLine.objects.filter(pk=line.pk)
    orders = Order.objects.filter(pk=order.pk)
    assert out_of_bounds(lambda: lines.update(quantity=HUNDRED_MILLION))
    assert out_of_bounds(lambda: lines.update(unit_price=MAX_PRICE + 1))
    assert out_of_bounds(lambda: lines.update(line_total=too_much))
    assert out_of_bounds(lambda: orders.update(total=too_much))
    assert out_of_bounds(lambda: orders.update(total=Decimal("-0.01")))
    assert out_of_bounds(lambda: orders.update(subtotal=too_much))
    assert out_of_bounds(lambda: CartLine.objects.update(quantity=MAX_QUANTITY + 1))
    assert not out_of_bounds(lambda: lines.update(quantity=MAX_QUANTITY))
