"""orders.services: pricing and totals, the workflow table, own use, returns, notes, hooks."""

from decimal import Decimal
from itertools import product as cartesian

import pytest

from channel.models import Partnership
from orders import hooks
from orders.models import NoteSide, Order, OrderLine, OrderNote, OrderReturn, OrderStatus
from orders.selectors.orders import (
    order_notes_for_manufacturer,
    order_notes_for_reseller,
    returned_quantities,
)
from orders.services.orders import (
    LineRequest,
    OrderRefused,
    ReturnLineRequest,
    order_create,
    order_note_add,
    order_return_create,
    order_transition,
)
from orders.workflow import MANUFACTURER, RESELLER, SYSTEM
from tests.catalog.factories import ProductFactory
from tests.orders.factories import force_status, make_order

S = OrderStatus

# The workflow as the issue states it, written out independently of orders.workflow:
# (from, to, side) that must be allowed; every other combination must be refused.
ALLOWED = {
    (S.AWAITING_PAYMENT, S.PLACED, SYSTEM),
    (S.AWAITING_PAYMENT, S.PLACED, MANUFACTURER),
    (S.PLACED, S.ACCEPTED, MANUFACTURER),
    (S.PLACED, S.REJECTED, MANUFACTURER),
    (S.ACCEPTED, S.FULFILLED, MANUFACTURER),
    (S.FULFILLED, S.COMPLETED, MANUFACTURER),
    (S.AWAITING_PAYMENT, S.CANCELLED, MANUFACTURER),
    (S.PLACED, S.CANCELLED, MANUFACTURER),
    (S.ACCEPTED, S.CANCELLED, MANUFACTURER),
    (S.AWAITING_PAYMENT, S.CANCELLED, RESELLER),
    (S.PLACED, S.CANCELLED, RESELLER),
}
COMBINATIONS = list(cartesian(S.values, S.values, [MANUFACTURER, RESELLER, SYSTEM]))


def test_totals_are_decimal_rounded_half_up_once(partnership, products):
    Partnership.objects.filter(pk=partnership.pk).update(discount_percent=Decimal("12.5"))
    partnership.refresh_from_db()

    order = make_order(partnership, products, quantities=[2, 3, 7])

    lines = {line.sku: line for line in order.lines.all()}
    assert lines["SPK-1"].unit_price == Decimal("87.50")
    assert lines["CBL-2"].unit_price == Decimal("17.49")  # 17.49125
    assert lines["CLP-3"].unit_price == Decimal("0.31")  # 0.30625
    assert lines["CBL-2"].line_total == Decimal("52.47")
    assert order.subtotal == Decimal("262.42")  # list prices
    assert order.total == Decimal("229.64")
    assert order.discount_total == Decimal("32.78")
    assert sum(line.line_total for line in lines.values()) == order.total
    assert isinstance(order.total, Decimal)


def test_half_cent_rounds_up_not_to_even(manufacturer, partnership, category):
    Partnership.objects.filter(pk=partnership.pk).update(discount_percent=Decimal("25"))
    partnership.refresh_from_db()
    clip = ProductFactory(manufacturer=manufacturer, category=category, price=Decimal("0.30"))

    order = make_order(partnership, [clip], quantities=[10])

    line = order.lines.get()
    assert line.unit_price == Decimal("0.23")  # 0.225 half-up; half-even would be 0.22
    assert order.total == Decimal("2.30")


def test_unit_price_is_captured_at_ordering(partnership, products):
    order = make_order(partnership, products[:1])
    products[0].price = Decimal("999.00")
    products[0].save()

    order.refresh_from_db()
    assert order.lines.get().unit_price == Decimal("100.00")
    assert order.total == Decimal("100.00")


def test_same_product_twice_is_one_line(partnership, products):
    order = order_create(
        partnership=partnership,
        lines=[LineRequest(products[0].pk, 2), LineRequest(products[0].pk, 3)],
        created_by=None,
        own_use=True,
    )
    assert list(order.lines.values_list("quantity", flat=True)) == [5]


def test_new_order_starts_its_timeline(partnership, products, reseller_user):
    order = make_order(partnership, products[:1], created_by=reseller_user)

    change = order.status_changes.get()
    assert (change.from_status, change.to_status) == ("", S.PLACED)
    assert change.changed_by == reseller_user
    assert order.number.startswith("ACM-")


@pytest.mark.parametrize("quantity", [0, -1, -50])
def test_zero_or_negative_quantity_refused(partnership, products, quantity):
    with pytest.raises(OrderRefused, match="between 1 and"):
        make_order(partnership, products[:2], quantities=[1, quantity])
    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0


def test_product_of_another_manufacturer_refused(partnership, products, foreign_product):
    with pytest.raises(OrderRefused, match="not available"):
        make_order(partnership, [products[0], foreign_product])
    assert Order.objects.count() == 0


def test_inactive_product_refused(partnership, products):
    products[0].is_active = False
    products[0].save()
    with pytest.raises(OrderRefused, match="not available"):
        make_order(partnership, products[:1])


def test_customer_of_another_reseller_refused(partnership, products, other_customer):
    with pytest.raises(OrderRefused, match="does not belong"):
        make_order(partnership, products[:1], end_customer=other_customer, own_use=False)
    assert Order.objects.count() == 0


def test_own_use_order_has_no_customer(partnership, products, customer):
    with pytest.raises(OrderRefused, match="own use"):
        make_order(partnership, products[:1], end_customer=customer, own_use=True)
    with pytest.raises(OrderRefused, match="Choose the end customer"):
        make_order(partnership, products[:1], end_customer=None, own_use=False)
    assert Order.objects.count() == 0


def test_own_use_and_customer_orders(partnership, products, customer):
    own = make_order(partnership, products[:1])
    for_customer = make_order(partnership, products[:1], end_customer=customer)

    assert own.own_use is True and own.end_customer is None
    assert for_customer.own_use is False and for_customer.end_customer == customer


def test_inactive_partnership_cannot_order(suspended_partnership, products):
    with pytest.raises(OrderRefused, match="not active"):
        make_order(suspended_partnership, products[:1])


def test_manual_order_remembers_creator(partnership, products, seller):
    order = make_order(partnership, products[:1], created_by=seller, is_manual=True)

    order.refresh_from_db()
    assert order.is_manual is True
    assert order.created_by == seller


@pytest.mark.parametrize(("from_status", "to_status", "side"), COMBINATIONS)
def test_workflow_table(partnership, products, owner, from_status, to_status, side):
    order = force_status(make_order(partnership, products[:1]), from_status)
    changes_before = order.status_changes.count()

    if (from_status, to_status, side) in ALLOWED:
        order_transition(
            order=order, to_status=to_status, side=side, changed_by=owner, reason="because"
        )
        order.refresh_from_db()
        assert order.status == to_status
        last = order.status_changes.last()
        assert (last.from_status, last.to_status) == (from_status, to_status)
        assert last.changed_by == owner
        assert last.reason == "because"
    else:
        with pytest.raises(OrderRefused, match="cannot become"):
            order_transition(order=order, to_status=to_status, side=side, changed_by=owner)
        order.refresh_from_db()
        assert order.status == from_status
        assert order.status_changes.count() == changes_before


@pytest.mark.parametrize("to_status", [S.REJECTED, S.CANCELLED])
def test_reject_or_cancel_without_a_reason_is_refused(partnership, products, owner, to_status):
    order = force_status(make_order(partnership, products[:1]), S.PLACED)

    with pytest.raises(OrderRefused, match="reason"):
        order_transition(
            order=order, to_status=to_status, side=MANUFACTURER, changed_by=owner, reason="  "
        )

    order.refresh_from_db()
    assert order.status == S.PLACED


def test_status_hook_fires_and_a_failing_receiver_rolls_back(partnership, products, owner):
    order = make_order(partnership, products[:1])
    seen = []

    def receiver(**kwargs):
        seen.append((kwargs["from_status"], kwargs["to_status"]))

    def failing(**kwargs):
        raise RuntimeError("commission ledger down")

    hooks.order_status_changed.connect(receiver)
    try:
        order_transition(order=order, to_status=S.ACCEPTED, side=MANUFACTURER, changed_by=owner)
        hooks.order_status_changed.connect(failing)
        with pytest.raises(RuntimeError):
            order_transition(
                order=order, to_status=S.FULFILLED, side=MANUFACTURER, changed_by=owner
            )
    finally:
        hooks.order_status_changed.disconnect(receiver)
        hooks.order_status_changed.disconnect(failing)

    order.refresh_from_db()
    assert seen == [(S.PLACED, S.ACCEPTED), (S.ACCEPTED, S.FULFILLED)]
    assert order.status == S.ACCEPTED
    assert order.status_changes.count() == 2


# --- returns ---------------------------------------------------------------------------------


@pytest.fixture
def fulfilled_order(partnership, products):
    order = make_order(partnership, products[:2], quantities=[5, 2])
    return force_status(order, S.FULFILLED)


def _line(order, sku):
    return order.lines.get(sku=sku)


def test_partial_returns_add_up_and_fire_the_hook(fulfilled_order, owner):
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    hooks.order_returned.connect(receiver)
    try:
        line = _line(fulfilled_order, "SPK-1")
        first = order_return_create(
            order=fulfilled_order,
            lines=[ReturnLineRequest(line.pk, 2)],
            created_by=owner,
            reason="Damaged",
        )
        second = order_return_create(
            order=fulfilled_order, lines=[ReturnLineRequest(line.pk, 3)], created_by=owner
        )
    finally:
        hooks.order_returned.disconnect(receiver)

    assert first.amount == Decimal("200.00")
    assert second.amount == Decimal("300.00")
    assert [kw["order_return"] for kw in received] == [first, second]
    assert returned_quantities(fulfilled_order) == {line.pk: 5}
    assert first.lines.get().quantity == 2


def test_over_return_refused_and_nothing_changes(fulfilled_order, owner):
    line = _line(fulfilled_order, "CBL-2")
    order_return_create(
        order=fulfilled_order, lines=[ReturnLineRequest(line.pk, 1)], created_by=owner
    )

    with pytest.raises(OrderRefused, match="At most 1"):
        order_return_create(
            order=fulfilled_order, lines=[ReturnLineRequest(line.pk, 2)], created_by=owner
        )
    assert OrderReturn.objects.count() == 1


def test_over_return_in_one_request_across_rows_refused(fulfilled_order, owner):
    line = _line(fulfilled_order, "CBL-2")
    with pytest.raises(OrderRefused):
        order_return_create(
            order=fulfilled_order,
            lines=[ReturnLineRequest(line.pk, 2), ReturnLineRequest(line.pk, 1)],
            created_by=owner,
        )
    assert OrderReturn.objects.count() == 0


def test_negative_return_refused(fulfilled_order, owner):
    line = _line(fulfilled_order, "CBL-2")
    with pytest.raises(OrderRefused):
        order_return_create(
            order=fulfilled_order, lines=[ReturnLineRequest(line.pk, -1)], created_by=owner
        )
    assert OrderReturn.objects.count() == 0


def test_line_of_another_order_refused(fulfilled_order, partnership, products, owner):
    other = force_status(make_order(partnership, products[:1]), S.FULFILLED)
    with pytest.raises(OrderRefused, match="do not belong"):
        order_return_create(
            order=fulfilled_order,
            lines=[ReturnLineRequest(other.lines.get().pk, 1)],
            created_by=owner,
        )
    assert OrderReturn.objects.count() == 0


@pytest.mark.parametrize(
    "status", [S.AWAITING_PAYMENT, S.PLACED, S.ACCEPTED, S.REJECTED, S.CANCELLED]
)
def test_only_fulfilled_or_completed_orders_have_returns(partnership, products, owner, status):
    order = force_status(make_order(partnership, products[:1]), status)
    with pytest.raises(OrderRefused, match="fulfilled or completed"):
        order_return_create(
            order=order, lines=[ReturnLineRequest(order.lines.get().pk, 1)], created_by=owner
        )
    assert OrderReturn.objects.count() == 0


def test_completed_order_can_have_a_return(partnership, products, owner):
    order = force_status(make_order(partnership, products[:1]), S.COMPLETED)
    order_return_create(
        order=order, lines=[ReturnLineRequest(order.lines.get().pk, 1)], created_by=owner
    )
    assert OrderReturn.objects.filter(order=order).count() == 1


# --- notes -----------------------------------------------------------------------------------


def test_note_visibility_per_side(partnership, products, owner, reseller_user):
    order = make_order(partnership, products[:1])
    m_internal = order_note_add(
        order=order, author=owner, side=NoteSide.MANUFACTURER, body="m-internal"
    )
    m_public = order_note_add(
        order=order, author=owner, side=NoteSide.MANUFACTURER, body="m-public", is_internal=False
    )
    r_internal = order_note_add(
        order=order, author=reseller_user, side=NoteSide.RESELLER, body="r-internal"
    )
    r_public = order_note_add(
        order=order,
        author=reseller_user,
        side=NoteSide.RESELLER,
        body="r-public",
        is_internal=False,
    )

    assert set(order_notes_for_manufacturer(order)) == {m_internal, m_public, r_public}
    assert set(order_notes_for_reseller(order)) == {r_internal, m_public, r_public}


def test_empty_note_refused(partnership, products, owner):
    order = make_order(partnership, products[:1])
    with pytest.raises(OrderRefused):
        order_note_add(order=order, author=owner, side=NoteSide.MANUFACTURER, body="   ")
    assert OrderNote.objects.count() == 0
