"""A small channel whose figures are worked out by hand in the tests (see `april_may`)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from channel.models import Partnership
from orders.models import Order, OrderStatus
from orders.services.orders import ReturnLineRequest, order_return_create, order_transition
from orders.workflow import MANUFACTURER
from tests.accounts.factories import ResellerFactory
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.orders.factories import make_end_customer, make_order
from tests.partners.factories import OrderRatingFactory
from tests.resellers.factories import PartnershipFactory


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def move(order: Order, *steps: str, when: datetime, by=None) -> Order:
    for step in steps:
        order = order_transition(
            order=order,
            to_status=step,
            side=MANUFACTURER,
            changed_by=by,
            reason="Test" if step in {OrderStatus.REJECTED, OrderStatus.CANCELLED} else "",
            at=when,
        )
    return order


@dataclass
class Channel:
    a: Partnership
    b: Partnership
    orders: dict[str, Order]


@pytest.fixture
def products(manufacturer):
    speakers = CategoryFactory(manufacturer=manufacturer, name="Speakers")
    cables = CategoryFactory(manufacturer=manufacturer, name="Cables")
    return (
        ProductFactory(
            manufacturer=manufacturer, category=speakers, sku="SPK", price=Decimal("100.00")
        ),
        ProductFactory(
            manufacturer=manufacturer, category=cables, sku="CBL", price=Decimal("10.00")
        ),
    )


@pytest.fixture
def april_may(manufacturer, partnership, products) -> Channel:
    """Partnership A (the `partnership` fixture), from January 2026:

    March: nothing.
    April: o1 C1 2×SPK completed (rated 5, address right) · o2 C1 1×CBL accepted then
    cancelled (address right) · o3 C2 1×SPK rejected (rated 2, address wrong) · o4 own use
    SPK+CBL placed · o5 own use awaiting payment (not counted).
    May: o6 C1 1×CBL completed · o7 C3 1×SPK placed · a return of one SPK of o1 (100.00).
    Partnership B: April, o8 own use 1×CBL placed.
    """
    spk, cbl = products
    Partnership.objects.filter(pk=partnership.pk).update(created_at=at(1, 5))
    partnership.refresh_from_db()
    other = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Zeta"))
    reseller = partnership.reseller
    c1, c2, c3 = (make_end_customer(reseller, name=name) for name in ("C1", "C2", "C3"))
    o = {}
    o["o1"] = make_order(partnership, [spk], quantities=[2], end_customer=c1, created_at=at(4, 2))
    o["o1"] = move(
        o["o1"],
        OrderStatus.ACCEPTED,
        OrderStatus.FULFILLED,
        OrderStatus.COMPLETED,
        when=at(4, 3),
    )
    o["o2"] = make_order(partnership, [cbl], end_customer=c1, created_at=at(4, 8))
    o["o2"] = move(o["o2"], OrderStatus.ACCEPTED, OrderStatus.CANCELLED, when=at(4, 9))
    o["o3"] = make_order(partnership, [spk], end_customer=c2, created_at=at(4, 15))
    o["o3"] = move(o["o3"], OrderStatus.REJECTED, when=at(4, 16))
    o["o4"] = make_order(partnership, [spk, cbl], created_at=at(4, 30))
    o["o5"] = make_order(
        partnership, [spk], created_at=at(4, 20), status=OrderStatus.AWAITING_PAYMENT
    )
    o["o6"] = make_order(partnership, [cbl], end_customer=c1, created_at=at(5, 3))
    o["o6"] = move(
        o["o6"], OrderStatus.ACCEPTED, OrderStatus.FULFILLED, OrderStatus.COMPLETED, when=at(5, 4)
    )
    o["o7"] = make_order(partnership, [spk], end_customer=c3, created_at=at(5, 20))
    o["o8"] = make_order(other, [cbl], created_at=at(4, 11))
    line = o["o1"].lines.get()
    order_return_create(
        order=o["o1"],
        lines=[ReturnLineRequest(order_line_id=line.pk, quantity=1)],
        created_by=None,
        returned_at=at(5, 10),
    )
    OrderRatingFactory(order=o["o1"], satisfaction=5, address_accurate=True)
    OrderRatingFactory(order=o["o2"], satisfaction=None, address_accurate=True)
    OrderRatingFactory(order=o["o3"], satisfaction=2, address_accurate=False)
    return Channel(a=partnership, b=other, orders=o)
