"""The reseller's Statistics: sales, commissions and customers (who buys, who repeats) with
one manufacturer over a chosen period. Grouped queries only."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from channel.models import Partnership
from commissions.models import ZERO, CommissionEntry, EntryKind
from core import formatting
from orders.models import Order
from orders.workflow import SALES_STATUSES


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


@dataclass(frozen=True)
class Report:
    period: Period
    months: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    total_orders: int
    total_sales: Decimal
    total_commission: Decimal
    buyers: int
    repeat_buyers: int
    chart: dict[str, Any]


def default_period(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(start=today - timedelta(days=89), end=today)


def reseller_report(*, partnership: Partnership, period: Period) -> Report:
    start, end = period.bounds()
    orders = Order.objects.filter(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        status__in=SALES_STATUSES,
        created_at__gte=start,
        created_at__lt=end,
    )
    entries = CommissionEntry.objects.filter(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        created_at__gte=start,
        created_at__lt=end,
    )
    sales = {
        row["month"].date(): row
        for row in orders.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(orders=Count("pk"), value=Sum("total"))
    }
    commissions = {
        row["month"].date(): row
        for row in entries.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(
            earned=Sum("credit", filter=Q(kind=EntryKind.ACCRUAL)),
            voided=Sum("debit", filter=Q(kind__in=[EntryKind.REVERSAL, EntryKind.CLAWBACK])),
        )
    }
    months = []
    cursor = period.start.replace(day=1)
    while cursor <= period.end:
        sale = sales.get(cursor, {})
        commission = commissions.get(cursor, {})
        months.append(
            {
                "start": cursor,
                "orders": sale.get("orders", 0),
                "sales": sale.get("value") or ZERO,
                "earned": commission.get("earned") or ZERO,
                "voided": commission.get("voided") or ZERO,
            }
        )
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    customers = list(
        orders.filter(end_customer__isnull=False)
        .order_by()
        .values("end_customer_id", "end_customer__name", "end_customer__company")
        .annotate(orders=Count("pk"), value=Sum("total"))
        .order_by("-value", "end_customer__name")
    )
    for row in customers:
        row["repeats"] = row["orders"] > 1
    return Report(
        period=period,
        months=months,
        customers=customers,
        total_orders=sum(m["orders"] for m in months),
        total_sales=sum((m["sales"] for m in months), ZERO),
        total_commission=sum((m["earned"] - m["voided"] for m in months), ZERO),
        buyers=len(customers),
        repeat_buyers=sum(1 for row in customers if row["repeats"]),
        chart={
            "type": "bar",
            "labels": [formatting.local_month(m["start"], "short") for m in months],
            "datasets": [
                {
                    "type": "bar",
                    "label": _("Sales"),
                    "data": [str(m["sales"]) for m in months],
                    "borderRadius": 4,
                },
                {
                    "type": "line",
                    "label": _("Commission"),
                    "data": [str(m["earned"] - m["voided"]) for m in months],
                },
            ],
        },
    )
