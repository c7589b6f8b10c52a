"""Sales statistics of one partnership, checked against figures worked out by hand.

Current period: 2024-01-20 .. 2024-02-18 (30 days, crossing a month);
previous period: 2023-12-21 .. 2024-01-19.

    order  created           items            status     total    counts?
    o1     2024-01-20 10:00  2 x A (100.00)   placed     200.00   yes
    o2     2024-01-31 23:30  1 x B + 10 x C   completed   23.49   yes
    o3     2024-02-01 00:10  1 x A            fulfilled  100.00   yes (returned 02-10)
    o4     2024-02-05        3 x A            rejected   300.00   no
    o5     2024-02-06        1 x B            cancelled   19.99   no
    o6     2024-02-18 23:59  1 x B            accepted    19.99   yes (last minute)
    o7     2024-02-19 00:00  1 x A            placed     100.00   no (next period)
    p1     2023-12-21 00:00  2 x A            completed  200.00   previous; returned 1 on
                                                                  01-05 and 1 on 01-25
    p2     2024-01-19 12:00  1 x B            placed      19.99   previous
    x1     2024-02-01        5 x A with ANOTHER manufacturer: never counted here

Current:  gross 343.48, 4 orders, returns 100 (o3) + 100 (p1, by returned_at) = 200.00,
          sales 143.48, average order value 343.48 / 4 = 85.87.
Previous: gross 219.99, 2 orders, returns 100.00, sales 119.99, AOV 109.995 -> 110.00.
"""

from datetime import date
from decimal import Decimal

import pytest

from resellers.statistics import (
    Period,
    auto_granularity,
    delta_percent,
    partnership_statistics,
)
from tests.accounts.factories import ResellerFactory
from tests.resellers.factories import PartnershipFactory
from tests.resellers.sales_helpers import S, at, give_back, make_catalog, sale

D = Decimal
PERIOD = Period(start=date(2024, 1, 20), end=date(2024, 2, 18))


@pytest.fixture
def partnership(manufacturer):
    return PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())


@pytest.fixture
def history(manufacturer, other_manufacturer, partnership):
    p = make_catalog(manufacturer)
    A, B, C = p["A"], p["B"], p["C"]
    sale(partnership, [(A, 2)], when=at(2024, 1, 20, 10))
    sale(partnership, [(B, 1), (C, 10)], when=at(2024, 1, 31, 23, 30), status=S.COMPLETED)
    o3 = sale(partnership, [(A, 1)], when=at(2024, 2, 1, 0, 10), status=S.FULFILLED)
    give_back(o3, quantity=1, when=at(2024, 2, 10))
    sale(partnership, [(A, 3)], when=at(2024, 2, 5), status=S.REJECTED)
    sale(partnership, [(B, 1)], when=at(2024, 2, 6), status=S.CANCELLED)
    sale(partnership, [(B, 1)], when=at(2024, 2, 18, 23, 59), status=S.ACCEPTED)
    sale(partnership, [(A, 1)], when=at(2024, 2, 19, 0, 0))
    p1 = sale(partnership, [(A, 2)], when=at(2023, 12, 21, 0, 0), status=S.COMPLETED)
    give_back(p1, quantity=1, when=at(2024, 1, 5))
    give_back(p1, quantity=1, when=at(2024, 1, 25))
    sale(partnership, [(B, 1)], when=at(2024, 1, 19))
    # The same reseller buying from another manufacturer.
    foreign = PartnershipFactory(manufacturer=other_manufacturer, reseller=partnership.reseller)
    x = make_catalog(other_manufacturer)
    sale(foreign, [(x["A"], 5)], when=at(2024, 2, 1), status=S.COMPLETED)
    return p


def test_totals_returns_and_exclusions(history, partnership):
    stats = partnership_statistics(partnership=partnership, period=PERIOD)

    assert stats.gross.current == D("343.48")
    assert stats.orders.current == 4
    assert stats.returns.current == D("200.00")
    assert stats.sales.current == D("143.48")
    assert stats.average_order_value.current == D("85.87")


def test_previous_period_and_deltas(history, partnership):
    stats = partnership_statistics(partnership=partnership, period=PERIOD)

    assert stats.previous_period == Period(start=date(2023, 12, 21), end=date(2024, 1, 19))
    assert stats.gross.previous == D("219.99")
    assert stats.orders.previous == 2
    assert stats.returns.previous == D("100.00")
    assert stats.sales.previous == D("119.99")
    assert stats.average_order_value.previous == D("110.00")
    # (143.48 - 119.99) / 119.99 = 19.58 %; (4 - 2) / 2 = 100 %
    assert stats.sales.delta == D("19.6")
    assert stats.orders.delta == D("100.0")


def test_monthly_series_splits_the_month_shared_with_the_previous_period(history, partnership):
    stats = partnership_statistics(partnership=partnership, period=PERIOD, granularity="month")

    assert stats.granularity == "month"
    assert [b.start for b in stats.series] == [date(2024, 1, 20), date(2024, 2, 1)]
    january, february = stats.series
    assert (january.gross, january.returns, january.orders) == (D("223.49"), D("100.00"), 2)
    assert (february.gross, february.returns, february.orders) == (D("119.99"), D("100.00"), 2)
    assert sum(b.sales for b in stats.series) == stats.sales.current
    # previous period: December 200.00; January 1-19: 19.99 - 100.00 returned
    assert [b.previous_sales for b in stats.series] == [D("200.00"), D("-80.01")]


def test_daily_series_has_every_day_and_adds_up(history, partnership):
    stats = partnership_statistics(partnership=partnership, period=PERIOD)

    assert stats.granularity == "day"
    assert len(stats.series) == 30
    by_day = {b.start: b for b in stats.series}
    assert by_day[date(2024, 1, 31)].gross == D("23.49")
    assert by_day[date(2024, 2, 1)].gross == D("100.00")
    assert by_day[date(2024, 2, 5)].orders == 0  # rejected
    assert by_day[date(2024, 2, 18)].gross == D("19.99")
    assert sum(b.gross for b in stats.series) == D("343.48")
    assert sum(b.sales for b in stats.series) == D("143.48")
    assert sum(b.previous_sales for b in stats.series) == D("119.99")


def test_weekly_series_adds_up(history, partnership):
    stats = partnership_statistics(partnership=partnership, period=PERIOD, granularity="week")

    assert all(b.start.weekday() == 0 for b in stats.series[1:])
    assert stats.series[0].start == PERIOD.start
    assert sum(b.sales for b in stats.series) == D("143.48")
    assert sum(b.orders for b in stats.series) == 4


def test_top_products_and_categories(history, partnership):
    stats = partnership_statistics(partnership=partnership, period=PERIOD)

    assert [(r.code, r.quantity, r.revenue) for r in stats.top_products] == [
        ("SPK-A", 3, D("300.00")),
        ("CBL-B", 2, D("39.98")),
        ("CLP-C", 10, D("3.50")),
    ]
    assert [(r.name, r.quantity, r.revenue) for r in stats.top_categories] == [
        ("Speakers", 3, D("300.00")),
        ("Cables", 12, D("43.48")),
    ]


def test_an_empty_period(history, partnership):
    period = Period(start=date(2022, 3, 1), end=date(2022, 3, 7))

    stats = partnership_statistics(partnership=partnership, period=period)

    assert stats.sales.current == stats.sales.previous == D("0.00")
    assert stats.orders.current == 0
    assert stats.average_order_value.current == D("0.00")
    assert stats.sales.delta is None
    assert len(stats.series) == 7
    assert all(b.sales == 0 and b.orders == 0 for b in stats.series)
    assert stats.top_products == [] and stats.top_categories == []


def test_statistics_cost_six_queries_whatever_the_orders(
    history, partnership, django_assert_num_queries
):
    # totals, returns, series orders, series returns, sales per product, the products sold
    # (a period with sales: with none, the last query is skipped)
    with django_assert_num_queries(6):
        partnership_statistics(partnership=partnership, period=PERIOD)


def test_chart_data_is_plain_json(history, partnership):
    stats = partnership_statistics(partnership=partnership, period=PERIOD, granularity="month")

    chart = stats.chart_data(labels={"sales": "Sales", "previous": "Before", "orders": "Orders"})

    assert chart["labels"] == ["2024-01", "2024-02"]
    assert chart["datasets"][0]["data"] == ["123.49", "19.99"]
    assert chart["datasets"][1]["data"] == ["200.00", "-80.01"]
    assert chart["datasets"][2]["data"] == [2, 2]


@pytest.mark.parametrize(
    ("days", "expected"), [(7, "day"), (30, "day"), (31, "day"), (90, "week"), (365, "month")]
)
def test_granularity_follows_the_period_length(days, expected):
    assert auto_granularity(Period.last_days(days, today=date(2024, 6, 30))) == expected


def test_period_arithmetic():
    period = Period.last_days(7, today=date(2024, 3, 3))

    assert (period.start, period.end, period.days) == (date(2024, 2, 26), date(2024, 3, 3), 7)
    assert period.previous() == Period(start=date(2024, 2, 19), end=date(2024, 2, 25))
    assert delta_percent(D("50"), D("0")) is None
    assert delta_percent(D("50"), D("100")) == D("-50.0")
