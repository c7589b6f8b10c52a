"""Plain helpers (not fixtures) for the directory, profile and statistics tests.

Orders are made with orders.services.orders.order_create and moved along the workflow with
order_transition, the way the product does; returns with order_return_create.
"""

from datetime import UTC, datetime
from decimal import Decimal

from guardian.shortcuts import assign_perm

from accounts.models import Manufacturer
from orders.models import Order, OrderReturn, OrderStatus
from orders.services.orders import (
    LineRequest,
    ReturnLineRequest,
    order_create,
    order_return_create,
    order_transition,
)
from orders.workflow import MANUFACTURER
from tests.catalog.factories import CategoryFactory, ProductFactory

S = OrderStatus
# The moves that bring a placed order to each status.
PATHS = {
    S.PLACED: [],
    S.ACCEPTED: [S.ACCEPTED],
    S.FULFILLED: [S.ACCEPTED, S.FULFILLED],
    S.COMPLETED: [S.ACCEPTED, S.FULFILLED, S.COMPLETED],
    S.REJECTED: [S.REJECTED],
    S.CANCELLED: [S.CANCELLED],
}


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def make_catalog(manufacturer: Manufacturer) -> dict:
    """Speaker A (100.00) in "Speakers"; cable B (19.99) and clip C (0.35) in "Cables"."""
    speakers = CategoryFactory(manufacturer=manufacturer, name="Speakers")
    cables = CategoryFactory(manufacturer=manufacturer, name="Cables")
    return {
        "A": ProductFactory(
            manufacturer=manufacturer, category=speakers, sku="SPK-A", name="Speaker A",
            price=Decimal("100.00"),
        ),
        "B": ProductFactory(
            manufacturer=manufacturer, category=cables, sku="CBL-B", name="Cable B",
            price=Decimal("19.99"),
        ),
        "C": ProductFactory(
            manufacturer=manufacturer, category=cables, sku="CLP-C", name="Clip C",
            price=Decimal("0.35"),
        ),
    }  # fmt: skip


def sale(partnership, items, *, when: datetime, status: str = S.PLACED) -> Order:
    """An own-use order of `items` [(product, quantity)] made at `when`, moved to `status`."""
    order = order_create(
        partnership=partnership,
        lines=[LineRequest(product_id=p.pk, quantity=q) for p, q in items],
        created_by=None,
        own_use=True,
        created_at=when,
    )
    for step in PATHS[status]:
        order = order_transition(
            order=order, to_status=step, side=MANUFACTURER, changed_by=None, reason="test"
        )
    return order


def give_back(order: Order, *, quantity: int, when: datetime) -> OrderReturn:
    """Return `quantity` of the order's first line at `when`."""
    line = order.lines.order_by("pk").first()
    return order_return_create(
        order=order,
        lines=[ReturnLineRequest(order_line_id=line.pk, quantity=quantity)],
        created_by=None,
        returned_at=when,
    )


def put_in_portfolio(user, partnership) -> None:
    """What salesreps' assignment service grants; done directly here."""
    assign_perm("view_partnership", user, partnership)
