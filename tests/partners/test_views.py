"""The leaderboard, the scorecard page and rating an order, by every role."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import OrderStatus
from partners.metrics import add_months, month_start
from partners.models import OrderRating, Scorecard
from partners.services.scorecards import scorecards_compute
from tests.accounts.factories import ResellerFactory
from tests.csv_helpers import csv_rows
from tests.orders.factories import OrderFactory
from tests.partners.factories import ScorecardFactory
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def board_url(manufacturer, query=""):
    return f"/m/{manufacturer.slug}/partners/{query}"


def this_month() -> date:
    return month_start(timezone.localdate())


@pytest.fixture
def board(manufacturer):
    """Three partners: a steady one, a slipping one, one with no orders."""
    current = this_month()
    last, before = add_months(current, -1), add_months(current, -2)
    steady = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Alpha"))
    slipping = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Beta"))
    PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Gamma"))
    for month, orders, completed in ((before, 10, 9), (last, 12, 12)):
        ScorecardFactory(partnership=steady, month=month, orders=orders, completed=completed)
    for month, orders, cancelled in ((before, 8, 0), (last, 4, 2)):
        ScorecardFactory(partnership=slipping, month=month, orders=orders, cancelled=cancelled)
    return steady, slipping


def names(response):
    return [p.reseller.name for p in response.context["page_obj"]]


def test_the_leaderboard_ranks_by_orders_and_finds_the_slipping(
    client_for, manager, manufacturer, board
):
    client = client_for(manager)

    response = client.get(board_url(manufacturer))
    assert response.status_code == 200
    assert names(response) == ["Alpha", "Beta", "Gamma"]
    alpha = response.context["page_obj"][0]
    assert alpha.period_orders == 22
    assert alpha.period_completion.quantize(Decimal("0.01")) == Decimal("95.45")  # 21 of 22
    assert alpha.period_growth == Decimal("20")  # 12 against 10

    slipping = client.get(board_url(manufacturer, "?show=slipping"))
    assert names(slipping) == ["Beta"]
    assert names(client.get(board_url(manufacturer, "?sort=-cancellation")))[0] == "Beta"
    assert names(client.get(board_url(manufacturer, "?q=gam"))) == ["Gamma"]
    # One month: only the current one, which has no rows yet.
    one = client.get(board_url(manufacturer, "?months=1"))
    assert [p.period_orders for p in one.context["page_obj"]] == [0, 0, 0]


def test_the_leaderboard_csv(client_for, manager, manufacturer, board):
    response = client_for(manager).get(board_url(manufacturer, "?format=csv&sort=name"))
    rows = csv_rows(response)
    assert rows[0][:3] == ["Reseller ID", "Reseller", "Orders"]
    assert [row[1] for row in rows[1:]] == ["Alpha", "Beta", "Gamma"]
    assert rows[1][2] == "22" and rows[1][5] == "95.5"
    assert rows[3][5] == ""  # no orders: no completion rate


def test_the_leaderboard_query_budget_does_not_grow(
    client_for, manager, manufacturer, board, django_assert_max_num_queries
):
    client = client_for(manager)
    for n in range(30):
        partnership = PartnershipFactory(manufacturer=manufacturer)
        ScorecardFactory(partnership=partnership, month=this_month(), orders=n)
    # session, user, membership, entry tier, count, rows, unread notifications, switcher,
    # the due and overdue check-ins
    with django_assert_max_num_queries(10):
        assert client.get(board_url(manufacturer)).status_code == 200


@pytest.mark.parametrize("role", ["seller", "reseller_user"])
def test_sellers_and_resellers_do_not_reach_the_partner_pages(
    client_for, manufacturer, partnership, role, request
):
    user = request.getfixturevalue(role)
    client = client_for(user)
    order = OrderFactory(partnership=partnership)
    expected = 403 if role == "seller" else 404
    for url in (
        board_url(manufacturer),
        board_url(manufacturer, f"{partnership.reseller.public_id}/"),
        board_url(manufacturer, f"orders/{order.pk}/rating/"),
    ):
        assert client.get(url).status_code == expected, url
    assert (
        client.post(
            board_url(manufacturer, f"orders/{order.pk}/rating/"), {"satisfaction": "5"}
        ).status_code
        == expected
    )
    assert not OrderRating.objects.exists()


def test_anonymous_is_sent_to_log_in(client, manufacturer):
    response = client.get(board_url(manufacturer))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_scorecard_shows_history_period_and_orders(
    client_for, manager, manufacturer, april_may, django_assert_max_num_queries
):
    scorecards_compute(
        manufacturer=manufacturer, first_month=date(2026, 4, 1), last_month=date(2026, 5, 1)
    )
    client = client_for(manager)
    url = board_url(manufacturer, f"{april_may.a.reseller.public_id}/")

    # session, user, membership, partnership, history, 6 figures (response time too),
    # previous count, orders,
    # the tier panel (partner tier, entry tier, history, tier and manager choices), the
    # problems panel (exclusives, incidents, blocks, notes, the exclusive form's offers),
    # unread notifications, org switcher, the check-ins and reviews panel
    with django_assert_max_num_queries(27):
        response = client.get(url + "?from=2026-04-01&to=2026-05-31")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.orders, figures.completion_rate) == (6, Decimal("33.33"))
    assert response.context["period_growth"] is None  # nothing in Feb–Mar
    assert [name for name, _amount, _share in response.context["category_mix"]] == [
        "Speakers",
        "Cables",
    ]
    assert len(response.context["history"]) == 12
    assert "o1" not in response.content.decode()
    assert april_may.orders["o7"].number in response.content.decode()


def test_a_bad_period_falls_back_with_a_message(client_for, manager, manufacturer, april_may):
    url = board_url(manufacturer, f"{april_may.a.reseller.public_id}/")
    response = client_for(manager).get(url + "?from=2026-05-31&to=2026-04-01")
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert (response.context["period_end"] - response.context["period_start"]).days == 89


def test_the_scorecard_csv_has_twelve_months(client_for, manager, manufacturer, partnership):
    ScorecardFactory(partnership=partnership, month=this_month(), orders=3, completed=3)
    url = board_url(manufacturer, f"{partnership.reseller.public_id}/?format=csv")
    rows = csv_rows(client_for(manager).get(url))
    assert len(rows) == 13
    assert rows[-1][0] == this_month().strftime("%Y-%m") and rows[-1][1] == "3"


def test_another_tenants_partner_and_order_are_404(
    client_for, manager, manufacturer, other_manufacturer
):
    foreign = PartnershipFactory(manufacturer=other_manufacturer)
    order = OrderFactory(partnership=foreign)
    client = client_for(manager)
    assert client.get(board_url(manufacturer, f"{foreign.reseller.public_id}/")).status_code == 404
    assert client.get(board_url(manufacturer, "NOSUCH1/")).status_code == 404
    rating_url = board_url(manufacturer, f"orders/{order.pk}/rating/")
    assert client.get(rating_url).status_code == 404
    assert client.post(rating_url, {"satisfaction": "5"}).status_code == 404
    assert client.get(board_url(manufacturer, "orders/999999/rating/")).status_code == 404


def test_staff_rate_an_order(client_for, manager, manufacturer, partnership):
    order = OrderFactory(partnership=partnership, status=OrderStatus.COMPLETED)
    url = board_url(manufacturer, f"orders/{order.pk}/rating/")
    client = client_for(manager)
    assert client.get(url).status_code == 200

    response = client.post(url, {"satisfaction": "4", "address_accurate": "false"})

    assert response.status_code == 302
    assert response["Location"] == board_url(manufacturer, f"{partnership.reseller.public_id}/")
    rating = OrderRating.objects.get(order=order)
    assert (rating.satisfaction, rating.address_accurate, rating.recorded_by) == (4, False, manager)


@pytest.mark.parametrize("value", ["0", "6", "-1", "x", "9" * 30])
def test_a_bad_satisfaction_is_refused_and_nothing_is_written(
    client_for, manager, manufacturer, partnership, value
):
    order = OrderFactory(partnership=partnership)
    url = board_url(manufacturer, f"orders/{order.pk}/rating/")
    response = client_for(manager).post(url, {"satisfaction": value})
    assert response.status_code == 400
    assert not OrderRating.objects.exists()
    assert not Scorecard.objects.exists()
