"""Reads of the stored scorecards: the leaderboard and one partner's monthly history.

The leaderboard is one grouped query over the stored rows of the chosen months (plus the
pager's count), whatever the number of partners and orders; a partner's history is one
query for its months.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer
from channel.models import Partnership
from channel.selectors import dangerously_all_partnerships
from orders.models import Order
from partners.metrics import ZERO, add_months, growth, month_start
from partners.models import PartnerTier, Scorecard

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PERIOD_MONTHS = (1, 3, 6, 12)
DEFAULT_PERIOD_MONTHS = 3
HISTORY_MONTHS = 12

LEADERBOARD_SORTS = {
    "name": "reseller__name",
    "orders": "period_orders",
    "revenue": "period_revenue",
    "completion": "period_completion",
    "cancellation": "period_cancellation",
    "acceptance": "period_acceptance",
    "satisfaction": "period_satisfaction",
    "response": "period_response_hours",
    "growth": "period_growth",
}


def period_months(value: str | None) -> int:
    """The leaderboard's period in months: one of PERIOD_MONTHS, else the default."""
    try:
        months = int(value or "")
    except ValueError:
        return DEFAULT_PERIOD_MONTHS
    return months if months in PERIOD_MONTHS else DEFAULT_PERIOD_MONTHS


@dataclass(frozen=True)
class Months:
    first: date  # the period's first month
    last: date  # the current month
    latest_full: date  # the last complete month, for month-over-month growth
    before: date  # the month before it


def leaderboard_months(*, months: int, today: date | None = None) -> Months:
    current = month_start(today or timezone.localdate())
    latest_full = add_months(current, -1)
    return Months(
        first=add_months(current, -(months - 1)),
        last=current,
        latest_full=latest_full,
        before=add_months(latest_full, -1),
    )


class LeaderboardFigures(TypedDict):
    period_orders: int
    period_accepted: int
    period_rejected: int
    period_completed: int
    period_cancelled: int
    period_rated: int
    period_revenue: Decimal
    latest_orders: int
    before_orders: int
    tier_name: str | None
    period_completion: Decimal | None
    period_cancellation: Decimal | None
    period_acceptance: Decimal | None
    period_satisfaction: Decimal | None
    period_responses: int
    period_response_hours: Decimal | None
    period_growth: Decimal | None


def _percent(part: Any, whole: Any) -> "ExpressionWrapper[Any]":
    decimal: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    return ExpressionWrapper(
        Cast(part, decimal) * Value(Decimal("100")) / NullIf(Cast(whole, decimal), Value(0)),
        output_field=decimal,
    )


def leaderboard(
    *, manufacturer: Manufacturer, months: Months, query: str = "", show: str = ""
) -> "QuerySet[WithAnnotations[Partnership, LeaderboardFigures]]":
    """Every partnership of the tenant with its figures over the months, from the stored
    scorecards (staff-only page: the whole tenant). `show="slipping"`: only those with fewer
    orders in the last complete month than in the month before."""
    in_period = Q(scorecards__month__gte=months.first, scorecards__month__lte=months.last)

    def total(name: str, condition: Q = in_period) -> Coalesce:
        return Coalesce(
            Sum(f"scorecards__{name}", filter=condition), Value(0), output_field=IntegerField()
        )

    decimal: DecimalField[Decimal, Decimal] = DecimalField(max_digits=24, decimal_places=2)
    rows = (
        dangerously_all_partnerships(manufacturer=manufacturer)
        .select_related("reseller")
        .annotate(
            period_orders=total("orders"),
            period_accepted=total("accepted"),
            period_rejected=total("rejected"),
            period_completed=total("completed"),
            period_cancelled=total("cancelled"),
            period_rated=total("rated_orders"),
            period_revenue=Coalesce(
                Sum("scorecards__revenue", filter=in_period), Value(ZERO), output_field=decimal
            ),
            period_satisfaction_points=Sum(
                F("scorecards__satisfaction") * F("scorecards__rated_orders"), filter=in_period
            ),
            period_responses=total("responses"),
            period_response_points=Sum(
                F("scorecards__response_hours") * F("scorecards__responses"), filter=in_period
            ),
            tier_name=Subquery(
                PartnerTier.objects.filter(partnership_id=OuterRef("pk")).values("tier__name")[:1]
            ),
            latest_orders=total("orders", Q(scorecards__month=months.latest_full)),
            before_orders=total("orders", Q(scorecards__month=months.before)),
        )
        .annotate(
            period_completion=_percent(F("period_completed"), F("period_orders")),
            period_cancellation=_percent(F("period_cancelled"), F("period_orders")),
            period_acceptance=_percent(
                F("period_accepted"), F("period_accepted") + F("period_rejected")
            ),
            period_satisfaction=ExpressionWrapper(
                F("period_satisfaction_points")
                / NullIf(Cast(F("period_rated"), decimal), Value(0)),
                output_field=decimal,
            ),
            period_response_hours=ExpressionWrapper(
                F("period_response_points")
                / NullIf(Cast(F("period_responses"), decimal), Value(0)),
                output_field=decimal,
            ),
            period_growth=_percent(F("latest_orders") - F("before_orders"), F("before_orders")),
        )
    )
    if query:
        rows = rows.filter(
            Q(reseller__name__icontains=query) | Q(reseller__public_id=query.upper())
        )
    if show == "slipping":
        rows = rows.filter(latest_orders__lt=F("before_orders"))
    return rows


def leaderboard_sort(
    rows: "QuerySet[WithAnnotations[Partnership, LeaderboardFigures]]", requested: str
) -> "tuple[QuerySet[WithAnnotations[Partnership, LeaderboardFigures]], str]":
    """Order by `?sort=<key>` or `-<key>` (LEADERBOARD_SORTS), partners without a figure
    last either way; by default the most orders first."""
    key = requested.removeprefix("-")
    if key not in LEADERBOARD_SORTS:
        return rows.order_by(F("period_orders").desc(), "reseller__name", "pk"), ""
    column = F(LEADERBOARD_SORTS[key])
    order = (
        column.desc(nulls_last=True) if requested.startswith("-") else column.asc(nulls_last=True)
    )
    return rows.order_by(order, "reseller__name", "pk"), requested


@dataclass
class MonthRow:
    month: date
    card: Scorecard  # a stored row, or an unsaved zero row for a month not stored yet
    growth: Decimal | None


def partnership_history(
    *, partnership: Partnership, months: int = HISTORY_MONTHS, today: date | None = None
) -> list[MonthRow]:
    """The partnership's last `months` months, oldest first, with month-over-month growth
    in orders; a month with no stored row shows zeros. One query."""
    current = month_start(today or timezone.localdate())
    first = add_months(current, -(months - 1))
    stored = {
        card.month: card
        for card in Scorecard.objects.filter(
            partnership=partnership, month__gte=add_months(first, -1), month__lte=current
        )
    }
    rows = []
    previous = stored.get(add_months(first, -1))
    previous_orders = previous.orders if previous else 0
    month = first
    while month <= current:
        card = stored.get(month) or Scorecard(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership, month=month
        )
        rows.append(MonthRow(month=month, card=card, growth=growth(card.orders, previous_orders)))
        previous_orders = card.orders
        month = add_months(month, 1)
    return rows


def history_chart(rows: list[MonthRow]) -> dict[str, object]:
    """The history in static/js/charts.js's format."""
    return {
        "type": "bar",
        "labels": [row.month.strftime("%b %Y") for row in rows],
        "datasets": [
            {
                "type": "bar",
                "label": _("Orders"),
                "data": [row.card.orders for row in rows],
                "yAxisID": "y",
                "borderRadius": 4,
            },
            {
                "type": "line",
                "label": _("Completion rate (%)"),
                "data": [str(row.card.completion_rate or 0) for row in rows],
                "yAxisID": "y1",
                "color": "#15803d",
            },
            {
                "type": "line",
                "label": _("Cancellation rate (%)"),
                "data": [str(row.card.cancellation_rate or 0) for row in rows],
                "yAxisID": "y1",
                "color": "#b91c1c",
            },
        ],
        "axes": {"y1": {"position": "right", "precision": 0}},
    }


def recent_orders(*, partnership: Partnership, limit: int = 10) -> list[Order]:
    """The partnership's latest orders with their ratings, for staff to rate. One query."""
    return list(
        Order.objects.filter(partnership=partnership)
        .select_related("rating", "end_customer")
        .order_by("-created_at", "-pk")[:limit]
    )


def access_partnership_order(*, manufacturer: Manufacturer, order_id: int) -> Order:
    """An order of the tenant, for staff to rate; one 404 for a missing or foreign one."""
    order = (
        Order.objects.filter(manufacturer=manufacturer, pk=order_id)
        .select_related("partnership__reseller", "end_customer")
        .first()
    )
    if order is None:
        raise Http404(_("No such order."))
    return order
