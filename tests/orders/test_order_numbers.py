"""Order numbers come from a per-tenant counter: never reused, never colliding.

A count of the tenant's orders gave the next number until an order was deleted (the admin
allows it): from then on the count pointed at a number still in use, and every later order
of that tenant failed on the unique constraint.
"""

import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection
from django_scopes import scope

from orders.models import Order, OrderNumberCounter
from tests.catalog.factories import ProductFactory
from tests.orders.factories import make_order
from tests.resellers.factories import PartnershipFactory


def numbers(manufacturer) -> list[str]:
    return sorted(Order.objects.filter(manufacturer=manufacturer).values_list("number", flat=True))


def test_numbers_follow_each_other_in_the_existing_format(partnership, products):
    first = make_order(partnership, products[:1])
    second = make_order(partnership, products[:1])

    assert (first.number, second.number) == ("ACM-000001", "ACM-000002")


def test_after_a_deletion_the_next_order_gets_a_fresh_higher_number(partnership, products):
    orders = [make_order(partnership, products[:1]) for _ in range(3)]
    orders[1].delete()  # what an operator can do in the admin

    after_middle = make_order(partnership, products[:1])
    assert after_middle.number == "ACM-000004"

    after_middle.delete()  # the latest: its number is not given out again either
    after_latest = make_order(partnership, products[:1])

    assert after_latest.number == "ACM-000005"
    assert numbers(partnership.manufacturer) == ["ACM-000001", "ACM-000003", "ACM-000005"]


def test_two_tenants_have_independent_sequences(
    partnership, products, other_manufacturer, reseller
):
    other_partnership = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    other_product = ProductFactory(manufacturer=other_manufacturer)

    make_order(partnership, products[:1])
    make_order(partnership, products[:1]).delete()
    theirs = make_order(other_partnership, [other_product])
    ours = make_order(partnership, products[:1])

    assert theirs.number == "BOR-000001"
    assert ours.number == "ACM-000003"
    assert OrderNumberCounter.objects.get(manufacturer=other_manufacturer).last_number == 1


def test_the_migration_seeds_each_counter_from_the_highest_existing_number(
    partnership, products, other_manufacturer
):
    orders = [make_order(partnership, products[:1]) for _ in range(3)]
    orders[0].delete()  # two orders left, the highest number 3
    OrderNumberCounter.objects.all().delete()  # as before the migration
    migration = importlib.import_module("orders.migrations.0004_order_number_counter")

    migration.seed_counters(apps, None)

    assert OrderNumberCounter.objects.get(manufacturer=partnership.manufacturer).last_number == 3
    assert OrderNumberCounter.objects.get(manufacturer=other_manufacturer).last_number == 0
    assert make_order(partnership, products[:1]).number == "ACM-000004"


# --- orders placed at the same moment, with deletions in between (real PostgreSQL) ---------

PLACERS = 4


def run_at_once(manufacturer, jobs) -> list[BaseException]:
    """Run each job in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            with scope(manufacturer=manufacturer):  # as a tenant view would
                job()
        except BaseException as error:  # the test reports every failure, whatever it is
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


@pytest.mark.django_db(transaction=True)
def test_orders_placed_at_once_with_deletions_in_between_all_succeed(partnership, products):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    manufacturer = partnership.manufacturer
    # No counter yet: the first round also races to create the tenant's counter.
    assert not OrderNumberCounter.objects.filter(manufacturer=manufacturer).exists()

    def place():
        make_order(partnership, products[:1])

    errors = run_at_once(manufacturer, [place] * PLACERS)
    assert errors == []
    first_round = numbers(manufacturer)
    Order.objects.get(number=first_round[0]).delete()

    def delete_one():
        Order.objects.get(number=first_round[1]).delete()

    errors = run_at_once(manufacturer, [place] * PLACERS + [delete_one])

    assert errors == []
    expected = [f"ACM-{n:06d}" for n in range(1, 2 * PLACERS + 1)]
    assert numbers(manufacturer) == expected[2:]  # distinct, and the two deleted never reused
    assert OrderNumberCounter.objects.get(manufacturer=manufacturer).last_number == 2 * PLACERS
