"""The order tallies (`OrderTally`): the dashboards' counts, chart and top resellers without
aggregating the order history on every load.

The services that change orders call the writers here inside their own transaction:
`order_create` → `tally_order_created`, `order_transition` → `tally_order_moved`,
`order_return_create` → `tally_order_returned`. Each writer is one INSERT … ON CONFLICT DO
UPDATE that adds to the row in the database (`orders = orders + excluded.orders`), so two
writers at once both count, and a rolled-back change takes its tally along. A row never goes
below zero (a check constraint): a tally that lost track fails the change loudly instead of
showing a wrong figure.

`tally_rebuild` recomputes a tenant's tallies from its orders in a few set-based queries (the
migration that introduced them, bulk loaders, data repair); `live_tallies` is the same
computation without writing, which the tests compare the kept tallies with.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from accounts.models import Manufacturer, ManufacturerMembership
from core.bounds import SUM_FIELD
from orders.models import RETURN_MEASURE, Order, OrderReturn, OrderTally, TallySpan
from orders.visibility import tally_visibility_q

EVER = date(2000, 1, 1)  # the `start` of the all-time rows
ZERO = Decimal("0.00")

# (partnership, placed_by, span, start, measure) -> (orders, amount)
TallyKey = tuple[int, int | None, str, date, str]
Tallies = dict[TallyKey, tuple[int, Decimal]]


def _spans(at_day: date) -> list[tuple[str, date]]:
    return [
        (TallySpan.DAY.value, at_day),
        (TallySpan.MONTH.value, at_day.replace(day=1)),
        (TallySpan.EVER.value, EVER),
    ]


def _placed_by(order: Order) -> list[int | None]:
    """The rows an order counts on: everyone's, and its placer's when it is manual."""
    return [None, order.created_by_id] if order.is_manual and order.created_by_id else [None]


Row = tuple[int, int | None, str, date, str, int, Decimal]


class TallyLostTrack(RuntimeError):
    """A tally to subtract from is missing or too small: it no longer matches the orders.
    The change is refused (rolled back) rather than leaving a wrong figure; `tally_rebuild`
    repairs the tenant."""


def _upsert(manufacturer_id: int, rows: Iterable[Row]) -> None:
    """Add (orders, amount) to each row: the additions in an INSERT … ON CONFLICT DO UPDATE
    (one per kind of row, everyone's or a placer's, each with its own unique index), the
    subtractions in an UPDATE of rows that must exist (a check constraint would refuse the
    negative row an INSERT proposes, even when it conflicts)."""
    adding: dict[bool, list[tuple[Any, ...]]] = {False: [], True: []}
    taking: dict[tuple[int, str, int, Decimal], list[tuple[int | None, str, date]]] = {}
    for partnership_id, placed_by, span, start, measure, orders, amount in rows:
        if orders < 0:
            key = (partnership_id, measure, orders, amount)
            taking.setdefault(key, []).append((placed_by, span, start))
        else:
            adding[placed_by is not None].append(
                (manufacturer_id, partnership_id, placed_by, span, start, measure, orders, amount)
            )
    table = connection.ops.quote_name(OrderTally._meta.db_table)
    with connection.cursor() as cursor:
        for (partnership_id, measure, orders, amount), keys in taking.items():
            matches: list[str] = []
            params: list[Any] = [orders, amount, partnership_id, measure]
            for placed_by, span, start in keys:
                placer = "placed_by_id IS NULL" if placed_by is None else "placed_by_id = %s"
                matches.append(f"({placer} AND span = %s AND start = %s)")
                params += [*([] if placed_by is None else [placed_by]), span, start]
            cursor.execute(
                f"UPDATE {table} SET orders = orders + %s, amount = amount + %s"  # noqa: S608 - our table name; values are parameters
                f" WHERE partnership_id = %s AND measure = %s AND ({' OR '.join(matches)})",
                params,
            )
            if cursor.rowcount != len(keys):
                raise TallyLostTrack(
                    f"partnership {partnership_id}: {len(keys)} {measure} tallies expected,"
                    f" {cursor.rowcount} found"
                )
        for placed, values in adding.items():
            if not values:
                continue
            target = (
                "(partnership_id, placed_by_id, span, start, measure)"
                " WHERE placed_by_id IS NOT NULL"
                if placed
                else "(partnership_id, span, start, measure) WHERE placed_by_id IS NULL"
            )
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(values))
            cursor.execute(
                f"INSERT INTO {table} (manufacturer_id, partnership_id, placed_by_id, span,"  # noqa: S608 - our table name; values are parameters
                f" start, measure, orders, amount) VALUES {placeholders} ON CONFLICT {target}"
                f" DO UPDATE SET orders = {table}.orders + excluded.orders,"
                f" amount = {table}.amount + excluded.amount",
                [value for row in values for value in row],
            )


def tally_order_created(*, order: Order) -> None:
    """A new order counts in its status (orders.services.orders.order_create)."""
    day = _utc_date(order)
    _upsert(
        order.manufacturer_id,
        (
            (order.partnership_id, placed_by, span, start, order.status, 1, order.total)
            for placed_by in _placed_by(order)
            for span, start in _spans(day)
        ),
    )


def tally_order_moved(*, order: Order, from_status: str, to_status: str) -> None:
    """An order left one status for another (orders.services.orders.order_transition)."""
    if from_status == to_status:
        return
    day = _utc_date(order)
    _upsert(
        order.manufacturer_id,
        (
            (order.partnership_id, placed_by, span, start, status, sign, sign * order.total)
            for placed_by in _placed_by(order)
            for span, start in _spans(day)
            for status, sign in ((from_status, -1), (to_status, 1))
        ),
    )


def tally_order_returned(*, order_return: OrderReturn, sign: int = 1) -> None:
    """Goods came back (orders.services.orders.order_return_create): counted on the day and
    month they came back. Only fulfilled and completed orders have returns, and those stay
    sales, so a return never moves with its order's status."""
    order = order_return.order
    day = _as_utc(order_return.returned_at)
    _upsert(
        order.manufacturer_id,
        (
            (
                order.partnership_id,
                placed_by,
                span,
                start,
                RETURN_MEASURE,
                sign,
                sign * order_return.amount,
            )
            for placed_by in _placed_by(order)
            for span, start in _spans(day)[:2]
        ),
    )


def tally_order_forget(*, order: Order) -> None:
    """Take an order and its returns out of the tallies, as stored now: before an operator
    deletes it or moves it to another partnership in the admin (orders.admin)."""
    stored = Order.objects.get(pk=order.pk)
    for order_return in OrderReturn.objects.filter(order=stored).select_related("order"):
        tally_order_returned(order_return=order_return, sign=-1)
    day = _utc_date(stored)
    _upsert(
        stored.manufacturer_id,
        (
            (stored.partnership_id, placed_by, span, start, stored.status, -1, -stored.total)
            for placed_by in _placed_by(stored)
            for span, start in _spans(day)
        ),
    )


def tally_order_count(*, order: Order) -> None:
    """Count an order that was forgotten and is kept after all (the admin's edit)."""
    stored = Order.objects.get(pk=order.pk)
    tally_order_created(order=stored)
    for order_return in OrderReturn.objects.filter(order=stored).select_related("order"):
        tally_order_returned(order_return=order_return)


def _as_utc(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _utc_date(order: Order) -> date:
    return _as_utc(order.created_at)


# --- computed from the orders ---------------------------------------------------------------


def live_tallies(*, manufacturer_id: int) -> Tallies:
    """What the tallies of a tenant must hold, computed from its orders and returns (rows at
    zero left out). Ten grouped queries, whatever the number of orders."""
    found: Tallies = {}
    orders = Order.objects.filter(manufacturer_id=manufacturer_id).order_by()
    returns = OrderReturn.objects.filter(manufacturer_id=manufacturer_id).order_by()
    truncs: list[tuple[str, type[TruncDate] | type[TruncMonth] | None]] = [
        (TallySpan.DAY.value, TruncDate),
        (TallySpan.MONTH.value, TruncMonth),
        (TallySpan.EVER.value, None),
    ]
    for placed in (False, True):
        these = orders.filter(is_manual=True, created_by__isnull=False) if placed else orders
        back = (
            returns.filter(order__is_manual=True, order__created_by__isnull=False)
            if placed
            else returns
        )
        by = ["created_by_id"] if placed else []
        for span, trunc in truncs:
            grouped = these.annotate(start=trunc("created_at")) if trunc else these
            starts = ["start"] if trunc else []
            for row in grouped.values("partnership_id", "status", *by, *starts).annotate(
                n=Count("pk"), value=Sum("total", output_field=SUM_FIELD)
            ):
                start = _day(row["start"]) if trunc else EVER
                placer = row["created_by_id"] if placed else None
                found[(row["partnership_id"], placer, span, start, row["status"])] = (
                    row["n"],
                    row["value"],
                )
            if trunc is None:
                continue
            for row in (
                back.annotate(
                    start=trunc("returned_at"),
                    partnership=F("order__partnership_id"),
                    placer=F("order__created_by_id"),
                )
                .values("partnership", *(["placer"] if placed else []), "start")
                .annotate(n=Count("pk"), value=Sum("amount", output_field=SUM_FIELD))
            ):
                placer = row["placer"] if placed else None
                key = (row["partnership"], placer, span, _day(row["start"]), RETURN_MEASURE)
                found[key] = (row["n"], row["value"])
    return found


def _day(value: date | datetime) -> date:
    return value.astimezone(UTC).date() if isinstance(value, datetime) else value


def kept_tallies(*, manufacturer_id: int) -> Tallies:
    """The tallies as stored, rows at zero left out."""
    return {
        (t.partnership_id, t.placed_by_id, t.span, t.start, t.measure): (t.orders, t.amount)
        for t in OrderTally.objects.filter(manufacturer_id=manufacturer_id)
        if t.orders or t.amount
    }


@transaction.atomic
def tally_rebuild(*, manufacturer_id: int) -> int:
    """Replace a tenant's tallies by the ones computed from its orders; the rows written."""
    locked = list(
        Manufacturer.objects.select_for_update().filter(pk=manufacturer_id).values_list("pk")
    )
    if not locked:
        return 0
    OrderTally.objects.filter(manufacturer_id=manufacturer_id).delete()
    rows = [
        OrderTally(
            manufacturer_id=manufacturer_id,
            partnership_id=partnership_id,
            placed_by_id=placed_by,
            span=span,
            start=start,
            measure=measure,
            orders=orders,
            amount=amount,
        )
        for (partnership_id, placed_by, span, start, measure), (orders, amount) in live_tallies(
            manufacturer_id=manufacturer_id
        ).items()
    ]
    OrderTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# --- reads ------------------------------------------------------------------------------------


def visible_tallies(
    *, manufacturer: Manufacturer, membership: ManufacturerMembership
) -> QuerySet[OrderTally]:
    """The tallies of the orders this member may see (orders.visibility's rule)."""
    return OrderTally.objects.filter(manufacturer=manufacturer).filter(
        tally_visibility_q(membership)
    )
