"""Partner metrics, computed in the database: a handful of aggregate queries per period,
whatever the number of partners and orders (never a loop over orders in Python).

The figures of a partnership for a period [start, end):

- orders: orders created in the period, except those still awaiting payment (not placed yet);
- accepted: of those, the ones the manufacturer accepted at some point (the timeline has a
  move to "accepted"), even if later cancelled; rejected: the ones it rejected;
- acceptance rate: accepted ÷ (accepted + rejected), the share of decided orders accepted;
- completion rate: completed ÷ orders; cancellation rate: cancelled ÷ orders;
- order value: the sum of the totals of orders neither cancelled nor rejected, and the
  average order value is that sum ÷ their number;
- returns: the amount of returns recorded in the period on the partnership's orders;
- new end customers: distinct end customers of the period's orders whose first order
  through this partnership falls in the period; repeat: the other distinct end customers;
- satisfaction: the average of the staff ratings (1–5) of the period's orders; address
  accuracy: orders whose address was right ÷ orders whose address was checked;
- category mix: order value per product category;
- response time: how long the partner took to answer the manufacturer's messages, on
  average over its replies of the period, in hours (`channel.responses`: the messages live
  in communications);
- growth: orders against the previous period of the same length, in %.

A rate whose denominator is zero is None ("no orders"), never 0 %.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Manufacturer
from catalog.pricing import quantize_money
from channel.responses import partner_responses
from core.bounds import MAX_DELTA_PERCENT
from orders.models import Order, OrderLine, OrderReturn, OrderStatus, OrderStatusChange
from partners.models import MAX_RESPONSE_HOURS, OrderRating

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
RATE_PLACES = Decimal("0.01")
NOT_SOLD = (OrderStatus.CANCELLED, OrderStatus.REJECTED)
ACCEPTED_STATUSES = (OrderStatus.ACCEPTED, OrderStatus.FULFILLED, OrderStatus.COMPLETED)


def rate(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in %, to two places; None when `whole` is zero."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(RATE_PLACES, ROUND_HALF_UP)


def growth(current: int, previous: int) -> Decimal | None:
    """The change from `previous` to `current` in %, bounded; None when `previous` is zero."""
    if not previous:
        return None
    change = (Decimal(current - previous) * HUNDRED / Decimal(previous)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    return max(min(change, MAX_DELTA_PERCENT), -MAX_DELTA_PERCENT)


@dataclass
class Figures:
    """One partnership's figures for one period (a month or any chosen range)."""

    orders: int = 0
    accepted: int = 0
    completed: int = 0
    cancelled: int = 0
    rejected: int = 0
    sold: int = 0  # neither cancelled nor rejected
    revenue: Decimal = ZERO
    returns_amount: Decimal = ZERO
    new_customers: int = 0
    repeat_customers: int = 0
    rated_orders: int = 0
    satisfaction: Decimal | None = None
    address_checked: int = 0
    address_accurate: int = 0
    category_mix: dict[str, Decimal] = field(default_factory=dict)
    responses: int = 0  # replies to the manufacturer's messages
    response_hours: Decimal | None = None  # their average wait, in hours

    @property
    def acceptance_rate(self) -> Decimal | None:
        return rate(self.accepted, self.accepted + self.rejected)

    @property
    def completion_rate(self) -> Decimal | None:
        return rate(self.completed, self.orders)

    @property
    def cancellation_rate(self) -> Decimal | None:
        return rate(self.cancelled, self.orders)

    @property
    def average_order_value(self) -> Decimal:
        return quantize_money(self.revenue / self.sold) if self.sold else ZERO

    @property
    def address_accuracy(self) -> Decimal | None:
        return rate(self.address_accurate, self.address_checked)


# (partnership id, month) for monthly figures; (partnership id, None) for a period's.
Key = tuple[int, date | None]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _period_orders(
    *, manufacturer: Manufacturer, start: datetime, end: datetime, partnership_ids: list[int] | None
) -> QuerySet[Order]:
    orders = Order.objects.filter(
        manufacturer=manufacturer, created_at__gte=start, created_at__lt=end
    ).exclude(status=OrderStatus.AWAITING_PAYMENT)
    if partnership_ids is not None:
        orders = orders.filter(partnership_id__in=partnership_ids)
    return orders


def order_count(
    *, manufacturer: Manufacturer, start: datetime, end: datetime, partnership_ids: list[int]
) -> int:
    """The orders of a period as `Figures.orders` counts them, in one query (for growth)."""
    return _period_orders(
        manufacturer=manufacturer, start=start, end=end, partnership_ids=partnership_ids
    ).count()


def _group(queryset: QuerySet[Any], date_field: str, by_month: bool) -> QuerySet[Any]:
    if by_month:
        return queryset.annotate(period=TruncMonth(date_field)).values("partnership_id", "period")
    return queryset.values("partnership_id")


def _key(row: dict[str, Any], by_month: bool) -> Key:
    return (row["partnership_id"], _as_date(row["period"]) if by_month else None)


def compute_figures(
    *,
    manufacturer: Manufacturer,
    start: datetime,
    end: datetime,
    by_month: bool,
    partnership_ids: Iterable[int] | None = None,
) -> dict[Key, Figures]:
    """The figures of every partnership of the tenant with activity in [start, end), per
    month (`by_month`) or for the whole period. Six aggregate queries.

    Partnerships with no activity are absent: their figures are `Figures()`.
    """
    ids = None if partnership_ids is None else list(partnership_ids)
    figures: dict[Key, Figures] = {}

    def at(key: Key) -> Figures:
        return figures.setdefault(key, Figures())

    orders = _period_orders(manufacturer=manufacturer, start=start, end=end, partnership_ids=ids)
    ever_accepted = Exists(
        OrderStatusChange.objects.filter(order_id=OuterRef("pk"), to_status=OrderStatus.ACCEPTED)
    )
    # Django cannot aggregate an EXISTS directly: annotate, then count.
    order_rows = _group(
        orders.annotate(was_accepted=ever_accepted), "created_at", by_month
    ).annotate(
        n_orders=Count("pk"),
        # Only a cancelled order needs its timeline read: the others' status says it.
        n_accepted=Count(
            "pk",
            filter=Q(status__in=ACCEPTED_STATUSES)
            | Q(status=OrderStatus.CANCELLED, was_accepted=True),
        ),
        n_completed=Count("pk", filter=Q(status=OrderStatus.COMPLETED)),
        n_cancelled=Count("pk", filter=Q(status=OrderStatus.CANCELLED)),
        n_rejected=Count("pk", filter=Q(status=OrderStatus.REJECTED)),
        n_sold=Count("pk", filter=~Q(status__in=NOT_SOLD)),
        revenue=Sum("total", filter=~Q(status__in=NOT_SOLD)),
        n_customers=Count("end_customer_id", distinct=True),
    )
    for row in order_rows.order_by():
        item = at(_key(row, by_month))
        item.orders = row["n_orders"]
        item.accepted = row["n_accepted"]
        item.completed = row["n_completed"]
        item.cancelled = row["n_cancelled"]
        item.rejected = row["n_rejected"]
        item.sold = row["n_sold"]
        item.revenue = row["revenue"] or ZERO
        item.repeat_customers = row["n_customers"]  # less the new ones, below
    for key, new in _new_customers(
        manufacturer=manufacturer, start=start, end=end, by_month=by_month, partnership_ids=ids
    ).items():
        item = at(key)
        item.new_customers = new
        item.repeat_customers -= new

    ratings = OrderRating.objects.filter(order__in=orders.values("pk")).annotate(
        partnership_id=F("order__partnership_id")
    )
    rating_rows = _group(ratings, "order__created_at", by_month).annotate(
        n_rated=Count("pk", filter=Q(satisfaction__isnull=False)),
        avg_satisfaction=Avg("satisfaction"),
        n_checked=Count("pk", filter=Q(address_accurate__isnull=False)),
        n_accurate=Count("pk", filter=Q(address_accurate=True)),
    )
    for row in rating_rows.order_by():
        item = at(_key(row, by_month))
        item.rated_orders = row["n_rated"]
        average = row["avg_satisfaction"]
        item.satisfaction = (
            None if average is None else Decimal(str(average)).quantize(RATE_PLACES, ROUND_HALF_UP)
        )
        item.address_checked = row["n_checked"]
        item.address_accurate = row["n_accurate"]

    returns = OrderReturn.objects.filter(
        manufacturer=manufacturer, returned_at__gte=start, returned_at__lt=end
    ).annotate(partnership_id=F("order__partnership_id"))
    if ids is not None:
        returns = returns.filter(order__partnership_id__in=ids)
    for row in _group(returns, "returned_at", by_month).annotate(amount=Sum("amount")).order_by():
        at(_key(row, by_month)).returns_amount = row["amount"] or ZERO

    lines = OrderLine.objects.filter(
        order__in=orders.exclude(status__in=NOT_SOLD).values("pk")
    ).annotate(partnership_id=F("order__partnership_id"))
    line_rows = (
        _group(lines, "order__created_at", by_month)
        .annotate(category=F("product__category__name"))
        .values(*(["partnership_id", "period"] if by_month else ["partnership_id"]), "category")
        .annotate(amount=Sum("line_total"))
        .order_by()
    )
    for row in line_rows:
        mix = at(_key(row, by_month)).category_mix
        name = row["category"] or ""
        mix[name] = mix.get(name, ZERO) + (row["amount"] or ZERO)

    for key, answered in partner_responses(
        manufacturer_id=manufacturer.pk,
        start=start,
        end=end,
        by_month=by_month,
        partnership_ids=ids,
    ).items():
        item = at(key)
        item.responses = answered.replies
        item.response_hours = hours(answered.average)
    return figures


def hours(wait: timedelta | None) -> Decimal | None:
    """A wait in hours, to one place, bounded by what a scorecard stores."""
    if wait is None:
        return None
    value = (Decimal(wait.total_seconds()) / Decimal(3600)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return min(max(value, Decimal("0.0")), MAX_RESPONSE_HOURS)


def _new_customers(
    *,
    manufacturer: Manufacturer,
    start: datetime,
    end: datetime,
    by_month: bool,
    partnership_ids: list[int] | None,
) -> dict[Key, int]:
    """How many end customers placed their first order through a partnership in the period
    (per month of that first order): one grouped query over the orders before `end`."""
    orders = Order.objects.filter(
        manufacturer=manufacturer, created_at__lt=end, end_customer_id__isnull=False
    ).exclude(status=OrderStatus.AWAITING_PAYMENT)
    if partnership_ids is not None:
        orders = orders.filter(partnership_id__in=partnership_ids)
    firsts = (
        orders.values("partnership_id", "end_customer_id")
        .annotate(first=Min("created_at"))
        .filter(first__gte=start)
        .values_list("partnership_id", "first")
        .order_by()
    )
    counts: dict[Key, int] = {}
    for partnership_id, first in firsts:
        key = (partnership_id, month_start(_as_date(first)) if by_month else None)
        counts[key] = counts.get(key, 0) + 1
    return counts
