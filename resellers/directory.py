"""Reads for the manufacturer's reseller directory and profile pages.

Every query starts from `partnerships_visible_to(membership)`: the tenant's partnerships,
narrowed to a seller's portfolio by `channel.visibility.partnership_visibility_q`. The
directory's figures are correlated, filtered aggregate subqueries on the partnership
queryset, so a page of 25 resellers (or a CSV of 10,000) is one query, whatever the
number of orders.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    F,
    Field,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Manufacturer, ManufacturerMembership, Role
from channel.models import Partnership
from channel.selectors import partnerships_visible_to
from core.bounds import SUM_FIELD
from orders.models import Order, OrderReturn, OrderStatus
from orders.workflow import OPEN_STATUSES, SALES_STATUSES
from resellers.statistics import DEFAULT_PERIOD_DAYS, PERIOD_CHOICES, ZERO

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MONEY = SUM_FIELD  # sums over many orders (core.bounds)
# The date of the latest order that reached fulfilment stands for the last invoice.
INVOICED_STATUSES = frozenset({OrderStatus.FULFILLED, OrderStatus.COMPLETED})

# ?sort=<key> -> annotated or model field; every column of the directory sorts.
DIRECTORY_SORTS = {
    "name": "reseller__name",
    "public_id": "reseller__public_id",
    "type": "reseller__reseller_type",
    "region": "reseller__region",
    "city": "reseller__city",
    "status": "status",
    "qualifying": "qualifying_status",
    "sales": "sales",
    "orders": "order_count",
    "open": "open_orders",
    "last_invoice": "last_invoice_at",
    "since": "created_at",
    "rep": "current_rep_last",
}
DEFAULT_SORT = "reseller__name"
UNASSIGNED = "none"


@dataclass(frozen=True)
class DirectoryFilters:
    query: str = ""
    reseller_type: str = ""
    region: str = ""
    status: str = ""
    qualifying_status: str = ""
    # A seller's user id, or UNASSIGNED for customers without a rep.
    rep: str = ""
    days: int = DEFAULT_PERIOD_DAYS
    # A period of dates instead of the last `days` days (the assistant's "top resellers of
    # last quarter"): sales and order counts are of orders created on those days.
    date_from: date | None = None
    date_to: date | None = None

    @property
    def narrows(self) -> bool:
        """Whether any filter hides rows (the sales period does not)."""
        return any(
            [
                self.query,
                self.reseller_type,
                self.region,
                self.status,
                self.qualifying_status,
                self.rep,
            ]
        )


class DirectoryFigures(TypedDict):
    """What `directory_rows` adds to each partnership."""

    gross_sales: Decimal
    returned: Decimal
    sales: Decimal
    order_count: int
    open_orders: int
    last_invoice_at: datetime | None
    # The current sales rep's name and email; None for a customer without one.
    current_rep_first: str | None
    current_rep_last: str | None
    current_rep_email: str | None


if TYPE_CHECKING:
    DirectoryRow = WithAnnotations[Partnership, DirectoryFigures]


def _subquery(
    queryset: QuerySet[Order] | QuerySet[OrderReturn],
    aggregate: Aggregate,
    output_field: "Field[Any, Any]",
) -> Subquery:
    """A correlated subquery returning one aggregate of the partnership's rows."""
    return Subquery(
        queryset.order_by().values("manufacturer_id").annotate(value=aggregate).values("value"),
        output_field=output_field,
    )


def directory_rows(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    filters: DirectoryFilters | None = None,
) -> "QuerySet[DirectoryRow]":
    """The directory: visible partnerships with reseller data and, for the last
    `filters.days` days, `sales` (sales-status order totals minus returns), `order_count`,
    plus `open_orders` and `last_invoice_at` (all time). One query."""
    filters = filters or DirectoryFilters()
    days = filters.days if filters.days in PERIOD_CHOICES else DEFAULT_PERIOD_DAYS
    since = timezone.now() - timedelta(days=days)
    until = None
    if filters.date_from and filters.date_to:
        since = timezone.make_aware(datetime.combine(filters.date_from, time.min))
        until = timezone.make_aware(datetime.combine(filters.date_to + timedelta(days=1), time.min))
    # Matched on (manufacturer, reseller): the columns Order is indexed on.
    orders = Order.objects.filter(
        manufacturer_id=OuterRef("manufacturer_id"), reseller_id=OuterRef("reseller_id")
    )
    period_sales = orders.filter(status__in=SALES_STATUSES, created_at__gte=since)
    returns = OrderReturn.objects.filter(
        manufacturer_id=OuterRef("manufacturer_id"),
        order__reseller_id=OuterRef("reseller_id"),
        order__status__in=SALES_STATUSES,
        returned_at__gte=since,
    )
    if until is not None:
        period_sales = period_sales.filter(created_at__lt=until)
        returns = returns.filter(returned_at__lt=until)
    rows = (
        partnerships_visible_to(manufacturer=manufacturer, membership=membership)
        .select_related("reseller")
        .annotate(
            gross_sales=Coalesce(
                _subquery(period_sales, Sum("total"), MONEY), Value(ZERO), output_field=MONEY
            ),
            returned=Coalesce(
                _subquery(returns, Sum("amount"), MONEY), Value(ZERO), output_field=MONEY
            ),
            order_count=Coalesce(_subquery(period_sales, Count("pk"), IntegerField()), Value(0)),
            open_orders=Coalesce(
                _subquery(orders.filter(status__in=OPEN_STATUSES), Count("pk"), IntegerField()),
                Value(0),
            ),
            last_invoice_at=_subquery(
                orders.filter(status__in=INVOICED_STATUSES), Max("created_at"), DateTimeField()
            ),
        )
        .annotate(
            sales=F("gross_sales") - F("returned"),
            # At most one open assignment per customer (a DB constraint): one LEFT JOIN.
            current_assignment=FilteredRelation(
                "rep_assignments", condition=Q(rep_assignments__ended_at__isnull=True)
            ),
            current_rep_first=F("current_assignment__rep__first_name"),
            current_rep_last=F("current_assignment__rep__last_name"),
            current_rep_email=F("current_assignment__rep__email"),
        )
    )
    query = filters.query.strip()
    if query:
        rows = rows.filter(
            Q(reseller__name__icontains=query) | Q(reseller__public_id__iexact=query)
        )
    if filters.reseller_type:
        rows = rows.filter(reseller__reseller_type=filters.reseller_type)
    if filters.region:
        rows = rows.filter(reseller__region=filters.region)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.qualifying_status:
        rows = rows.filter(qualifying_status=filters.qualifying_status)
    # The current assignment is salesreps' relation, joined above (no import upward).
    if filters.rep == UNASSIGNED:
        rows = rows.filter(current_assignment__isnull=True)
    elif filters.rep.isdigit():
        rows = rows.filter(current_assignment__rep_id=int(filters.rep))
    return rows


def sales_rep_choices(*, manufacturer: Manufacturer) -> list[tuple[str, str]]:
    members = (
        ManufacturerMembership.objects.filter(manufacturer=manufacturer, role=Role.SELLER)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )
    return [(str(m.user_id), m.user.display_name) for m in members]


def partnership_orders(*, partnership: Partnership) -> QuerySet[Order]:
    """The reseller's orders with this manufacturer, newest first (for the profile)."""
    return (
        Order.objects.filter(
            manufacturer_id=partnership.manufacturer_id, reseller_id=partnership.reseller_id
        )
        .select_related("end_customer")
        .order_by("-created_at", "-pk")
    )
