"""Reads for sales-rep portfolios. Every function takes the tenant it serves.

Lists filter through joins (open PortfolioAssignment rows, or the guardian permission
table via channel.visibility and orders.visibility); nothing checks has_perm per row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership, Role, User
from catalog.pricing import quantize_money
from channel.models import Partnership, PartnershipStatus, PartnershipUserObjectPermission
from channel.selectors import dangerously_all_partnerships
from core.bounds import SUM_FIELD
from orders.models import Order
from orders.visibility import order_visibility_q
from orders.workflow import OPEN_STATUSES, SALES_STATUSES
from salesreps.models import PortfolioAssignment
from salesreps.services import REP_PERMISSIONS

ZERO = Decimal("0.00")


def sellers(*, manufacturer: Manufacturer) -> QuerySet[ManufacturerMembership]:
    """The tenant's sales reps (memberships with the seller role), by name."""
    return (
        ManufacturerMembership.objects.filter(manufacturer=manufacturer, role=Role.SELLER)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )


def access_seller(*, manufacturer: Manufacturer, user_id: int) -> User:
    """A sales rep of this tenant, or one Http404 for anyone else."""
    membership = sellers(manufacturer=manufacturer).filter(user_id=user_id).first()
    if membership is None:
        raise Http404(_("No such sales rep."))
    return membership.user


def seller_choice(*, manufacturer: Manufacturer, user_id: str) -> User | None:
    """The seller picked in a form, or None when the id is not a rep of this tenant."""
    try:
        return access_seller(manufacturer=manufacturer, user_id=int(user_id))
    except (Http404, TypeError, ValueError):
        return None


def partnerships_of_rep(*, manufacturer: Manufacturer, rep: User | int) -> QuerySet[Partnership]:
    """The customers currently in `rep`'s portfolio (for the directory's filter by rep).

    Use it as a filter on the directory's own queryset, e.g.
    `customers.filter(pk__in=partnerships_of_rep(manufacturer=m, rep=rep_id))`.
    """
    rep_id = rep.pk if isinstance(rep, User) else rep
    return Partnership.objects.filter(
        manufacturer=manufacturer,
        rep_assignments__rep_id=rep_id,
        rep_assignments__ended_at__isnull=True,
    )


def current_assignment(
    *, manufacturer: Manufacturer, partnership: Partnership
) -> PortfolioAssignment | None:
    return (
        PortfolioAssignment.objects.filter(
            manufacturer=manufacturer, partnership=partnership, ended_at__isnull=True
        )
        .select_related("rep", "assigned_by")
        .first()
    )


def assignment_history(
    *, manufacturer: Manufacturer, partnership: Partnership
) -> QuerySet[PortfolioAssignment]:
    return (
        PortfolioAssignment.objects.filter(manufacturer=manufacturer, partnership=partnership)
        .select_related("rep", "assigned_by", "ended_by")
        .order_by("-started_at", "-pk")
    )


def rep_customers(*, manufacturer: Manufacturer, rep: User) -> QuerySet[PortfolioAssignment]:
    """The rep's open assignments (customer + since), reseller loaded, by customer name."""
    return (
        PortfolioAssignment.objects.filter(
            manufacturer=manufacturer, rep=rep, ended_at__isnull=True
        )
        .select_related("partnership", "partnership__reseller")
        .order_by("partnership__reseller__name", "pk")
    )


def coverage_gaps(*, manufacturer: Manufacturer) -> QuerySet[Partnership]:
    """Active customers with no rep."""
    open_assignment = PortfolioAssignment.objects.filter(
        partnership=OuterRef("pk"), ended_at__isnull=True
    )
    return (
        dangerously_all_partnerships(manufacturer=manufacturer)
        .filter(status=PartnershipStatus.ACTIVE)
        .exclude(Exists(open_assignment))
        .select_related("reseller")
        .order_by("reseller__name", "pk")
    )


@dataclass
class RemovalPreview:
    """What moves when a member leaves: their customers and those customers' open orders."""

    customers: list[Partnership]
    open_orders: int


def member_removal_preview(*, manufacturer: Manufacturer, user: User) -> RemovalPreview:
    """The member's current customers (reseller loaded) and their open orders: two queries."""
    customers = list(
        partnerships_of_rep(manufacturer=manufacturer, rep=user)
        .select_related("reseller")
        .order_by("reseller__name", "pk")
    )
    open_orders = (
        Order.objects.filter(
            manufacturer=manufacturer, partnership__in=customers, status__in=OPEN_STATUSES
        ).count()
        if customers
        else 0
    )
    return RemovalPreview(customers=customers, open_orders=open_orders)


# --- portfolio overview (staff) ------------------------------------------------------------


@dataclass
class RepRow:
    rep: User | None
    customers: int = 0
    active_customers: int = 0
    orders: int = 0
    sales: Decimal = ZERO

    @property
    def average_order(self) -> Decimal:
        return quantize_money(self.sales / self.orders) if self.orders else ZERO


def _sales_orders(*, manufacturer: Manufacturer, date_from: date, date_to: date) -> QuerySet[Order]:
    return Order.objects.filter(
        manufacturer=manufacturer,
        status__in=SALES_STATUSES,
        created_at__date__gte=date_from,
        created_at__date__lte=date_to,
    )


def rep_overview(*, manufacturer: Manufacturer, date_from: date, date_to: date) -> list[RepRow]:
    """Per rep: customers now, and orders and sales of those customers in the period.

    Ends with a row for customers without a rep (rep=None). Four queries in all.
    """
    rows = {m.user_id: RepRow(rep=m.user) for m in sellers(manufacturer=manufacturer)}
    unassigned = RepRow(rep=None)

    customer_counts = (
        dangerously_all_partnerships(manufacturer=manufacturer)
        .filter(rep_assignments__ended_at__isnull=True, rep_assignments__isnull=False)
        .values("rep_assignments__rep_id")
        .annotate(
            n=Count("pk"),
            active=Count("pk", filter=Q(status=PartnershipStatus.ACTIVE)),
        )
    )
    assigned_total = assigned_active = 0
    for item in customer_counts:
        row = rows.get(item["rep_assignments__rep_id"])
        assigned_total += item["n"]
        assigned_active += item["active"]
        if row is not None:
            row.customers, row.active_customers = item["n"], item["active"]
    totals = dangerously_all_partnerships(manufacturer=manufacturer).aggregate(
        n=Count("pk"), active=Count("pk", filter=Q(status=PartnershipStatus.ACTIVE))
    )
    unassigned.customers = totals["n"] - assigned_total
    unassigned.active_customers = totals["active"] - assigned_active

    orders = _sales_orders(manufacturer=manufacturer, date_from=date_from, date_to=date_to)
    by_rep = (
        orders.filter(
            partnership__rep_assignments__ended_at__isnull=True,
            partnership__rep_assignments__isnull=False,
        )
        .values("partnership__rep_assignments__rep_id")
        .annotate(n=Count("pk"), total=Sum("total", output_field=SUM_FIELD))
    )
    assigned_orders, assigned_sales = 0, ZERO
    for item in by_rep:
        assigned_orders += item["n"]
        assigned_sales += item["total"] or ZERO
        row = rows.get(item["partnership__rep_assignments__rep_id"])
        if row is not None:
            row.orders, row.sales = item["n"], item["total"] or ZERO
    overall = orders.aggregate(n=Count("pk"), total=Sum("total", output_field=SUM_FIELD))
    unassigned.orders = overall["n"] - assigned_orders
    unassigned.sales = (overall["total"] or ZERO) - assigned_sales
    return [*rows.values(), unassigned]


# --- sales report (a rep's own; staff may pick a rep) --------------------------------------


@dataclass
class SalesReport:
    orders: QuerySet[Order]
    count: int = 0
    total: Decimal = ZERO
    per_customer: list[dict[str, Any]] = field(default_factory=list)
    per_month: list[dict[str, Any]] = field(default_factory=list)


def sales_orders(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    date_from: date,
    date_to: date,
    rep: User | None = None,
) -> QuerySet[Order]:
    """Orders that count as sales in the period, limited to what the member may see.

    A seller gets their portfolio's orders; staff get the tenant's, or one rep's customers'.
    """
    orders = _sales_orders(manufacturer=manufacturer, date_from=date_from, date_to=date_to).filter(
        order_visibility_q(membership)
    )
    if rep is not None:
        orders = orders.filter(
            partnership__in=partnerships_of_rep(manufacturer=manufacturer, rep=rep)
        )
    return orders


def sales_report(
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    date_from: date,
    date_to: date,
    rep: User | None = None,
) -> SalesReport:
    """Totals per customer and per month for the visible orders (three queries)."""
    orders = sales_orders(
        manufacturer=manufacturer,
        membership=membership,
        date_from=date_from,
        date_to=date_to,
        rep=rep,
    )
    per_customer = list(
        orders.values("partnership_id", "reseller__name", "reseller__public_id")
        .annotate(n=Count("pk"), total=Sum("total", output_field=SUM_FIELD))
        .order_by("-total", "reseller__name")
    )
    per_month = list(
        orders.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"), total=Sum("total", output_field=SUM_FIELD))
        .order_by("month")
    )
    count = sum(row["n"] for row in per_customer)
    total = sum((row["total"] or ZERO for row in per_customer), ZERO)
    return SalesReport(
        orders=orders.select_related("reseller", "end_customer", "created_by").order_by(
            "-created_at", "-pk"
        ),
        count=count,
        total=total,
        per_customer=per_customer,
        per_month=per_month,
    )


# --- consistency check ---------------------------------------------------------------------


@dataclass(frozen=True)
class Inconsistency:
    manufacturer: str
    partnership_id: int
    reseller: str
    expected: frozenset[tuple[int, str]]
    actual: frozenset[tuple[int, str]]

    def describe(self) -> str:
        def show(pairs: frozenset[tuple[int, str]]) -> str:
            return ", ".join(f"user {u}: {c}" for u, c in sorted(pairs)) or "none"

        return (
            f"[{self.manufacturer}] partnership {self.partnership_id} ({self.reseller}): "
            f"assignment expects {show(self.expected)}; guardian has {show(self.actual)}"
        )


def portfolio_inconsistencies(*, manufacturer: Manufacturer | None = None) -> list[Inconsistency]:
    """Partnerships whose rep permissions disagree with their open assignment.

    Expected: the current rep holds exactly view_partnership and change_partnership; nobody
    else holds either. Call with scopes disabled (or a tenant scope). Three queries.
    """
    partnerships = Partnership.objects.all()
    assignments = PortfolioAssignment.objects.filter(ended_at__isnull=True)
    permissions = PartnershipUserObjectPermission.objects.filter(
        permission__codename__in=REP_PERMISSIONS,
        permission__content_type__app_label="channel",
    )
    if manufacturer is not None:
        partnerships = partnerships.filter(manufacturer=manufacturer)
        assignments = assignments.filter(manufacturer=manufacturer)
        permissions = permissions.filter(content_object__manufacturer=manufacturer)

    expected: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for partnership_id, rep_id in assignments.values_list("partnership_id", "rep_id"):
        expected[partnership_id].update((rep_id, codename) for codename in REP_PERMISSIONS)
    actual: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for partnership_id, user_id, codename in permissions.values_list(
        "content_object_id", "user_id", "permission__codename"
    ):
        actual[partnership_id].add((user_id, codename))

    suspects = {pk for pk in expected.keys() | actual.keys() if expected[pk] != actual[pk]}
    if not suspects:
        return []
    names = {
        row[0]: (row[1], row[2])
        for row in partnerships.filter(pk__in=suspects).values_list(
            "pk", "manufacturer__slug", "reseller__name"
        )
    }
    return [
        Inconsistency(
            manufacturer=names.get(pk, ("?", "?"))[0],
            partnership_id=pk,
            reseller=names.get(pk, ("?", "?"))[1],
            expected=frozenset(expected[pk]),
            actual=frozenset(actual[pk]),
        )
        for pk in sorted(suspects)
    ]
