"""Balances: every figure is a sum of ledger entries, computed in one query.

- earned: what accruals credited; voided: what reversals and clawbacks took back;
  adjusted: manual adjustments, net; paid: what payouts debited.
- pending: still in its holding period; payable: past it, in no payout request yet;
  requested: in a payout request not paid yet.

pending + payable + requested is what the manufacturer still owes: the sum of every entry.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from commissions.models import (
    OPEN_REQUEST_STATUSES,
    ZERO,
    CommissionEntry,
    EntryKind,
)
from core.bounds import SUM_DIGITS

FIGURES = ("earned", "voided", "adjusted", "paid", "pending", "payable", "requested")


@dataclass(frozen=True)
class Balance:
    earned: Decimal = ZERO
    voided: Decimal = ZERO
    adjusted: Decimal = ZERO
    paid: Decimal = ZERO
    pending: Decimal = ZERO
    payable: Decimal = ZERO
    requested: Decimal = ZERO

    @property
    def owed(self) -> Decimal:
        """What is still to be paid: pending, payable and requested."""
        return self.pending + self.payable + self.requested

    @property
    def payable_now(self) -> Decimal:
        """The payable balance a request can ask for (a clawback may push it below zero,
        to be netted against later earnings, never paid as a negative payout)."""
        return max(self.payable, ZERO)


def sum_of(expression: object, condition: Q) -> Coalesce:
    output: DecimalField[Decimal, Decimal] = DecimalField(max_digits=SUM_DIGITS, decimal_places=2)
    return Coalesce(
        Sum(expression, filter=condition, output_field=output),
        Value(ZERO),
        output_field=output,
    )


def balance_aggregates(today: date) -> dict[str, Coalesce]:
    net = F("credit") - F("debit")
    earning = ~Q(kind=EntryKind.PAYOUT)
    unallocated = Q(payout_item__isnull=True)
    return {
        "earned": sum_of("credit", Q(kind=EntryKind.ACCRUAL)),
        "voided": sum_of("debit", Q(kind__in=[EntryKind.REVERSAL, EntryKind.CLAWBACK])),
        "adjusted": sum_of(net, Q(kind=EntryKind.ADJUSTMENT)),
        "paid": sum_of("debit", Q(kind=EntryKind.PAYOUT)),
        "pending": sum_of(net, earning & unallocated & Q(eligible_from__gt=today)),
        "payable": sum_of(net, earning & unallocated & Q(eligible_from__lte=today)),
        "requested": sum_of(
            net, earning & Q(payout_item__request__status__in=OPEN_REQUEST_STATUSES)
        ),
    }


def balance_of(entries: QuerySet[CommissionEntry], *, today: date | None = None) -> Balance:
    """The balance of these entries (one partnership's, a portfolio's, a tenant's)."""
    totals = entries.aggregate(**balance_aggregates(today or timezone.localdate()))
    return Balance(**{name: totals[name] for name in FIGURES})


def balances_by_partnership(
    entries: QuerySet[CommissionEntry], *, today: date | None = None
) -> dict[int, Balance]:
    """{partnership id: its balance}, one grouped query."""
    rows = (
        entries.order_by()
        .values("partnership_id")
        .annotate(**balance_aggregates(today or timezone.localdate()))
    )
    return {row["partnership_id"]: Balance(**{name: row[name] for name in FIGURES}) for row in rows}
