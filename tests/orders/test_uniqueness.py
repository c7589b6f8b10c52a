"""Where the business says "one", the database holds it: one cart per reseller user and
partnership, one payment per provider reference, one line per product in an order and one
per order line in a return."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django_scopes import scope

from orders.models import Cart, Payment
from orders.services.carts import cart_get_or_create
from tests.accounts.factories import ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.orders.factories import OrderLineFactory, OrderReturnLineFactory, PaymentFactory


def test_a_second_cart_for_the_same_user_and_partnership_is_refused(partnership, reseller_user):
    cart_get_or_create(partnership=partnership, user=reseller_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.create(
            manufacturer=partnership.manufacturer, partnership=partnership, created_by=reseller_user
        )


def test_two_users_of_one_reseller_each_have_their_cart(
    partnership, reseller_user, other_partnership
):
    colleague = ResellerUserFactory(reseller=partnership.reseller).user

    mine = cart_get_or_create(partnership=partnership, user=reseller_user)
    theirs = cart_get_or_create(partnership=partnership, user=colleague)
    elsewhere = cart_get_or_create(partnership=other_partnership, user=reseller_user)

    assert len({mine.pk, theirs.pk, elsewhere.pk}) == 3
    assert cart_get_or_create(partnership=partnership, user=reseller_user).pk == mine.pk


@pytest.mark.django_db
def test_a_provider_reference_is_recorded_once():
    first = PaymentFactory(provider="stripe", provider_reference="pi_1")

    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(provider="stripe", provider_reference="pi_1")
    # Another provider may use the same reference.
    assert PaymentFactory(provider="adyen", provider_reference="pi_1").pk != first.pk
    assert Payment.objects.filter(provider_reference="pi_1").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_tabs_opening_the_cart_at_once_share_one_cart(partnership, reseller_user):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    barrier = threading.Barrier(2)
    carts: list[int] = []
    errors: list[BaseException] = []

    def open_cart():
        try:
            barrier.wait(timeout=10)
            with scope(manufacturer=partnership.manufacturer):
                carts.append(cart_get_or_create(partnership=partnership, user=reseller_user).pk)
        except BaseException as error:  # the test reports every failure, whatever it is
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_cart) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(carts) == 2
    assert len(set(carts)) == 1
    assert Cart.objects.filter(partnership=partnership, created_by=reseller_user).count() == 1


def copy_of(row, **changes):
    """A new, unsaved row with `row`'s column values and `changes`."""
    values = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key
    }
    return type(row)(**{**values, **changes})


@pytest.mark.django_db
def test_an_order_has_one_line_per_product():
    line = OrderLineFactory()
    other_product = ProductFactory(manufacturer=line.manufacturer)

    copy_of(line, product_id=other_product.pk).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_of(line).save()


@pytest.mark.django_db
def test_a_return_has_one_line_per_order_line():
    line = OrderReturnLineFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        copy_of(line).save()
    assert type(line).objects.filter(order_return=line.order_return).count() == 1
