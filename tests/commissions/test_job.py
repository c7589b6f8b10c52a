"""The daily job: payable notices, deadline requests, idempotence, two workers at once."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django_scopes import scope

from commissions.models import (
    CommissionEntry,
    CommissionJobRun,
    PayoutItem,
    PayoutOrigin,
    PayoutRequest,
    PayoutRequestStatus,
)
from commissions.services.job import commission_daily_run, commission_daily_run_all
from commissions.services.ledger import commission_adjust, commission_window_extend
from notifications.models import Notification, NotificationKind
from tests.commissions.conftest import completed_order
from tests.concurrency import run_at_once
from tests.orders.factories import make_end_customer

D = Decimal
COMPLETED = datetime(2026, 3, 2, 10, tzinfo=UTC)  # a Monday
ELIGIBLE = date(2026, 3, 30)  # 4 weeks later
PAY_BY = date(2026, 5, 11)  # 10 weeks later


def payout_notices(user):
    return list(
        Notification.objects.filter(user=user, kind=NotificationKind.PAYOUT).values_list(
            "title", flat=True
        )
    )


@pytest.mark.django_db
def test_the_reseller_hears_on_the_day_a_commission_becomes_payable(
    manufacturer, partnership, speaker, customer, reseller_user
):
    completed_order(partnership, [speaker], customer=customer, quantities=[2], at=COMPLETED)

    commission_daily_run(manufacturer=manufacturer, today=ELIGIBLE - timedelta(days=1))
    assert payout_notices(reseller_user) == []

    result = commission_daily_run(manufacturer=manufacturer, today=ELIGIBLE)
    assert result.became_payable == 1
    assert payout_notices(reseller_user) == ["€20.00 of commission from Acme Audio is now payable"]

    again = commission_daily_run(manufacturer=manufacturer, today=ELIGIBLE)
    assert not again.ran
    commission_daily_run(manufacturer=manufacturer, today=ELIGIBLE + timedelta(days=1))
    assert len(payout_notices(reseller_user)) == 1


@pytest.mark.django_db
def test_what_reaches_its_pay_by_date_is_requested_by_itself(
    manufacturer, partnership, speaker, customer, owner, reseller_user
):
    completed_order(partnership, [speaker], customer=customer, quantities=[2], at=COMPLETED)
    commission_adjust(
        partnership=partnership,
        amount=D("-5.00"),
        reason="Damaged demo unit",
        created_by=owner,
        at=COMPLETED,
    )

    commission_daily_run(manufacturer=manufacturer, today=PAY_BY - timedelta(days=8))
    assert not PayoutRequest.objects.exists()

    result = commission_daily_run(manufacturer=manufacturer, today=PAY_BY - timedelta(days=7))

    [request] = PayoutRequest.objects.all()
    assert result.batched == 1
    assert (request.origin, request.status, request.amount) == (
        PayoutOrigin.DEADLINE,
        PayoutRequestStatus.REQUESTED,
        D("15.00"),  # the debit is netted in
    )
    assert PayoutItem.objects.filter(request=request).count() == 2
    assert any("pay-by date" in t for t in payout_notices(owner))
    assert any("was requested for you" in t for t in payout_notices(reseller_user))


@pytest.mark.django_db
def test_an_extended_window_is_not_requested_early(
    manufacturer, partnership, speaker, customer, owner
):
    completed_order(partnership, [speaker], customer=customer, at=COMPLETED)
    entry = CommissionEntry.objects.get()
    commission_window_extend(
        entry=entry, pay_by=date(2099, 1, 1), reason="Installation pending", created_by=owner
    )

    commission_daily_run(manufacturer=manufacturer, today=PAY_BY)

    assert not PayoutRequest.objects.exists()


@pytest.mark.django_db
def test_a_clawback_that_outweighs_what_is_due_makes_no_payout(
    manufacturer, partnership, speaker, customer, owner
):
    completed_order(partnership, [speaker], customer=customer, at=COMPLETED)
    commission_adjust(
        partnership=partnership,
        amount=D("-25.00"),
        reason="Clawback",
        created_by=owner,
        at=COMPLETED,
    )

    commission_daily_run(manufacturer=manufacturer, today=PAY_BY)

    assert not PayoutRequest.objects.exists()
    assert not PayoutItem.objects.exists()


@pytest.mark.django_db
def test_due_entries_join_the_request_awaiting_approval(
    manufacturer, partnership, speaker, customer
):
    from tests.commissions.factories import PayoutRequestFactory

    completed_order(partnership, [speaker], customer=customer, at=COMPLETED)
    waiting = PayoutRequestFactory(
        partnership=partnership, status=PayoutRequestStatus.REQUESTED, batch=None, amount=D("0")
    )

    commission_daily_run(manufacturer=manufacturer, today=PAY_BY)

    waiting.refresh_from_db()
    assert waiting.amount == D("10.00")
    assert PayoutRequest.objects.count() == 1


@pytest.mark.django_db
def test_each_tenant_runs_alone(
    manufacturer, other_manufacturer, partnership, foreign_partnership, speaker, customer
):
    from tests.catalog.factories import ProductFactory

    completed_order(partnership, [speaker], customer=customer, at=COMPLETED)
    theirs = ProductFactory(manufacturer=other_manufacturer)
    completed_order(foreign_partnership, [theirs], customer=customer, at=COMPLETED)

    assert commission_daily_run_all(today=PAY_BY) == 2
    assert commission_daily_run_all(today=PAY_BY) == 0

    assert {r.manufacturer_id for r in PayoutRequest.objects.all()} == {
        manufacturer.pk,
        other_manufacturer.pk,
    }
    for request in PayoutRequest.objects.all():
        assert set(
            PayoutItem.objects.filter(request=request).values_list(
                "entry__manufacturer_id", flat=True
            )
        ) == {request.manufacturer_id}


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_pay_nothing_twice(
    manufacturer, partnership, other_partnership, speaker, customer, reseller_user
):
    assert connection.vendor == "postgresql"
    other_customer = make_end_customer(other_partnership.reseller, email="max@example.test")
    for _ in range(3):
        completed_order(partnership, [speaker], customer=customer, at=COMPLETED)
        completed_order(other_partnership, [speaker], customer=other_customer, at=COMPLETED)

    def worker():
        with scope(manufacturer=manufacturer):  # as commission_daily_run_all runs each tenant
            return commission_daily_run(manufacturer=manufacturer, today=PAY_BY)

    results, errors = run_at_once([worker, worker])

    assert errors == []
    assert sorted(result.ran for result in results) == [False, True]
    assert CommissionJobRun.objects.count() == 1
    assert PayoutRequest.objects.count() == 2
    assert PayoutItem.objects.count() == CommissionEntry.objects.count() == 6
    assert sorted(PayoutRequest.objects.values_list("amount", flat=True)) == [D("30"), D("30")]
    assert len(payout_notices(reseller_user)) == 1  # "requested for you", once


@pytest.mark.django_db
def test_a_clawback_that_outweighs_a_waiting_request_leaves_it_as_the_reseller_asked(
    manufacturer, partnership, speaker, customer, owner
):
    from commissions.selectors.balances import balance_of
    from commissions.services.payouts import (
        payout_batch_approve,
        payout_batch_mark_paid,
        payout_request_create,
    )
    from tests.commissions.factories import PayoutDetailsFactory

    PayoutDetailsFactory(partnership=partnership)
    completed_order(partnership, [speaker], customer=customer, quantities=[5], at=COMPLETED)
    asked = payout_request_create(
        partnership=partnership, amount=D("50.00"), requested_by=None, today=ELIGIBLE
    )
    completed_order(
        partnership, [speaker], customer=customer, quantities=[5], at=COMPLETED + timedelta(days=1)
    )
    commission_adjust(
        partnership=partnership, amount=D("-125.00"), reason="Clawback", created_by=owner,
        at=COMPLETED,
    )  # fmt: skip

    commission_daily_run(manufacturer=manufacturer, today=PAY_BY)

    asked.refresh_from_db()
    assert asked.amount == D("50.00")
    assert PayoutItem.objects.filter(request=asked).count() == 1
    [batch_request] = PayoutRequest.objects.all()
    batch = payout_batch_approve(
        manufacturer=manufacturer, request_ids=[batch_request.pk], approved_by=owner
    )
    payout_batch_mark_paid(batch=batch, reference="BANK", paid_by=owner)
    balance = balance_of(CommissionEntry.objects.filter(partnership=partnership), today=PAY_BY)
    assert (balance.paid, balance.payable, balance.owed) == (D("50.00"), D("-75.00"), D("-75.00"))
