"""Reads of the ledger for the pages: entries that explain themselves, breakdowns by order
and by customer, the manufacturer's overview. A list a sales rep may open narrows to the
portfolio through `channel.visibility`; every figure is a grouped sum, so the number of
queries of a page does not grow with the number of entries."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership
from channel.models import Partnership
from channel.visibility import partnership_visibility_q
from commissions.models import (
    OPEN_REQUEST_STATUSES,
    CommissionEntry,
    EntryKind,
    PayoutBatch,
    PayoutDetails,
    PayoutRequest,
    PayoutRequestStatus,
    RateRule,
)
from commissions.selectors.balances import Balance, balance_of, balances_by_partnership, sum_of

EXPLAINED = (
    "order__end_customer",
    "reverses",
    "payout_item__request__batch",
    "payout_request__batch",
)


def partnership_entries(partnership: Partnership) -> QuerySet[CommissionEntry]:
    return (
        CommissionEntry.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership
        )
        .select_related(*EXPLAINED)
        .prefetch_related("window_extensions")
        .order_by("-created_at", "-pk")
    )


def entries_visible_to(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[CommissionEntry]:
    """The tenant's entries this member may see: all for staff, a seller's portfolio."""
    return CommissionEntry.objects.filter(manufacturer=manufacturer).filter(
        partnership_visibility_q(membership, prefix="partnership__")
    )


def entry_status(entry: CommissionEntry, *, today: date) -> str:
    """Where the entry's money is: pending, payable, requested, paid or (a payout) paid out."""
    if entry.kind == EntryKind.PAYOUT:
        return _("paid out")
    item = getattr(entry, "payout_item", None)
    if item is not None:
        return _("paid") if item.request.status == PayoutRequestStatus.PAID else _("requested")
    return _("payable") if entry.eligible_from <= today else _("pending")


def explain(entry: CommissionEntry) -> str:
    """What the entry says to the reseller: the rule, the frozen rate, the reason."""
    if entry.kind == EntryKind.ACCRUAL:
        rule = RateRule(entry.rule).label if entry.rule in RateRule.values else ""
        if entry.rule == RateRule.CATEGORY and entry.rule_detail:
            rule = _("the rate of the category “%(name)s”") % {"name": entry.rule_detail}
        return _("%(rate)s%% of %(base)s %(currency)s, %(rule)s (rate frozen on completion)") % {
            "rate": entry.rate,
            "base": entry.base,
            "currency": entry.currency,
            "rule": rule,
        }
    if entry.kind == EntryKind.REVERSAL:
        return _("%(reason)s before payout: the commission was not paid") % {"reason": entry.reason}
    if entry.kind == EntryKind.CLAWBACK:
        return _("%(reason)s after payout: netted against your next payout") % {
            "reason": entry.reason
        }
    if entry.kind == EntryKind.ADJUSTMENT:
        return _("Adjustment: %(reason)s") % {"reason": entry.reason}
    return entry.reason


@dataclass
class ExplainedEntry:
    entry: CommissionEntry
    explanation: str
    status: str
    pay_by: date | None
    extension_reason: str


def explained(entries: list[CommissionEntry], *, today: date | None = None) -> list[ExplainedEntry]:
    today = today or timezone.localdate()
    rows = []
    for entry in entries:
        extensions = sorted(entry.window_extensions.all(), key=lambda x: (x.created_at, x.pk))
        rows.append(
            ExplainedEntry(
                entry=entry,
                explanation=explain(entry),
                status=entry_status(entry, today=today),
                pay_by=extensions[-1].pay_by if extensions else entry.pay_by,
                extension_reason=extensions[-1].reason if extensions else "",
            )
        )
    return rows


def by_order(entries: QuerySet[CommissionEntry]) -> QuerySet[CommissionEntry, dict[str, Any]]:
    """One row per order: earned, voided and net."""
    return (
        entries.filter(order__isnull=False)
        .order_by()
        .values("order_id", "order__number", "order__end_customer__name")
        .annotate(
            earned=sum_of("credit", Q(kind=EntryKind.ACCRUAL)),
            voided=sum_of("debit", Q(kind__in=[EntryKind.REVERSAL, EntryKind.CLAWBACK])),
            net_total=Sum(F("credit") - F("debit")),
            completed=Max("created_at", filter=Q(kind=EntryKind.ACCRUAL)),
        )
        .order_by("-completed", "-order_id")
    )


def by_customer(entries: QuerySet[CommissionEntry]) -> QuerySet[CommissionEntry, dict[str, Any]]:
    """One row per end customer: orders that earned, earned, voided and net."""
    return (
        entries.filter(order__end_customer__isnull=False)
        .order_by()
        .values("order__end_customer_id", "order__end_customer__name")
        .annotate(
            orders=Count("order", distinct=True),
            earned=sum_of("credit", Q(kind=EntryKind.ACCRUAL)),
            voided=sum_of("debit", Q(kind__in=[EntryKind.REVERSAL, EntryKind.CLAWBACK])),
            net_total=Sum(F("credit") - F("debit")),
        )
        .order_by("-net_total", "order__end_customer__name")
    )


def partnership_requests(partnership: Partnership) -> QuerySet[PayoutRequest]:
    return PayoutRequest.objects.filter(
        manufacturer_id=partnership.manufacturer_id, partnership=partnership
    ).select_related("batch")


def payout_details_of(partnership: Partnership) -> PayoutDetails | None:
    return PayoutDetails.objects.filter(partnership=partnership).first()


# --- the manufacturer's side --------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    balance: Balance
    due_this_week: Decimal
    overdue: Decimal
    requested: Decimal
    paid_this_month: Decimal


# Accruals not paid yet (none allocated, or allocated to a request still open).
UNPAID = Q(kind=EntryKind.ACCRUAL) & (
    Q(payout_item__isnull=True) | Q(payout_item__request__status__in=OPEN_REQUEST_STATUSES)
)


def week_end(today: date) -> date:
    """The Sunday that ends this week: "due this week" is a pay-by date up to it."""
    return today + timedelta(days=7 - today.isoweekday())


def manufacturer_overview(entries: QuerySet[CommissionEntry], *, today: date) -> Overview:
    """What is owed and when: accruals not paid whose pay-by date is this week or past."""
    month_start = today.replace(day=1)
    unpaid = UNPAID
    totals = entries.aggregate(
        due=sum_of("credit", unpaid & Q(pay_by__gte=today, pay_by__lte=week_end(today))),
        overdue=sum_of("credit", unpaid & Q(pay_by__lt=today)),
        paid_month=sum_of("debit", Q(kind=EntryKind.PAYOUT, eligible_from__gte=month_start)),
    )
    balance = balance_of(entries, today=today)
    return Overview(
        balance=balance,
        due_this_week=totals["due"],
        overdue=totals["overdue"],
        requested=balance.requested,
        paid_this_month=totals["paid_month"],
    )


@dataclass(frozen=True)
class ResellerRow:
    partnership: Partnership
    balance: Balance


def by_reseller(
    entries: QuerySet[CommissionEntry], partnerships: QuerySet[Partnership], *, today: date
) -> list[ResellerRow]:
    balances = balances_by_partnership(entries, today=today)
    rows = [
        ResellerRow(partnership=p, balance=balances[p.pk])
        for p in partnerships.filter(pk__in=list(balances)).select_related("reseller")
    ]
    return sorted(rows, key=lambda row: (-row.balance.owed, row.partnership.reseller.name))


@dataclass(frozen=True)
class DueRow:
    partnership: Partnership
    due: Decimal
    overdue: Decimal
    pay_by: date


def due_by_reseller(
    entries: QuerySet[CommissionEntry], partnerships: QuerySet[Partnership], *, today: date
) -> list[DueRow]:
    """Who is due a payout this week: per reseller, the unpaid accruals whose pay-by date
    falls this week (`due`) or has passed (`overdue`), the earliest pay-by date first. Two
    queries, the figures grouped like the overview's."""
    totals = (
        entries.filter(UNPAID, pay_by__lte=week_end(today))
        .order_by()
        .values("partnership_id")
        .annotate(
            due=sum_of("credit", Q(pay_by__gte=today)),
            overdue=sum_of("credit", Q(pay_by__lt=today)),
            first=Min("pay_by"),
        )
    )
    by_id = {row["partnership_id"]: row for row in totals}
    rows = [
        DueRow(
            partnership=p,
            due=by_id[p.pk]["due"],
            overdue=by_id[p.pk]["overdue"],
            pay_by=by_id[p.pk]["first"],
        )
        for p in partnerships.filter(pk__in=list(by_id)).select_related("reseller")
    ]
    return sorted(rows, key=lambda row: (row.pay_by, row.partnership.reseller.name))


def open_requests(*, manufacturer: Manufacturer) -> QuerySet[PayoutRequest]:
    return (
        PayoutRequest.objects.filter(
            manufacturer=manufacturer, status=PayoutRequestStatus.REQUESTED
        )
        .select_related("partnership__reseller", "partnership__payout_details")
        .order_by("-origin", "created_at", "pk")
    )


def batches(*, manufacturer: Manufacturer) -> QuerySet[PayoutBatch]:
    return (
        PayoutBatch.objects.filter(manufacturer=manufacturer)
        .annotate(total=sum_of("requests__amount", Q()), count=Count("requests"))
        .select_related("approved_by", "paid_by")
        .order_by("-approved_at", "-pk")
    )


def access_batch(*, manufacturer: Manufacturer, batch_id: int) -> PayoutBatch:
    batch = PayoutBatch.objects.filter(manufacturer=manufacturer, pk=batch_id).first()
    if batch is None:
        raise Http404(_("No such payout batch."))
    return batch


def batch_requests(batch: PayoutBatch) -> QuerySet[PayoutRequest]:
    return (
        PayoutRequest.objects.filter(manufacturer_id=batch.manufacturer_id, batch=batch)
        .select_related("partnership__reseller", "partnership__payout_details")
        .order_by("partnership__reseller__name", "pk")
    )


def access_entry(*, entries: QuerySet[CommissionEntry], entry_id: int) -> CommissionEntry:
    entry = entries.filter(pk=entry_id).first()
    if entry is None:
        raise Http404(_("No such commission entry."))
    return entry
