"""Stored monthly scorecards: what the nightly run writes, and a late change recomputed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import OrderStatus
from partners.models import OrderRating, Scorecard
from partners.services import PartnerRefused
from partners.services.scorecards import (
    order_rating_record,
    scorecards_compute,
    scorecards_refresh,
    stale_months,
)
from tests.partners.conftest import at, move

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 25)


def stored(partnership):
    return {card.month: card for card in Scorecard.objects.filter(partnership=partnership)}


def test_compute_stores_every_month_with_zero_rows_for_empty_ones(manufacturer, april_may):
    written = scorecards_compute(
        manufacturer=manufacturer, first_month=date(2026, 3, 1), last_month=date(2026, 5, 1)
    )

    a = stored(april_may.a)
    assert sorted(a) == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    march, april, may = a[date(2026, 3, 1)], a[date(2026, 4, 1)], a[date(2026, 5, 1)]
    assert (march.orders, march.completion_rate, march.average_order_value) == (
        0,
        None,
        Decimal("0.00"),
    )
    assert (april.orders, april.acceptance_rate, april.satisfaction) == (
        4,
        Decimal("66.67"),
        Decimal("3.50"),
    )
    assert april.category_mix == {"Cables": "10.00", "Speakers": "300.00"}
    assert (may.orders, may.returns_amount, may.new_customers) == (2, Decimal("100.00"), 1)
    # B began today (December): only its backdated April shows; no empty rows before it.
    assert sorted(stored(april_may.b)) == [date(2026, 4, 1)]
    assert written == 4


def test_computing_twice_updates_rows_in_place(manufacturer, april_may):
    for _ in range(2):
        scorecards_compute(
            manufacturer=manufacturer, first_month=date(2026, 4, 1), last_month=date(2026, 4, 1)
        )
    assert Scorecard.objects.filter(partnership=april_may.a).count() == 1


def test_the_first_nightly_run_backfills_from_the_first_order(manufacturer, april_may):
    months = scorecards_refresh(manufacturer=manufacturer, today=TODAY)

    assert months == [date(2026, 4, 1), date(2026, 5, 1)]
    assert stored(april_may.a)[date(2026, 4, 1)].orders == 4


def test_a_late_change_recomputes_the_month_it_touches(manufacturer, april_may, manager):
    scorecards_refresh(manufacturer=manufacturer, today=date(2026, 7, 2))
    before = stored(april_may.a)
    assert before[date(2026, 4, 1)].completed == 1
    assert before[date(2026, 4, 1)].satisfaction == Decimal("3.50")

    # In July: April's placed order o4 is completed, and its customer's rating is recorded.
    move(
        april_may.orders["o4"],
        OrderStatus.ACCEPTED,
        OrderStatus.FULFILLED,
        OrderStatus.COMPLETED,
        when=timezone.now(),
    )
    order_rating_record(
        order=april_may.orders["o4"], satisfaction=2, address_accurate=None, by=manager
    )
    assert stale_months(manufacturer=manufacturer, since=before[date(2026, 4, 1)].computed_at) == {
        date(2026, 4, 1)
    }
    months = scorecards_refresh(manufacturer=manufacturer, today=date(2026, 7, 2))

    assert date(2026, 4, 1) in months
    april = stored(april_may.a)[date(2026, 4, 1)]
    assert (april.completed, april.completion_rate) == (2, Decimal("50.00"))
    assert april.satisfaction == Decimal("3.00")  # (5 + 2 + 2) / 3
    # Nothing else moved: a second night recomputes only the current and previous month.
    assert scorecards_refresh(manufacturer=manufacturer, today=date(2026, 7, 2)) == [
        date(2026, 6, 1),
        date(2026, 7, 1),
    ]


def test_a_late_return_recomputes_the_month_it_is_booked_in(manufacturer, april_may):
    from orders.services.orders import ReturnLineRequest, order_return_create

    scorecards_refresh(manufacturer=manufacturer, today=date(2026, 7, 2))
    o6 = april_may.orders["o6"]
    order_return_create(
        order=o6,
        lines=[ReturnLineRequest(order_line_id=o6.lines.get().pk, quantity=1)],
        created_by=None,
        returned_at=at(5, 30),
    )
    scorecards_refresh(manufacturer=manufacturer, today=date(2026, 7, 2))

    assert stored(april_may.a)[date(2026, 5, 1)].returns_amount == Decimal("110.00")


def test_another_tenants_changes_are_not_its_months(manufacturer, other_manufacturer, april_may):
    since = timezone.now() - timedelta(days=1)
    assert stale_months(manufacturer=other_manufacturer, since=since) == set()
    assert stale_months(manufacturer=manufacturer, since=since) == {
        date(2026, 4, 1),
        date(2026, 5, 1),
    }


@pytest.mark.parametrize("satisfaction", [0, 6, -1])
def test_a_satisfaction_outside_1_to_5_is_refused(april_may, satisfaction):
    with pytest.raises(PartnerRefused, match="from 1 to 5"):
        order_rating_record(
            order=april_may.orders["o4"], satisfaction=satisfaction, address_accurate=None, by=None
        )
    assert not OrderRating.objects.filter(order=april_may.orders["o4"]).exists()
