"""A rep keeps the manual orders they placed when the customer moves to another rep, and
still never sees another rep's orders (orders.visibility.order_visibility_q)."""

import pytest

from channel.visibility import ViewerRequired
from orders.selectors.orders import access_order_for_manufacturer, orders_for_manufacturer
from salesreps.services import portfolio_assign
from tests.orders.factories import make_order


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode()


def listed(response) -> list[str]:
    return [order.number for order in response.context["page_obj"]]


@pytest.fixture
def moved(world):
    """Rep A placed a manual order for A1 and rep B one for B1; then A1 moved to rep B."""
    own = make_order(world.a1, [world.product], created_by=world.rep_a, is_manual=True)
    b_manual = make_order(world.b1, [world.product], created_by=world.rep_b, is_manual=True)
    portfolio_assign(manufacturer=world.tenant, partnership=world.a1, rep=world.rep_b, by=None)
    return own, b_manual


def test_rep_still_opens_their_own_manual_order_after_the_customer_moved(world, login, moved):
    own, b_manual = moved
    rep_a = login(world.rep_a)
    assert rep_a.get(world.url("orders_manufacturer:detail", pk=own.pk)).status_code == 200
    # The customer's other orders went with the customer, and rep B's order is never A's.
    for order in (world.orders["a1"], b_manual, world.orders["b1"], world.orders["foreign"]):
        assert rep_a.get(world.url("orders_manufacturer:detail", pk=order.pk)).status_code == 404


def test_rep_lists_and_exports_their_own_manual_order_once(world, login, moved):
    own, b_manual = moved
    rep_a = login(world.rep_a)
    url = world.url("orders_manufacturer:list")
    assert sorted(listed(rep_a.get(url))) == sorted([own.number, world.orders["a2"].number])
    content = csv_text(rep_a.get(url, {"format": "csv"}))
    assert content.count(own.number) == 1
    for order in (world.orders["a1"], b_manual, world.orders["b1"]):
        assert order.number not in content


def test_new_rep_sees_the_moved_customers_orders_once_each(world, login, moved):
    own, b_manual = moved
    numbers = listed(login(world.rep_b).get(world.url("orders_manufacturer:list")))
    assert sorted(numbers) == sorted(
        [own.number, b_manual.number, world.orders["a1"].number, world.orders["b1"].number]
    )


def test_a_manual_order_a_rep_did_not_place_stays_hidden(world, login):
    # A manager's manual order for rep A's customer, then the customer moves: not rep A's.
    by_manager = make_order(world.a1, [world.product], created_by=world.manager, is_manual=True)
    portfolio_assign(manufacturer=world.tenant, partnership=world.a1, rep=world.rep_b, by=None)
    rep_a = login(world.rep_a)
    assert rep_a.get(world.url("orders_manufacturer:detail", pk=by_manager.pk)).status_code == 404


def test_others_cannot_reach_the_reps_manual_order(world, login, moved, client):
    own, _b_manual = moved
    path = world.url("orders_manufacturer:detail", pk=own.pk)
    assert login(world.other_rep).get(path).status_code == 404
    assert login(world.other_manager).get(path).status_code == 404
    assert login(world.reseller_user).get(path).status_code == 404
    assert (
        login(world.other_rep)
        .get(world.url("orders_manufacturer:detail", world.other, pk=own.pk))
        .status_code
        == 404
    )
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_order_selectors_refuse_a_missing_viewer(world, moved):
    own, _b_manual = moved
    with pytest.raises(ViewerRequired):
        orders_for_manufacturer(manufacturer=world.tenant, membership=None)  # type: ignore[arg-type]
    with pytest.raises(ViewerRequired):
        access_order_for_manufacturer(manufacturer=world.tenant, membership=None, pk=own.pk)  # type: ignore[arg-type]


def test_order_list_of_a_rep_keeps_a_constant_query_count(
    world, login, moved, django_assert_max_num_queries
):
    for _ in range(15):
        make_order(world.a2, [world.product], created_by=world.rep_a, is_manual=True)
    rep_a = login(world.rep_a)
    rep_a.get(world.url("orders_manufacturer:list"))
    with django_assert_max_num_queries(12):
        response = rep_a.get(world.url("orders_manufacturer:list"))
    assert response.status_code == 200
