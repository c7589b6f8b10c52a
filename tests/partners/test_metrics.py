"""Every metric against figures worked out by hand on `april_may` (tests/partners/conftest.py)."""

from datetime import date
from decimal import Decimal

import pytest

from partners.metrics import Figures, compute_figures, day_start, growth, rate
from tests.partners.conftest import at

pytestmark = pytest.mark.django_db


def figures_for(manufacturer, start: date, end: date, by_month: bool, ids=None):
    return compute_figures(
        manufacturer=manufacturer,
        start=day_start(start),
        end=day_start(end),
        by_month=by_month,
        partnership_ids=ids,
    )


def test_monthly_figures_are_the_hand_computed_ones(manufacturer, april_may):
    a = april_may.a.pk
    months = figures_for(manufacturer, date(2026, 3, 1), date(2026, 6, 1), by_month=True)

    assert (a, date(2026, 3, 1)) not in months  # an empty month has no figures at all
    april = months[(a, date(2026, 4, 1))]
    # o1..o4; o5 still awaits payment.
    assert (april.orders, april.accepted, april.rejected) == (4, 2, 1)
    assert (april.completed, april.cancelled, april.sold) == (1, 1, 2)
    assert april.acceptance_rate == Decimal("66.67")  # 2 of the 3 decided
    assert april.completion_rate == Decimal("25.00")
    assert april.cancellation_rate == Decimal("25.00")
    assert april.revenue == Decimal("310.00")  # o1 200 + o4 110
    assert april.average_order_value == Decimal("155.00")
    assert (april.new_customers, april.repeat_customers) == (2, 0)  # C1, C2
    assert april.category_mix == {"Speakers": Decimal("300.00"), "Cables": Decimal("10.00")}
    assert (april.rated_orders, april.satisfaction) == (2, Decimal("3.50"))
    assert (april.address_checked, april.address_accurate) == (3, 2)
    assert april.address_accuracy == Decimal("66.67")
    assert april.returns_amount == Decimal("0.00")

    may = months[(a, date(2026, 5, 1))]
    assert (may.orders, may.accepted, may.rejected, may.completed, may.cancelled) == (
        2,
        1,
        0,
        1,
        0,
    )
    assert may.acceptance_rate == Decimal("100.00")
    assert may.completion_rate == Decimal("50.00")
    assert may.cancellation_rate == Decimal("0.00")
    assert may.revenue == Decimal("110.00")
    assert may.average_order_value == Decimal("55.00")
    assert (may.new_customers, may.repeat_customers) == (1, 1)  # C3 new, C1 again
    assert may.returns_amount == Decimal("100.00")  # booked in May on April's order
    assert (may.rated_orders, may.satisfaction, may.address_accuracy) == (0, None, None)

    other = months[(april_may.b.pk, date(2026, 4, 1))]
    assert (other.orders, other.revenue) == (1, Decimal("10.00"))


def test_a_chosen_period_adds_up_its_months(manufacturer, april_may):
    a = april_may.a.pk
    whole = figures_for(manufacturer, date(2026, 4, 1), date(2026, 6, 1), by_month=False)[(a, None)]

    assert (whole.orders, whole.accepted, whole.rejected) == (6, 3, 1)
    assert whole.acceptance_rate == Decimal("75.00")
    assert whole.completion_rate == Decimal("33.33")
    assert whole.cancellation_rate == Decimal("16.67")
    assert whole.revenue == Decimal("420.00")
    assert whole.average_order_value == Decimal("105.00")
    assert (whole.new_customers, whole.repeat_customers) == (3, 0)
    assert whole.returns_amount == Decimal("100.00")


def test_a_customer_who_ordered_before_the_period_is_a_repeat_one(manufacturer, april_may):
    may = figures_for(
        manufacturer, date(2026, 5, 1), date(2026, 6, 1), by_month=False, ids=[april_may.a.pk]
    )
    assert set(may) == {(april_may.a.pk, None)}  # B is left out
    assert (
        may[(april_may.a.pk, None)].new_customers,
        may[(april_may.a.pk, None)].repeat_customers,
    ) == (1, 1)


def test_a_period_with_no_orders_divides_by_nothing(manufacturer, april_may):
    assert figures_for(manufacturer, date(2026, 3, 1), date(2026, 4, 1), by_month=False) == {}
    empty = Figures()
    assert (empty.acceptance_rate, empty.completion_rate, empty.cancellation_rate) == (
        None,
        None,
        None,
    )
    assert empty.average_order_value == Decimal("0.00")
    assert empty.address_accuracy is None


def test_only_rejections_give_a_zero_acceptance_rate(manufacturer, april_may):
    """Decided orders exist, none accepted: 0 %, not None."""
    april_only_o3 = Figures(orders=1, rejected=1)
    assert april_only_o3.acceptance_rate == Decimal("0.00")


def test_rates_and_growth_by_hand():
    assert rate(1, 3) == Decimal("33.33")
    assert rate(2, 3) == Decimal("66.67")
    assert rate(0, 0) is None
    assert growth(2, 4) == Decimal("-50.0")
    assert growth(3, 0) is None
    assert growth(0, 5) == Decimal("-100.0")
    assert growth(100_000, 1) == Decimal("999.9")  # bounded


def test_another_tenant_is_not_counted(manufacturer, other_manufacturer, april_may):
    assert figures_for(other_manufacturer, date(2026, 4, 1), date(2026, 6, 1), by_month=False) == {}
    assert at(4, 2).month == 4
