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
    Count,
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
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Reseller
from channel.models import Partnership, PartnershipStatus
from channel.selectors import partnerships_visible_to
from orders.models import Order, OrderReturn, OrderStatus
from orders.selectors.orders import orders_for_manufacturer, orders_for_reseller
from orders.visibility import order_visibility_q
from orders.workflow import OPEN_STATUSES, SALES_STATUSES
from resellers.directory import DirectoryFigures, DirectoryFilters, directory_rows
from resellers.selectors.end_customers import end_customer_count
from resellers.statistics import (
    MONEY,
    ZERO,
    Figure,
    Period,
    bucket_label,
    bucket_starts,
    grouped_by_bucket,
    money_sum,
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
    orders awaiting acceptance, active and new resellers. Three queries."""
    period = Period.last_days(KPI_DAYS, today=today)
    previous = period.previous()
    sales = Q(status__in=SALES_STATUSES)
    orders = visible_orders(manufacturer=manufacturer, membership=membership).aggregate(
        gross=money_sum("total", sales & period.q("created_at")),
        gross_previous=money_sum("total", sales & previous.q("created_at")),
        orders=Count("pk", filter=sales & period.q("created_at")),
        orders_previous=Count("pk", filter=sales & previous.q("created_at")),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        awaiting=Count("pk", filter=Q(status=OrderStatus.PLACED)),
    )
    returned = (
        visible_sales_returns(manufacturer=manufacturer, membership=membership)
        .filter(returned_at__gte=previous.start_at, returned_at__lt=period.end_before)
        .aggregate(
            current=money_sum("amount", period.q("returned_at")),
            previous=money_sum("amount", previous.q("returned_at")),
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
            orders["gross"] - returned["current"], orders["gross_previous"] - returned["previous"]
        ),
        "orders": Figure(orders["orders"], orders["orders_previous"]),
        "open_orders": orders["open"],
        "awaiting_acceptance": orders["awaiting"],
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
    months, empty months included. Two grouped queries (statistics' own grouping)."""
    period = chart_period(today=today)
    orders = grouped_by_bucket(
        visible_orders(manufacturer=manufacturer, membership=membership).filter(
            period.q("created_at"), status__in=SALES_STATUSES
        ),
        "created_at",
        "month",
        period,
        gross=Sum("total", output_field=MONEY),
        orders=Count("pk"),
    )
    returns = grouped_by_bucket(
        visible_sales_returns(manufacturer=manufacturer, membership=membership).filter(
            period.q("returned_at")
        ),
        "returned_at",
        "month",
        period,
        amount=Sum("amount", output_field=MONEY),
    )
    months: list[MonthSales] = []
    for start in bucket_starts(period, "month"):
        order_row = orders.get((True, start), {})
        gross = order_row.get("gross") or ZERO
        returned = returns.get((True, start), {}).get("amount") or ZERO
        months.append(
            {
                "start": start,
                "key": bucket_label(start, "month"),
                "gross": gross,
                "returns": returned,
                "sales": gross - returned,
                "orders": order_row.get("orders") or 0,
            }
        )
    return months


def sales_chart_data(months: list[MonthSales]) -> dict[str, Any]:
    """The series in static/js/charts.js's format (amounts as Decimal strings)."""
    return {
        "type": "bar",
        "labels": [date_format(month["start"], "M Y") for month in months],
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
    """The newest orders this member may see, with their reseller. One query."""
    orders = (
        orders_for_manufacturer(manufacturer=manufacturer, membership=membership)
        .select_related("partnership__reseller")
        .order_by("-created_at", "-pk")[:RECENT_ORDERS]
    )
    return list(orders)


def orders_awaiting_acceptance_count(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> int:
    """Placed orders this member may see that still wait for acceptance. One query."""
    return (
        visible_orders(manufacturer=manufacturer, membership=membership)
        .filter(status=OrderStatus.PLACED)
        .count()
    )


def top_resellers(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> "list[TopReseller]":
    """The directory's rows for the last 90 days, best five by net sales, each with its
    `share` of the best one's sales. One query."""
    rows = list(
        directory_rows(
            manufacturer=manufacturer,
            membership=membership,
            filters=DirectoryFilters(days=TOP_RESELLER_DAYS),
        )
        .filter(sales__gt=ZERO)
        .order_by("-sales", "reseller__name")[:TOP_RESELLERS]
    )
    best = rows[0].sales if rows else ZERO
    # `share` needs the best row, so it is set here rather than annotated: every row gets it.
    ranked = cast("list[TopReseller]", rows)
    for row in ranked:
        row.share = int(row.sales * 100 / best) if best else 0
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
