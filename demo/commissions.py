"""A year of commission history, built through the services after the demo orders.

The orders' completions and returns already wrote the accruals and reversals (the hooks).
This adds what follows them: payout details, a payout run at the end of each month that
paid whatever was payable (requested, approved into a batch, paid by the bank), a return
after payout (a clawback netted against the next payout), an owner's adjustment, one open
payout request and, because the daily job has not run, commissions past their holding
period waiting for it. Idempotent: a tenant that already has payout requests is skipped.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import Manufacturer, Role, User
from catalog.models import ProductKind
from channel.models import Partnership, PartnershipStatus
from commissions.models import (
    CommissionEntry,
    EntryKind,
    PayoutDetails,
    PayoutItem,
    PayoutRequestStatus,
)
from commissions.selectors.balances import balance_of
from commissions.services.ledger import CommissionRefused, commission_adjust
from commissions.services.payouts import (
    payout_batch_approve,
    payout_batch_mark_paid,
    payout_details_save,
    payout_request_create,
)
from orders.models import OrderLine
from orders.selectors.orders import returned_quantities
from orders.services.orders import ReturnLineRequest, order_return_create

if TYPE_CHECKING:
    from demo.channel import DemoReport

# Valid IBANs (check digits and formats), of the kind banks print in their examples.
IBANS = [
    "DE89370400440532013000",
    "AT611904300234573201",
    "NL91ABNA0417164300",
    "ES9121000418450200051332",
    "CH9300762011623852957",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
    "DK5000400440116243",
]


def _moment(day: datetime, hour: int) -> datetime:
    return datetime.combine(day.date(), time(hour), tzinfo=timezone.get_current_timezone())


def build_demo_commissions(report: "DemoReport") -> None:
    now = timezone.now()
    for manufacturer in Manufacturer.objects.order_by("slug"):
        if PayoutDetails.objects.filter(manufacturer=manufacturer).exists():
            continue  # loaded before
        owner = manufacturer.memberships.filter(role=Role.OWNER).select_related("user").first()
        if owner is None:
            continue
        partnerships = list(
            Partnership.objects.filter(
                manufacturer=manufacturer,
                status=PartnershipStatus.ACTIVE,
                commission_entries__isnull=False,
            )
            .distinct()
            .select_related("reseller", "manufacturer")
            .order_by("reseller__name")
        )
        for index, partnership in enumerate(partnerships):
            payout_details_save(
                partnership=partnership,
                account_holder=partnership.reseller.name,
                iban=IBANS[index % len(IBANS)],
                updated_by=None,
            )
        _monthly_payouts(manufacturer, partnerships, owner.user, now, report)
        _clawback_after_payout(manufacturer, owner.user, now, report)
        if partnerships:
            commission_adjust(
                partnership=partnerships[0],
                amount=Decimal("25.00"),
                reason="Launch bonus for the spring campaign",
                created_by=owner.user,
                at=now - timedelta(days=40),
            )
            report.count("commission adjustments")
        _open_request(partnerships, now, report)


def _monthly_payouts(
    manufacturer: Manufacturer,
    partnerships: list[Partnership],
    owner: User,
    now: datetime,
    report: "DemoReport",
) -> None:
    """At the end of each month from a year ago until last month, pay what was payable."""
    for months_ago in range(11, 0, -1):
        run = _moment(now - timedelta(days=30 * months_ago), 10)
        requests = []
        for partnership in partnerships:
            entries = CommissionEntry.objects.filter(partnership=partnership)
            payable = balance_of(entries, today=run.date()).payable
            try:
                requests.append(
                    payout_request_create(
                        partnership=partnership, amount=payable, requested_by=None, at=run
                    )
                )
            except CommissionRefused:
                continue  # below the minimum, or nothing payable yet
        if not requests:
            continue
        batch = payout_batch_approve(
            manufacturer=manufacturer,
            request_ids=[r.pk for r in requests],
            approved_by=owner,
            at=run + timedelta(hours=2),
        )
        payout_batch_mark_paid(
            batch=batch,
            reference=f"SEPA-{run:%Y%m}-{batch.pk:04d}",
            paid_by=owner,
            at=run + timedelta(days=2),
        )
        report.count("payout batches")
        report.count("payouts", len(requests))


def _clawback_after_payout(
    manufacturer: Manufacturer, owner: User, now: datetime, report: "DemoReport"
) -> None:
    """A speaker of a paid order came back: the commission is clawed back."""
    paid = (
        PayoutItem.objects.filter(
            manufacturer=manufacturer,
            request__status=PayoutRequestStatus.PAID,
            entry__kind=EntryKind.ACCRUAL,
            entry__order__isnull=False,
        )
        .select_related("entry__order")
        .order_by("-entry__created_at")
    )
    for item in paid[:30]:
        order = item.entry.order
        if order is None or order.returns.exists():
            continue
        already = returned_quantities(order)
        line = next(
            (
                line
                for line in OrderLine.objects.filter(
                    order=order, product__kind=ProductKind.PHYSICAL
                )
                if line.quantity > already.get(line.pk, 0)
            ),
            None,
        )
        if line is None:
            continue
        order_return_create(
            order=order,
            lines=[ReturnLineRequest(order_line_id=line.pk, quantity=1)],
            created_by=owner,
            reason="Returned after the commission was paid.",
            returned_at=now - timedelta(days=6),
        )
        report.count("clawbacks")
        return


def _open_request(partnerships: list[Partnership], now: datetime, report: "DemoReport") -> None:
    """One reseller has asked for its payable balance and waits for approval (not the
    flagship reseller, so its demo user can request a payout itself)."""
    from demo.channel import FLAGSHIP_RESELLER_ID

    for partnership in partnerships:
        if partnership.reseller.public_id == FLAGSHIP_RESELLER_ID:
            continue
        at = now - timedelta(days=2)
        entries = CommissionEntry.objects.filter(partnership=partnership)
        payable = balance_of(entries, today=timezone.localdate(at)).payable
        try:
            payout_request_create(partnership=partnership, amount=payable, requested_by=None, at=at)
        except CommissionRefused:
            continue
        report.count("open payout requests")
        return
