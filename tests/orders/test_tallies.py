"""The order tallies (orders.summaries) always equal what the orders say.

The dashboards read their counts, chart and top resellers from the tallies; every test here
compares them with the same figures computed from the orders themselves (the way the
dashboards computed them before the tallies), for a manager and two sales reps, after every
kind of change: a new order, each status change, a return, a reassignment, an operator
deleting or editing an order or a return, and two writers at once.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django_scopes import scope

from accounts.models import ManufacturerMembership, Role
from orders.admin import OrderAdmin, OrderReturnAdmin
from orders.models import Order, OrderReturn, OrderTally
from orders.services.orders import LineRequest, order_create, order_transition
from orders.summaries import kept_tallies, live_tallies, tally_rebuild
from orders.visibility import order_visibility_q
from orders.workflow import MANUFACTURER, OPEN_STATUSES, SALES_STATUSES
from resellers.selectors.dashboard import (
    channel_figures,
    chart_period,
    monthly_sales,
    orders_awaiting_acceptance_count,
    top_resellers,
)
from resellers.statistics import Period
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerFactory
from tests.concurrency import run_at_once
from tests.resellers.factories import PartnershipFactory
from tests.resellers.sales_helpers import S, give_back, make_catalog, sale

ZERO = Decimal("0.00")


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def members(manufacturer):
    return list(
        ManufacturerMembership.objects.filter(manufacturer=manufacturer)
        .select_related("user", "manufacturer")
        .order_by("pk")
    )


# --- the figures computed from the orders -------------------------------------------------


def live_figures(manufacturer, membership) -> dict:
    """The dashboard's figures straight from the orders (what the tallies must give)."""
    orders = Order.objects.filter(manufacturer=manufacturer).filter(order_visibility_q(membership))
    returns = OrderReturn.objects.filter(manufacturer=manufacturer).filter(
        order_visibility_q(membership, prefix="order__")
    )
    period = Period.last_days(30)
    previous = period.previous()
    chart = chart_period()
    top = Period.last_days(90)

    def total(queryset, field="total"):
        return queryset.aggregate(v=Sum(field))["v"] or ZERO

    sales = orders.filter(status__in=SALES_STATUSES)
    months = []
    for month in monthly_sales(manufacturer=manufacturer, membership=membership):
        start = month["start"]
        end = (start + timedelta(days=32)).replace(day=1)
        in_month = Q(created_at__date__gte=start, created_at__date__lt=end)
        back = Q(returned_at__date__gte=start, returned_at__date__lt=end)
        gross = total(sales.filter(in_month))
        returned = total(returns.filter(back), "amount")
        months.append((start, gross - returned, sales.filter(in_month).count()))
    by_partnership = (
        Order.objects.filter(
            manufacturer=manufacturer,
            status__in=SALES_STATUSES,
            created_at__gte=top.start_at,
            partnership__in=_visible_partnerships(manufacturer, membership),
        )
        .values("partnership_id")
        .annotate(value=Sum("total"), n=Count("pk"))
    )
    returned_by_partnership = dict(
        OrderReturn.objects.filter(manufacturer=manufacturer, returned_at__gte=top.start_at)
        .values("order__partnership_id")
        .annotate(value=Sum("amount"))
        .values_list("order__partnership_id", "value")
    )
    names = dict(
        _visible_partnerships(manufacturer, membership).values_list("pk", "reseller__name")
    )
    ranking = [
        (sales, n)
        for sales, _name, n in sorted(
            (
                row["value"] - returned_by_partnership.get(row["partnership_id"], ZERO),
                names[row["partnership_id"]],
                row["n"],
            )
            for row in by_partnership
        )
    ]
    ranking.sort(key=lambda r: -r[0])  # stable: ties stay in name order
    return {
        "sales": (
            total(sales.filter(period.q("created_at")))
            - total(returns.filter(period.q("returned_at")), "amount"),
            total(sales.filter(previous.q("created_at")))
            - total(returns.filter(previous.q("returned_at")), "amount"),
        ),
        "orders": (
            sales.filter(period.q("created_at")).count(),
            sales.filter(previous.q("created_at")).count(),
        ),
        "open": orders.filter(status__in=OPEN_STATUSES).count(),
        "awaiting": orders.filter(status=S.PLACED).count(),
        "months": months,
        "chart_start": chart.start,
        "top": [(sales, n) for sales, n in ranking if sales > 0][:5],
    }


def _visible_partnerships(manufacturer, membership):
    from channel.selectors import partnerships_visible_to

    return partnerships_visible_to(manufacturer=manufacturer, membership=membership)


def tallied_figures(manufacturer, membership) -> dict:
    figures = channel_figures(manufacturer=manufacturer, membership=membership)
    return {
        "sales": (figures["sales"].current, figures["sales"].previous),
        "orders": (figures["orders"].current, figures["orders"].previous),
        "open": figures["open_orders"],
        "awaiting": orders_awaiting_acceptance_count(
            manufacturer=manufacturer, membership=membership
        ),
        "months": [
            (m["start"], m["sales"], m["orders"])
            for m in monthly_sales(manufacturer=manufacturer, membership=membership)
        ],
        "chart_start": chart_period().start,
        "top": [
            (row.sales, row.order_count)
            for row in top_resellers(manufacturer=manufacturer, membership=membership)
        ],
    }


def assert_tallies_true(manufacturer) -> None:
    assert kept_tallies(manufacturer_id=manufacturer.pk) == live_tallies(
        manufacturer_id=manufacturer.pk
    )
    for membership in members(manufacturer):
        assert tallied_figures(manufacturer, membership) == live_figures(
            manufacturer, membership
        ), f"{membership.role} {membership.user}"


# --- a channel with two reps --------------------------------------------------------------


@pytest.fixture
def world(manufacturer, other_manufacturer, manager, seller, make_member):
    other_seller = make_member(manufacturer, Role.SELLER)
    products = make_catalog(manufacturer)
    alpha = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Alpha"))
    beta = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Beta"))
    portfolio_assign(manufacturer=manufacturer, partnership=alpha, rep=seller, by=manager)
    portfolio_assign(manufacturer=manufacturer, partnership=beta, rep=other_seller, by=manager)
    foreign = PartnershipFactory(manufacturer=other_manufacturer, reseller=alpha.reseller)
    sale(foreign, [(make_catalog(other_manufacturer)["A"], 10)], when=ago(2))
    return {
        "products": products,
        "alpha": alpha,
        "beta": beta,
        "seller": seller,
        "other_seller": other_seller,
        "manager": manager,
    }


def manual_sale(partnership, items, *, by, when):
    """A manual order a member placed for the customer (a rep's own work)."""
    return order_create(
        partnership=partnership,
        lines=[LineRequest(product_id=p.pk, quantity=q) for p, q in items],
        created_by=by,
        own_use=True,
        is_manual=True,
        created_at=when,
    )


def test_every_kind_of_change_keeps_the_tallies_equal_to_the_orders(world, manufacturer):
    a, b = world["products"]["A"], world["products"]["B"]
    alpha, beta = world["alpha"], world["beta"]

    placed = sale(alpha, [(a, 2)], when=ago(0))
    assert_tallies_true(manufacturer)  # a new order

    old = sale(beta, [(b, 3)], when=ago(40), status=S.COMPLETED)
    older = sale(alpha, [(a, 1)], when=ago(100), status=S.FULFILLED)
    # a rep's manual order for a customer outside their portfolio: theirs to see anyway
    mine = manual_sale(beta, [(a, 1)], by=world["seller"], when=ago(3))
    assert_tallies_true(manufacturer)

    for to_status in (S.ACCEPTED, S.FULFILLED, S.COMPLETED):  # each status change
        placed = order_transition(
            order=placed, to_status=to_status, side=MANUFACTURER, changed_by=None
        )
        assert_tallies_true(manufacturer)
    order_transition(
        order=mine, to_status=S.CANCELLED, side=MANUFACTURER, changed_by=None, reason="x"
    )
    rejected = sale(beta, [(a, 1)], when=ago(1))
    order_transition(
        order=rejected, to_status=S.REJECTED, side=MANUFACTURER, changed_by=None, reason="x"
    )
    assert_tallies_true(manufacturer)

    give_back(placed, quantity=1, when=ago(0))  # returns, this month and another
    back = give_back(old, quantity=2, when=ago(35))
    give_back(older, quantity=1, when=ago(60))
    assert_tallies_true(manufacturer)

    # a reassignment: the figures follow the portfolio, the tallies themselves do not move
    portfolio_assign(
        manufacturer=manufacturer, partnership=beta, rep=world["seller"], by=world["manager"]
    )
    portfolio_assign(manufacturer=manufacturer, partnership=alpha, rep=None, by=world["manager"])
    assert_tallies_true(manufacturer)

    # an operator's repairs in the admin
    OrderReturnAdmin(OrderReturn, admin.site).delete_model(None, back)
    assert_tallies_true(manufacturer)
    # (an order with returns cannot be deleted: its returned lines protect it)
    OrderAdmin(Order, admin.site).delete_model(None, Order.objects.get(pk=rejected.pk))
    assert_tallies_true(manufacturer)
    moved = Order.objects.get(pk=placed.pk)
    moved.partnership = beta
    moved.reseller = beta.reseller
    OrderAdmin(Order, admin.site).save_model(None, moved, None, True)
    assert_tallies_true(manufacturer)


def test_the_dashboards_figures_are_those_of_the_orders(world, manufacturer):
    """Not only equal to the live computation: the figures a user reads, by hand."""
    a = world["products"]["A"]  # 100.00
    sale(world["alpha"], [(a, 2)], when=ago(1))
    done = sale(world["beta"], [(a, 3)], when=ago(2), status=S.COMPLETED)
    give_back(done, quantity=1, when=ago(1))
    sale(world["beta"], [(a, 1)], when=ago(45), status=S.ACCEPTED)
    manager, rep = members(manufacturer)[0], None
    for membership in members(manufacturer):
        if membership.user == world["seller"]:
            rep = membership
        if membership.user == world["manager"]:
            manager = membership

    staff = tallied_figures(manufacturer, manager)
    theirs = tallied_figures(manufacturer, rep)

    assert staff["sales"] == (Decimal("400.00"), Decimal("100.00"))  # 200 + 300 - 100; 100
    assert staff["open"] == 2 and staff["awaiting"] == 1
    # beta: 300 - 100 returned + the order of 45 days ago (within 90 days), two orders
    assert staff["top"] == [(Decimal("300.00"), 2), (Decimal("200.00"), 1)]
    assert theirs["sales"] == (Decimal("200.00"), ZERO)  # alpha only
    assert theirs["open"] == 1 and theirs["top"] == [(Decimal("200.00"), 1)]


def test_the_rebuild_gives_the_kept_tallies_back(world, manufacturer):
    a = world["products"]["A"]
    sale(world["alpha"], [(a, 2)], when=ago(5), status=S.COMPLETED)
    give_back(Order.objects.get(partnership=world["alpha"]), quantity=1, when=ago(1))
    kept = kept_tallies(manufacturer_id=manufacturer.pk)

    OrderTally.objects.filter(manufacturer=manufacturer).delete()
    tally_rebuild(manufacturer_id=manufacturer.pk)

    assert kept and kept_tallies(manufacturer_id=manufacturer.pk) == kept


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_both_count(manufacturer, manager, make_member):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    products = make_catalog(manufacturer)
    partnership = PartnershipFactory(manufacturer=manufacturer)
    waiting = [sale(partnership, [(products["A"], 1)], when=ago(0)) for _ in range(6)]

    def place():
        with scope(manufacturer=manufacturer):  # as a tenant view would
            for _ in range(3):
                sale(partnership, [(products["B"], 1)], when=ago(0), status=S.ACCEPTED)

    def move(orders):
        def run():
            with scope(manufacturer=manufacturer):
                for order in orders:
                    order_transition(
                        order=order, to_status=S.ACCEPTED, side=MANUFACTURER, changed_by=None
                    )

        return run

    _, errors = run_at_once([place, move(waiting[:3]), move(waiting[3:])])

    assert errors == []
    assert Order.objects.filter(partnership=partnership, status=S.ACCEPTED).count() == 9
    assert_tallies_true(manufacturer)
