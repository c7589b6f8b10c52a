"""Ratings of orders and the stored monthly scorecards.

The nightly job (`scorecards_refresh_all`, beat entry `partner-scorecards`) stores each
tenant's scorecards for the current and the previous month, and recomputes any older month
that a late change touched since its last run: an order whose status moved, a rating
recorded, a return booked. "Touched" is read from the rows' own timestamps (`updated_at`,
`created_at`), so no hook has to remember it and a missed night loses nothing.
"""

import json
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Max, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, User
from orders.models import Order, OrderReturn
from partners.metrics import Figures, add_months, compute_figures, day_start, month_start
from partners.models import MAX_SATISFACTION, MIN_SATISFACTION, OrderRating, Scorecard
from partners.services import PartnerRefused

# A tenant's first run stores at most this many months of history.
BACKFILL_MONTHS = 24
UPSERT_BATCH = 5000


@transaction.atomic
def order_rating_record(
    *, order: Order, satisfaction: int | None, address_accurate: bool | None, by: User | None
) -> OrderRating:
    """Record (or correct) staff's rating of an order; the scorecard of its month follows
    at the next nightly run."""
    if satisfaction is not None and not MIN_SATISFACTION <= satisfaction <= MAX_SATISFACTION:
        raise PartnerRefused(
            _("Satisfaction is from %(low)d to %(high)d.")
            % {"low": MIN_SATISFACTION, "high": MAX_SATISFACTION}
        )
    if order.manufacturer_id is None:  # pragma: no cover - every order has one
        raise PartnerRefused(_("No such order."))
    rating, _created = OrderRating.objects.update_or_create(
        order=order,
        defaults={
            "manufacturer_id": order.manufacturer_id,
            "satisfaction": satisfaction,
            "address_accurate": address_accurate,
            "recorded_by": by,
        },
    )
    return rating


def _row(
    *, manufacturer: Manufacturer, partnership_id: int, month: date, figures: Figures, now: datetime
) -> Scorecard:
    return Scorecard(
        manufacturer=manufacturer,
        partnership_id=partnership_id,
        month=month,
        orders=figures.orders,
        accepted=figures.accepted,
        completed=figures.completed,
        cancelled=figures.cancelled,
        rejected=figures.rejected,
        revenue=figures.revenue,
        average_order_value=figures.average_order_value,
        returns_amount=figures.returns_amount,
        acceptance_rate=figures.acceptance_rate,
        completion_rate=figures.completion_rate,
        cancellation_rate=figures.cancellation_rate,
        new_customers=figures.new_customers,
        repeat_customers=figures.repeat_customers,
        rated_orders=figures.rated_orders,
        satisfaction=figures.satisfaction,
        address_checked=figures.address_checked,
        address_accuracy=figures.address_accuracy,
        category_mix={name: str(amount) for name, amount in sorted(figures.category_mix.items())},
        responses=figures.responses,
        response_hours=figures.response_hours,
        computed_at=now,
    )


COPY_COLUMNS = (
    "manufacturer_id",
    "partnership_id",
    "month",
    "orders",
    "accepted",
    "completed",
    "cancelled",
    "rejected",
    "revenue",
    "average_order_value",
    "returns_amount",
    "acceptance_rate",
    "completion_rate",
    "cancellation_rate",
    "new_customers",
    "repeat_customers",
    "rated_orders",
    "satisfaction",
    "address_checked",
    "address_accuracy",
    "category_mix",
    "responses",
    "response_hours",
    "computed_at",
)


def _copy_rows(
    *, manufacturer: Manufacturer, keyed: "list[tuple[int, date, Figures]]", now: datetime
) -> None:
    """PostgreSQL's COPY: a tenant of 10,000 partners writes 120,000 rows a year in seconds,
    where building as many model instances took most of the run. The tenant guards (row
    triggers) still check every row."""
    columns = ", ".join(COPY_COLUMNS)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for its COPY support
        with raw.copy(f"COPY {Scorecard._meta.db_table} ({columns}) FROM STDIN") as copy:
            for partnership_id, month, item in keyed:
                copy.write_row(
                    (
                        manufacturer.pk,
                        partnership_id,
                        month,
                        item.orders,
                        item.accepted,
                        item.completed,
                        item.cancelled,
                        item.rejected,
                        item.revenue,
                        item.average_order_value,
                        item.returns_amount,
                        item.acceptance_rate,
                        item.completion_rate,
                        item.cancellation_rate,
                        item.new_customers,
                        item.repeat_customers,
                        item.rated_orders,
                        item.satisfaction,
                        item.address_checked,
                        item.address_accuracy,
                        json.dumps({name: str(v) for name, v in sorted(item.category_mix.items())}),
                        item.responses,
                        item.response_hours,
                        now,
                    )
                )


@transaction.atomic
def scorecards_compute(
    *, manufacturer: Manufacturer, first_month: date, last_month: date, now: datetime | None = None
) -> int:
    """Store the scorecards of every partnership of the tenant for each month from
    `first_month` to `last_month`; returns the rows written.

    A month without activity has no row (readers show zeros), so a tenant of many quiet
    partners stores only what happened. The months' rows are replaced in one transaction:
    readers see the old rows until it commits, never a half-written month."""
    now = now or timezone.now()
    first_month, last_month = month_start(first_month), month_start(last_month)
    end = add_months(last_month, 1)
    figures = compute_figures(
        manufacturer=manufacturer, start=day_start(first_month), end=day_start(end), by_month=True
    )
    Scorecard.objects.filter(
        manufacturer=manufacturer, month__gte=first_month, month__lte=last_month
    ).delete()
    keyed = [
        (partnership_id, month, item)
        for (partnership_id, month), item in sorted(figures.items(), key=_by_key)
        if month is not None
    ]
    if connection.vendor == "postgresql":
        _copy_rows(manufacturer=manufacturer, keyed=keyed, now=now)
    else:
        Scorecard.objects.bulk_create(
            (
                _row(manufacturer=manufacturer, partnership_id=pid, month=month, figures=item,
                     now=now)
                for pid, month, item in keyed
            ),
            batch_size=UPSERT_BATCH,
        )  # fmt: skip
    return len(figures)


def _by_key(entry: "tuple[tuple[int, date | None], Figures]") -> tuple[int, date]:
    (partnership_id, month), _item = entry
    return partnership_id, month or date.min


def stale_months(*, manufacturer: Manufacturer, since: datetime) -> set[date]:
    """Months whose figures changed after `since`: three small grouped queries."""
    months: set[date] = set()
    touched = [
        Order.objects.filter(manufacturer=manufacturer, updated_at__gte=since).annotate(
            m=TruncMonth("created_at")
        ),
        OrderRating.objects.filter(manufacturer=manufacturer, updated_at__gte=since).annotate(
            m=TruncMonth("order__created_at")
        ),
        OrderReturn.objects.filter(manufacturer=manufacturer, created_at__gte=since).annotate(
            m=TruncMonth("returned_at")
        ),
    ]
    for queryset in touched:
        for value in queryset.values_list("m", flat=True).distinct().order_by():
            months.add(timezone.localdate(value) if isinstance(value, datetime) else value)
    return months


def scorecards_refresh(*, manufacturer: Manufacturer, today: date | None = None) -> list[date]:
    """The nightly run for one tenant; returns the months it stored."""
    now = timezone.now()
    today = today or timezone.localdate()
    current = month_start(today)
    months = {current, add_months(current, -1)}
    last_run = Scorecard.objects.filter(manufacturer=manufacturer).aggregate(
        last=Max("computed_at")
    )["last"]
    oldest = add_months(current, -(BACKFILL_MONTHS - 1))
    if last_run is None:
        first = Order.objects.filter(manufacturer=manufacturer).aggregate(first=Min("created_at"))
        if first["first"] is not None:
            months.add(max(oldest, month_start(timezone.localdate(first["first"]))))
    else:
        months |= {
            m for m in stale_months(manufacturer=manufacturer, since=last_run) if m >= oldest
        }
    months = {m for m in months if m <= current}
    scorecards_compute(
        manufacturer=manufacturer, first_month=min(months), last_month=max(months), now=now
    )
    return sorted(months)


def scorecards_refresh_all(*, today: date | None = None) -> int:
    """Every tenant's nightly run, each in its own scope; returns the tenants refreshed."""
    count = 0
    for manufacturer in Manufacturer.objects.order_by("pk"):
        with scope(manufacturer=manufacturer):
            scorecards_refresh(manufacturer=manufacturer, today=today)
        count += 1
    return count
