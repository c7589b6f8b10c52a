"""A returned physical product voids the order's commission: reversed before payout, clawed
back after it (netted, never a negative payment); services by the manufacturer's setting."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from commissions.models import CommissionEntry, EntryKind, PayoutRequestStatus
from commissions.selectors.balances import balance_of
from commissions.services.ledger import commission_settings_for
from orders.models import OrderLine, OrderNote
from orders.services.orders import ReturnLineRequest, order_return_create
from tests.commissions.conftest import completed_order
from tests.commissions.factories import PayoutItemFactory, PayoutRequestFactory
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db

D = Decimal
COMPLETED = datetime(2026, 3, 1, 10, tzinfo=UTC)


def return_one(order, product, *, returned_at=None):
    line = OrderLine.objects.get(order=order, product=product)
    return order_return_create(
        order=order,
        lines=[ReturnLineRequest(order_line_id=line.pk, quantity=1)],
        created_by=None,
        reason="Damaged in transit",
        returned_at=returned_at,
    )


def ledger(partnership):
    return CommissionEntry.objects.filter(partnership=partnership)


def test_a_return_before_payout_reverses_the_whole_order(partnership, speaker, cable, customer):
    # 2 × 100.00 + 19.99 = 219.99 → 22.00; one speaker back voids all of it
    order = completed_order(
        partnership, [speaker, cable], customer=customer, quantities=[2, 1], at=COMPLETED
    )
    [accrual] = ledger(partnership)

    return_one(order, speaker)

    reversal = ledger(partnership).get(kind=EntryKind.REVERSAL)
    assert (reversal.debit, reversal.reverses, reversal.reason) == (
        D("22.00"),
        accrual,
        "voided: an item was returned",
    )
    assert reversal.eligible_from == accrual.eligible_from  # nets out of the same bucket
    for today in (date(2026, 3, 2), date(2026, 4, 1)):
        balance = balance_of(ledger(partnership), today=today)
        assert (balance.pending, balance.payable, balance.voided) == (D("0"), D("0"), D("22.00"))
        assert balance.earned == D("22.00")


def test_a_second_return_of_the_same_order_voids_nothing_more(partnership, speaker, customer):
    order = completed_order(partnership, [speaker], customer=customer, quantities=[3])
    return_one(order, speaker)
    return_one(order, speaker)

    assert ledger(partnership).filter(kind=EntryKind.REVERSAL).count() == 1


def test_a_physical_product_returned_before_completion_means_no_accrual(
    partnership, speaker, customer
):
    from orders.models import OrderStatus
    from orders.services.orders import order_transition
    from orders.workflow import MANUFACTURER

    order = make_order(partnership, [speaker], end_customer=customer, quantities=[2])
    for status in (OrderStatus.ACCEPTED, OrderStatus.FULFILLED):
        order = order_transition(order=order, to_status=status, side=MANUFACTURER, changed_by=None)
    return_one(order, speaker)
    order = order_transition(
        order=order, to_status=OrderStatus.COMPLETED, side=MANUFACTURER, changed_by=None
    )

    assert not ledger(partnership).exists()
    assert OrderNote.objects.filter(order=order, body__contains="an item was returned").exists()


def test_a_returned_service_keeps_the_commission_unless_the_manufacturer_says_so(
    manufacturer, partnership, install, customer
):
    kept = completed_order(partnership, [install], customer=customer)
    return_one(kept, install)
    assert balance_of(ledger(partnership)).pending == D("30.00")

    settings = commission_settings_for(manufacturer)
    settings.service_returns_void = True
    settings.save()
    voided = completed_order(partnership, [install], customer=customer)
    return_one(voided, install)

    assert ledger(partnership).filter(kind=EntryKind.REVERSAL, order=voided).count() == 1
    assert not ledger(partnership).filter(kind=EntryKind.REVERSAL, order=kept).exists()
    assert balance_of(ledger(partnership)).pending == D("30.00")


def test_a_return_after_payout_is_a_clawback_netted_later(partnership, speaker, customer):
    order = completed_order(partnership, [speaker], customer=customer, at=COMPLETED)
    [accrual] = ledger(partnership)
    paid = PayoutRequestFactory(
        partnership=partnership, status=PayoutRequestStatus.PAID, amount=D("10.00")
    )
    PayoutItemFactory(entry=accrual, request=paid)

    return_one(order, speaker, returned_at=datetime(2026, 5, 1, tzinfo=UTC))

    clawback = ledger(partnership).get(kind=EntryKind.CLAWBACK)
    assert (clawback.debit, clawback.reverses) == (D("10.00"), accrual)
    balance = balance_of(ledger(partnership))
    assert balance.payable == D("-10.00")  # netted against what comes next …
    assert balance.payable_now == D("0.00")  # … never asked for as a negative payout


def test_a_return_while_the_request_awaits_approval_shrinks_the_request(
    partnership, speaker, cable, customer
):
    first = completed_order(partnership, [speaker], customer=customer, at=COMPLETED)
    second = completed_order(partnership, [cable], customer=customer, at=COMPLETED)
    request = PayoutRequestFactory(
        partnership=partnership,
        status=PayoutRequestStatus.REQUESTED,
        batch=None,
        amount=D("12.00"),
    )
    for entry in ledger(partnership):
        PayoutItemFactory(entry=entry, request=request)

    return_one(first, speaker)

    request.refresh_from_db()
    assert request.amount == D("2.00")  # the cable's 19.99 → 2.00 stays
    reversal = ledger(partnership).get(kind=EntryKind.REVERSAL)
    assert reversal.payout_item.request == request
    assert not ledger(partnership).filter(kind=EntryKind.REVERSAL, order=second).exists()
