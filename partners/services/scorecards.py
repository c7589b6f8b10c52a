"""Ratings of orders and the stored monthly scorecards.

The nightly job (`scorecards_refresh_all`, beat entry `partner-scorecards`) stores each
tenant's scorecards for the current and the previous month, and recomputes any older month
that a late change touched since its last run: an order whose status moved, a rating
recorded, a return booked. "Touched" is read from the rows' own timestamps (`updated_at`,
`created_at`), so no hook has to remember it and a missed night loses nothing.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, User
from channel.models import Partnership
from orders.models import Order, OrderReturn
from partners.metrics import Figures, add_months, compute_figures, day_start, month_start
from partners.models import MAX_SATISFACTION, MIN_SATISFACTION, OrderRating, Scorecard
from partners.services import PartnerRefused

# A tenant's first run stores at most this many months of history.
BACKFILL_MONTHS = 24
UPSERT_BATCH = 2000

SCORECARD_FIELDS = [
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
    "computed_at",
]


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
        computed_at=now,
    )


@transaction.atomic
def scorecards_compute(
    *, manufacturer: Manufacturer, first_month: date, last_month: date, now: datetime | None = None
) -> int:
    """Store the scorecards of every partnership of the tenant for each month from
    `first_month` to `last_month`: a zero row for a month without orders (from the month
    the partnership began), so history has no holes. Returns the rows written."""
    now = now or timezone.now()
    first_month, last_month = month_start(first_month), month_start(last_month)
    end = add_months(last_month, 1)
    figures = compute_figures(
        manufacturer=manufacturer, start=day_start(first_month), end=day_start(end), by_month=True
    )
    began = {
        pk: month_start(timezone.localdate(created_at))
        for pk, created_at in Partnership.objects.filter(
            manufacturer=manufacturer, created_at__lt=day_start(end)
        ).values_list("pk", "created_at")
    }
    for partnership_id, _month in figures:
        began.setdefault(partnership_id, end)  # backdated orders before the partnership
    rows = []
    month = first_month
    while month <= last_month:
        for partnership_id, began_in in began.items():
            key = (partnership_id, month)
            if key not in figures and month < began_in:
                continue
            rows.append(
                _row(
                    manufacturer=manufacturer,
                    partnership_id=partnership_id,
                    month=month,
                    figures=figures.get(key, Figures()),
                    now=now,
                )
            )
        month = add_months(month, 1)
    Scorecard.objects.bulk_create(
        rows,
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["partnership", "month"],
        update_fields=SCORECARD_FIELDS,
    )
    return len(rows)


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
