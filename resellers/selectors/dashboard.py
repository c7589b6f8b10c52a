"""Reads for the two landing pages: the manufacturer portal's dashboard and the reseller's.

accounts owns the dashboard views but sits below the apps whose figures they show, so the
panels are template tags (resellers.templatetags.channel_dashboard) and the tags call these
selectors. Each starts from the same scoping entry points as the list pages
(`partnerships_visible_to`, `orders.visibility.order_visibility_q`): a seller gets
their portfolio, never tenant totals.

Manufacturer portal (a tenant and the member looking at it):
    channel_figures               net sales and orders (30 days vs the 30 before), open
                                  orders, active resellers: 3 queries
    sales_chart / monthly_sales   net sales and orders per month, last 12 months: 2 queries
    recent_orders                 the 8 newest orders: 1 query
    top_resellers                 top 5 resellers by sales in the last 90 days: 1 query
    orders_awaiting_acceptance_count  orders awaiting acceptance: 1 query

Reseller dashboard (the reseller):
    reseller_overview             totals and one card per manufacturer: 2 queries
    reseller_recent_orders        the 8 newest orders across manufacturers: 1 query

Every figure is a Sum/Count in the database; Python only fills empty months.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Reseller
from channel.models import Partnership, PartnershipStatus
from channel.selectors import partnerships_visible_to
from channel.visibility import partnership_visibility_q, require_viewer
from core import formatting
from orders.models import RETURN_MEASURE, Order, OrderReturn, OrderStatus, OrderTally, TallySpan
from orders.selectors.orders import orders_for_manufacturer, orders_for_reseller
from orders.summaries import visible_tallies
from orders.visibility import order_visibility_q
from orders.workflow import OPEN_STATUSES, SALES_STATUSES
from resellers.directory import DirectoryFigures
from resellers.selectors.end_customers import end_customer_count
from resellers.statistics import (
    MONEY,
    ZERO,
    Figure,
    Period,
    bucket_label,
    bucket_starts,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

KPI_DAYS = 30
TOP_RESELLER_DAYS = 90
CHART_MONTHS = 12
RECENT_ORDERS = 8
TOP_RESELLERS = 5


class ChannelFigures(TypedDict):
    period: Period
    previous_period: Period
    sales: Figure
    orders: Figure
    open_orders: int
    awaiting_acceptance: int
    active_resellers: int
    new_resellers: int


class MonthSales(TypedDict):
    start: date
    key: str
    gross: Decimal
    returns: Decimal
    sales: Decimal
    orders: int


@dataclass(frozen=True)
class SalesChart:
    months: list[MonthSales]
    chart: dict[str, Any]  # static/js/charts.js's format
    total_sales: Decimal
    total_orders: int
    has_sales: bool


class TopResellerFigures(DirectoryFigures):
    share: int  # percent of the best reseller's sales, 0-100


class PartnershipOrderFigures(TypedDict):
    recent_orders: int
    recent_value: Decimal
    open_orders: int


if TYPE_CHECKING:
    TopReseller = WithAnnotations[Partnership, TopResellerFigures]
    PartnershipWithOrders = WithAnnotations[Partnership, PartnershipOrderFigures]


@dataclass(frozen=True)
class ResellerOverview:
    partnerships: "list[PartnershipWithOrders]"
    active_count: int
    recent_orders: int
    open_orders: int
    end_customers: int


# --- manufacturer portal -------------------------------------------------------------------


def visible_orders(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[Order]:
    """The tenant's orders this member may see (a seller: their portfolio's)."""
    return Order.objects.filter(manufacturer=manufacturer).filter(order_visibility_q(membership))


def visible_sales_returns(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[OrderReturn]:
    """Returns of sales-status orders this member may see (subtracted from net sales)."""
    return OrderReturn.objects.filter(
        manufacturer=manufacturer, order__status__in=SALES_STATUSES
    ).filter(order_visibility_q(membership, prefix="order__"))


def channel_figures(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, today: date | None = None
) -> ChannelFigures:
    """Net sales and sales orders of the last 30 days against the 30 before, open orders,
    orders awaiting acceptance (from the order tallies, orders.summaries), active and new
    resellers. Two queries, whatever the number of orders."""
    period = Period.last_days(KPI_DAYS, today=today)
    previous = period.previous()
    sales = Q(measure__in=SALES_STATUSES)
    returned = Q(measure=RETURN_MEASURE)

    def days(within: Period) -> Q:
        return Q(span=TallySpan.DAY, start__gte=within.start, start__lte=within.end)

    def amount(q: Q) -> Coalesce:
        return Coalesce(Sum("amount", filter=q), Value(ZERO), output_field=MONEY)

    def count(q: Q) -> Coalesce:
        return Coalesce(Sum("orders", filter=q), Value(0), output_field=IntegerField())

    ever = Q(span=TallySpan.EVER)
    tallies = (
        visible_tallies(manufacturer=manufacturer, membership=membership)
        .filter(days(Period(start=previous.start, end=period.end)) | ever)
        .aggregate(
            gross=amount(sales & days(period)),
            gross_previous=amount(sales & days(previous)),
            returned=amount(returned & days(period)),
            returned_previous=amount(returned & days(previous)),
            sales_orders=count(sales & days(period)),
            sales_orders_previous=count(sales & days(previous)),
            open=count(ever & Q(measure__in=OPEN_STATUSES)),
            awaiting=count(ever & Q(measure=OrderStatus.PLACED)),
        )
    )
    partners = partnerships_visible_to(manufacturer=manufacturer, membership=membership).aggregate(
        active=Count("pk", filter=Q(status=PartnershipStatus.ACTIVE)),
        new=Count("pk", filter=period.q("created_at")),
    )
    return {
        "period": period,
        "previous_period": previous,
        "sales": Figure(
            tallies["gross"] - tallies["returned"],
            tallies["gross_previous"] - tallies["returned_previous"],
        ),
        "orders": Figure(tallies["sales_orders"], tallies["sales_orders_previous"]),
        "open_orders": tallies["open"],
        "awaiting_acceptance": tallies["awaiting"],
        "active_resellers": partners["active"],
        "new_resellers": partners["new"],
    }


def chart_period(*, today: date | None = None, months: int = CHART_MONTHS) -> Period:
    """From the first day of the month `months - 1` months ago up to today."""
    end = today or timezone.localdate()
    start = end.replace(day=1)
    for _month in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return Period(start=start, end=end)


def monthly_sales(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, today: date | None = None
) -> list[MonthSales]:
    """Net sales (order value minus returns) and sales orders per month of the last 12
    months, empty months included: one grouped query over the monthly order tallies."""
    period = chart_period(today=today)
    sales = Q(measure__in=SALES_STATUSES)
    rows = {
        row["start"]: row
        for row in visible_tallies(manufacturer=manufacturer, membership=membership)
        .filter(span=TallySpan.MONTH, start__gte=period.start, start__lte=period.end)
        .order_by()
        .values("start")
        .annotate(
            gross=Sum("amount", filter=sales, output_field=MONEY),
            returned=Sum("amount", filter=Q(measure=RETURN_MEASURE), output_field=MONEY),
            order_count=Sum("orders", filter=sales),
        )
    }
    months: list[MonthSales] = []
    for start in bucket_starts(period, "month"):
        row = rows.get(start, {})
        gross = row.get("gross") or ZERO
        returned = row.get("returned") or ZERO
        months.append(
            {
                "start": start,
                "key": bucket_label(start, "month"),
                "gross": gross,
                "returns": returned,
                "sales": gross - returned,
                "orders": row.get("order_count") or 0,
            }
        )
    return months


def sales_chart_data(months: list[MonthSales]) -> dict[str, Any]:
    """The series in static/js/charts.js's format (amounts as Decimal strings)."""
    return {
        "type": "bar",
        "labels": [formatting.local_month(month["start"], "short") for month in months],
        "datasets": [
            {
                "type": "bar",
                "label": _("Net sales"),
                "data": [str(month["sales"]) for month in months],
                "yAxisID": "y",
                "borderRadius": 4,
            },
            {
                "type": "line",
                "label": _("Orders"),
                "data": [month["orders"] for month in months],
                "yAxisID": "y1",
                "color": "#f59e0b",
            },
        ],
        "axes": {"y1": {"position": "right", "precision": 0}},
    }


def sales_chart(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, today: date | None = None
) -> SalesChart:
    """The 12-month chart with its totals (`monthly_sales`' two queries)."""
    months = monthly_sales(manufacturer=manufacturer, membership=membership, today=today)
    return SalesChart(
        months=months,
        chart=sales_chart_data(months),
        total_sales=sum((m["sales"] for m in months), Decimal("0.00")),
        total_orders=sum(m["orders"] for m in months),
        has_sales=any(m["orders"] or m["returns"] for m in months),
    )


def recent_orders(*, manufacturer: Manufacturer, membership: ManufacturerMembership) -> list[Order]:
    """The newest orders this member may see, with their reseller. One query.

    A rep also sees the manual orders they placed for customers since moved to another
    portfolio: `reseller_visible` says whether the reseller's profile opens for them."""
    require_viewer(membership)
    visible = (
        Value(True)
        if membership.is_staff_role
        else ExpressionWrapper(
            partnership_visibility_q(membership, prefix="partnership__"),
            output_field=BooleanField(),
        )
    )
    orders = (
        orders_for_manufacturer(manufacturer=manufacturer, membership=membership)
        .select_related("partnership__reseller")
        .annotate(reseller_visible=visible)
        .order_by("-created_at", "-pk")[:RECENT_ORDERS]
    )
    return list(orders)


def orders_awaiting_acceptance_count(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> int:
    """Placed orders this member may see that still wait for acceptance. One query, on the
    all-time order tallies."""
    total = (
        visible_tallies(manufacturer=manufacturer, membership=membership)
        .filter(span=TallySpan.EVER, measure=OrderStatus.PLACED)
        .aggregate(n=Sum("orders"))["n"]
    )
    return total or 0


def top_resellers(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership, today: date | None = None
) -> "list[TopReseller]":
    """The best five visible resellers by net sales of the last 90 whole days (the daily
    order tallies), each with its `order_count` and `share` of the best one's sales. Two
    queries: the ranking, then the five partnerships."""
    period = Period.last_days(TOP_RESELLER_DAYS, today=today)
    sales = Q(measure__in=SALES_STATUSES)
    ranking = list(
        OrderTally.objects.filter(
            manufacturer=manufacturer,
            placed_by__isnull=True,
            span=TallySpan.DAY,
            start__gte=period.start,
            start__lte=period.end,
        )
        .filter(partnership_visibility_q(membership, prefix="partnership__"))
        .order_by()
        .values("partnership_id")
        .annotate(
            gross=Coalesce(Sum("amount", filter=sales), Value(ZERO), output_field=MONEY),
            returned=Coalesce(
                Sum("amount", filter=Q(measure=RETURN_MEASURE)), Value(ZERO), output_field=MONEY
            ),
            order_count=Coalesce(Sum("orders", filter=sales), Value(0)),
        )
        .annotate(sales=F("gross") - F("returned"))
        .filter(sales__gt=ZERO)
        .order_by("-sales", "partnership_id")[: TOP_RESELLERS * 4]
    )
    if not ranking:
        return []
    partnerships = {
        p.pk: p
        for p in partnerships_visible_to(manufacturer=manufacturer, membership=membership)
        .filter(pk__in=[row["partnership_id"] for row in ranking])
        .select_related("reseller")
    }
    # Ties on sales rank by the reseller's name, as the directory sorts them.
    ranking.sort(key=lambda r: (-r["sales"], partnerships[r["partnership_id"]].reseller.name))
    ranked = cast("list[TopReseller]", [])
    for row in ranking[:TOP_RESELLERS]:
        partnership = cast("TopReseller", partnerships[row["partnership_id"]])
        partnership.gross_sales = row["gross"]
        partnership.returned = row["returned"]
        partnership.sales = row["sales"]
        partnership.order_count = row["order_count"]
        ranked.append(partnership)
    best = ranked[0].sales
    for top in ranked:
        top.share = int(top.sales * 100 / best) if best else 0
    return ranked


# --- reseller dashboard --------------------------------------------------------------------


def reseller_partnerships(
    *, reseller: Reseller, today: date | None = None
) -> "list[PartnershipWithOrders]":
    """The reseller's partnerships with, per manufacturer, the sales orders and their value
    in the last 30 days and the open orders (correlated subqueries on the indexed
    (manufacturer, reseller) pair). One query."""
    period = Period.last_days(KPI_DAYS, today=today)
    orders = Order.objects.filter(
        manufacturer_id=OuterRef("manufacturer_id"), reseller_id=OuterRef("reseller_id")
    ).order_by()
    recent = orders.filter(period.q("created_at"), status__in=SALES_STATUSES)

    def aggregate(
        queryset: QuerySet[Order],
        expression: Aggregate,
        output_field: "Field[Any, Any]",
        default: int | Decimal,
    ) -> Coalesce:
        return Coalesce(
            Subquery(
                queryset.values("manufacturer_id").annotate(value=expression).values("value"),
                output_field=output_field,
            ),
            Value(default),
            output_field=output_field,
        )

    return list(
        Partnership.objects.filter(reseller=reseller)
        .select_related("manufacturer")
        .annotate(
            recent_orders=aggregate(recent, Count("pk"), IntegerField(), 0),
            recent_value=aggregate(recent, Sum("total", output_field=MONEY), MONEY, ZERO),
            open_orders=aggregate(
                orders.filter(status__in=OPEN_STATUSES), Count("pk"), IntegerField(), 0
            ),
        )
        .order_by("manufacturer__name")
    )


def reseller_overview(*, reseller: Reseller, today: date | None = None) -> ResellerOverview:
    """The reseller's totals across manufacturers and one row per partnership. Two queries."""
    partnerships = reseller_partnerships(reseller=reseller, today=today)
    return ResellerOverview(
        partnerships=partnerships,
        active_count=sum(p.is_active for p in partnerships),
        recent_orders=sum(p.recent_orders for p in partnerships),
        open_orders=sum(p.open_orders for p in partnerships),
        end_customers=end_customer_count(reseller=reseller),
    )


def reseller_recent_orders(*, reseller: Reseller) -> list[Order]:
    """The reseller's newest orders across manufacturers. One query."""
    return list(
        orders_for_reseller(reseller=reseller).order_by("-created_at", "-pk")[:RECENT_ORDERS]
    )
