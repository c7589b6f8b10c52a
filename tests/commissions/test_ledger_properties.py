"""Over any sequence of completions, returns, adjustments, requests, approvals, payments and
job runs, every balance is the sum of its entries and nothing is paid twice (hypothesis)."""

import contextlib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, F, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from commissions.models import (
    CommissionEntry,
    EntryKind,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutItem,
    PayoutRequest,
    PayoutRequestStatus,
)
from commissions.selectors.balances import balance_of
from commissions.services.job import commission_daily_run
from commissions.services.ledger import (
    CommissionRefused,
    commission_adjust,
    commission_settings_for,
    partnership_holding_set,
    request_amount,
)
from commissions.services.payouts import (
    payout_batch_approve,
    payout_batch_mark_paid,
    payout_request_create,
)
from orders.models import OrderLine
from orders.services.orders import OrderRefused, ReturnLineRequest, order_return_create
from tests.accounts.factories import ManufacturerFactory, MembershipFactory
from tests.catalog.factories import ProductFactory
from tests.commissions.conftest import completed_order
from tests.commissions.factories import PayoutDetailsFactory
from tests.orders.factories import make_end_customer
from tests.resellers.factories import PartnershipFactory

ZERO = Decimal("0.00")


class LedgerMachine(RuleBasedStateMachine):
    """Two partnerships of one manufacturer, a clock that moves forward day by day."""

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def world(self) -> None:
        self.manufacturer = ManufacturerFactory()
        self.owner = MembershipFactory(manufacturer=self.manufacturer, role="owner").user
        settings_row = commission_settings_for(self.manufacturer)
        settings_row.minimum_payout = Decimal("5.00")
        settings_row.save()
        self.partnerships = [PartnershipFactory(manufacturer=self.manufacturer) for _ in range(2)]
        self.customers = [
            make_end_customer(p.reseller, email=f"buyer{p.pk}@customers.example")
            for p in self.partnerships
        ]
        for partnership in self.partnerships:
            PayoutDetailsFactory(partnership=partnership)
        # The first is trusted: payable at once, so requests and payouts happen early.
        partnership_holding_set(
            partnership=self.partnerships[0], holding_weeks=0, reason="Trusted", updated_by=None
        )
        self.products = [
            ProductFactory(manufacturer=self.manufacturer, price=Decimal(price))
            for price in ("19.99", "250.00", "0.35")
        ]
        self.orders: list = []
        self.day = date(2026, 1, 5)

    @property
    def now(self) -> datetime:
        return datetime.combine(self.day, time(12), tzinfo=UTC)

    @rule(days=st.integers(min_value=1, max_value=40))
    def time_passes(self, days: int) -> None:
        self.day += timedelta(days=days)

    @rule(who=st.integers(0, 1), product=st.integers(0, 2), quantity=st.integers(1, 40))
    def an_order_completes(self, who: int, product: int, quantity: int) -> None:
        order = completed_order(
            self.partnerships[who],
            [self.products[product]],
            customer=self.customers[who],
            quantities=[quantity],
            at=self.now,
        )
        self.orders.append(order)

    @rule(data=st.data())
    def an_item_comes_back(self, data: st.DataObject) -> None:
        if not self.orders:
            return
        order = data.draw(st.sampled_from(self.orders))
        line = OrderLine.objects.filter(order=order).first()
        with contextlib.suppress(OrderRefused):  # everything already came back
            order_return_create(
                order=order,
                lines=[ReturnLineRequest(order_line_id=line.pk, quantity=1)],
                created_by=None,
                returned_at=self.now,
            )

    @rule(who=st.integers(0, 1), cents=st.integers(-5000, 5000).filter(bool))
    def the_owner_adjusts(self, who: int, cents: int) -> None:
        commission_adjust(
            partnership=self.partnerships[who],
            amount=Decimal(cents) / 100,
            reason="Property test",
            created_by=self.owner,
            at=self.now,
        )

    @rule(who=st.integers(0, 1), extra=st.sampled_from([ZERO, Decimal("0.01")]))
    def the_reseller_requests(self, who: int, extra: Decimal) -> None:
        partnership = self.partnerships[who]
        payable = balance_of(ledger(partnership), today=self.day).payable
        try:
            request = payout_request_create(
                partnership=partnership, amount=payable + extra, requested_by=None, at=self.now
            )
        except CommissionRefused:
            return
        assert extra == ZERO
        assert request.amount == payable >= Decimal("5.00")

    @rule(who=st.integers(0, 1))
    def a_whole_payout_cycle(self, who: int) -> None:
        """Request, approve and pay in a row (the common path, so every run has payouts)."""
        self.the_reseller_requests(who=who, extra=ZERO)
        self.a_manager_approves()
        self.the_bank_pays()

    @rule()
    def a_manager_approves(self) -> None:
        ids = list(
            PayoutRequest.objects.filter(status=PayoutRequestStatus.REQUESTED).values_list(
                "pk", flat=True
            )
        )
        if ids:
            payout_batch_approve(
                manufacturer=self.manufacturer,
                request_ids=ids,
                approved_by=self.owner,
                at=self.now,
            )

    @rule()
    def the_bank_pays(self) -> None:
        for batch in PayoutBatch.objects.filter(status=PayoutBatchStatus.APPROVED):
            payout_batch_mark_paid(batch=batch, reference="BANK", paid_by=self.owner, at=self.now)

    @rule()
    def the_daily_job_runs(self) -> None:
        commission_daily_run(manufacturer=self.manufacturer, today=self.day)

    # --- what must always hold --------------------------------------------------------

    @invariant()
    def balances_are_sums_of_entries(self) -> None:
        if not hasattr(self, "partnerships"):
            return
        for partnership in self.partnerships:
            entries = ledger(partnership)
            balance = balance_of(entries, today=self.day)
            total = entries.aggregate(t=Sum(F("credit") - F("debit")))["t"] or ZERO
            assert balance.pending + balance.payable + balance.requested == total
            paid = entries.filter(kind=EntryKind.PAYOUT).aggregate(t=Sum("debit"))["t"] or ZERO
            assert balance.paid == paid
            assert balance.earned == (
                entries.filter(kind=EntryKind.ACCRUAL).aggregate(t=Sum("credit"))["t"] or ZERO
            )

    @invariant()
    def nothing_is_paid_twice(self) -> None:
        if not hasattr(self, "partnerships"):
            return
        assert not PayoutItem.objects.values("entry").annotate(n=Count("pk")).filter(n__gt=1)
        assert not (
            CommissionEntry.objects.filter(kind=EntryKind.PAYOUT)
            .values("payout_request")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        # An order's accrual is paid at most once: one accrual per order and rule, each in
        # one request at most, and it is voided at most once.
        assert not (
            CommissionEntry.objects.filter(kind=EntryKind.ACCRUAL)
            .values("order", "rule", "rule_detail")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not (
            CommissionEntry.objects.exclude(reverses=None)
            .values("reverses")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        for request in PayoutRequest.objects.exclude(status=PayoutRequestStatus.PAID):
            assert request.amount == request_amount(request) >= 0
        for request in PayoutRequest.objects.filter(status=PayoutRequestStatus.PAID):
            payout = CommissionEntry.objects.filter(payout_request=request)
            assert sum((e.debit for e in payout), ZERO) == request.amount

    @invariant()
    def no_payout_is_negative(self) -> None:
        assert not PayoutRequest.objects.filter(amount__lt=0).exists()


def ledger(partnership):
    return CommissionEntry.objects.filter(partnership=partnership)


@pytest.mark.django_db
def test_any_sequence_keeps_the_ledger_whole():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
