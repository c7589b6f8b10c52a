"""The reseller dashboard's home figures (the intelPlug manual's list): per manufacturer the
affiliate link, orders and their value, earnings, pending earnings, the commission rate,
paid and still to be paid; customers managed; customers and commissions per month.

A fixed number of grouped queries (the rates of every manufacturer, tiers' included, in
two), whatever the number of manufacturers, entries, orders or customers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Reseller
from channel.models import EndCustomer, Partnership
from commissions.models import ZERO, CommissionEntry, EntryKind
from commissions.selectors.balances import Balance, balances_by_partnership
from commissions.services.ledger import partnership_rates_on
from core import formatting
from orders.models import Order
from orders.workflow import SALES_STATUSES
from resellers.models import AffiliateLink

MONTHS = 12


@dataclass(frozen=True)
class PartnerEarnings:
    partnership: Partnership
    balance: Balance
    orders: int
    order_value: Decimal
    rate: Decimal
    affiliate_url: str


@dataclass(frozen=True)
class ResellerEarnings:
    partners: list[PartnerEarnings]
    customers: int
    months: list[dict[str, Any]]
    chart_customers: dict[str, Any]
    chart_commissions: dict[str, Any]


def month_starts(today: date, count: int = MONTHS) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _i in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def reseller_earnings(*, reseller: Reseller, today: date | None = None) -> ResellerEarnings:
    today = today or timezone.localdate()
    partnerships = list(
        Partnership.objects.filter(reseller=reseller)
        .select_related("manufacturer")
        .order_by("manufacturer__name")
    )
    ids = [p.pk for p in partnerships]
    entries = CommissionEntry.objects.filter(partnership_id__in=ids)
    balances = balances_by_partnership(entries, today=today)
    orders = {
        row["partnership_id"]: row
        for row in Order.objects.filter(
            partnership_id__in=ids, status__in=SALES_STATUSES, reseller=reseller
        )
        .order_by()
        .values("partnership_id")
        .annotate(count=Count("pk"), value=Sum("total"))
    }
    links = {
        link.partnership_id: link.token
        for link in AffiliateLink.objects.filter(partnership_id__in=ids, retired_at__isnull=True)
    }
    rates = partnership_rates_on(partnerships=partnerships, on=today)
    partners = [
        PartnerEarnings(
            partnership=p,
            balance=balances.get(p.pk, Balance()),
            orders=orders.get(p.pk, {}).get("count", 0),
            order_value=orders.get(p.pk, {}).get("value") or ZERO,
            rate=rates[p.pk][0],
            affiliate_url=reverse("resellers_public:join", kwargs={"token": links[p.pk]})
            if p.pk in links
            else "",
        )
        for p in partnerships
    ]
    starts = month_starts(today)
    first = starts[0]
    customers = EndCustomer.objects.filter(reseller=reseller)
    new_customers = {
        row["month"].date(): row["n"]
        for row in customers.filter(created_at__date__gte=first)
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    earned: dict[tuple[int, date], Decimal] = {}
    for row in (
        entries.filter(created_at__date__gte=first)
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("partnership_id", "month")
        .annotate(
            earned=Sum("credit", filter=Q(kind=EntryKind.ACCRUAL)),
            voided=Sum("debit", filter=Q(kind__in=[EntryKind.REVERSAL, EntryKind.CLAWBACK])),
        )
    ):
        earned[(row["partnership_id"], row["month"].date())] = (row["earned"] or ZERO) - (
            row["voided"] or ZERO
        )
    labels = [formatting.local_month(start, "short") for start in starts]
    months = [
        {
            "start": start,
            "customers": new_customers.get(start, 0),
            "commissions": [earned.get((p.pk, start), ZERO) for p in partnerships],
        }
        for start in starts
    ]
    return ResellerEarnings(
        partners=partners,
        customers=customers.count(),
        months=months,
        chart_customers={
            "type": "bar",
            "labels": labels,
            "datasets": [
                {
                    "type": "line",
                    "label": _("New customers"),
                    "data": [m["customers"] for m in months],
                }
            ],
            "axes": {"y": {"precision": 0}},
        },
        chart_commissions={
            "type": "bar",
            "labels": labels,
            "datasets": [
                {
                    "type": "bar",
                    "label": f"{p.manufacturer.name} ({p.manufacturer.currency})",
                    "data": [str(m["commissions"][i]) for m in months],
                    "borderRadius": 4,
                }
                for i, p in enumerate(partnerships)
            ],
        },
    )
