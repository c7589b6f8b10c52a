"""Keyset pages of the order lists (core.listing.keyset_paginate): `?cursor=` links that
neither repeat nor skip a row when orders arrive between two requests, keep the filters and
the sort, and answer the first page to a cursor that is garbage, altered or another sort's."""

import re
from html import unescape

import pytest
from django.core import signing

from accounts.models import Role
from core import listing
from orders.models import Order, OrderStatus
from salesreps.services import portfolio_assign
from tests.orders.factories import force_status, make_order
from tests.resellers.factories import PartnershipFactory


def url(manufacturer):
    return f"/m/{manufacturer.slug}/orders/"


def numbers(response):
    return [order.number for order in response.context["page_obj"]]


def link(response, rel):
    """The query string of the page's Next (rel=next) or Previous (rel=prev) link."""
    found = re.search(rf'rel="{rel}" href="\?([^"]+)"', response.text)
    assert found, f"no {rel} link"
    return unescape(found.group(1))


@pytest.fixture
def orders(partnership, products):
    """30 orders, newest last."""
    return [make_order(partnership, products[:1]) for _ in range(30)]


def test_the_next_page_after_a_new_order_neither_repeats_nor_skips_a_row(
    client_for, manager, manufacturer, partnership, products, orders
):
    client = client_for(manager)
    first = client.get(url(manufacturer))
    newest_first = [o.number for o in reversed(orders)]
    assert numbers(first) == newest_first[:25]
    assert "30 in all" in first.text

    arrived = make_order(partnership, products[:1])  # between the two requests
    second = client.get(f"{url(manufacturer)}?{link(first, 'next')}")

    assert second.status_code == 200
    assert numbers(second) == newest_first[25:]
    assert 'rel="next"' not in second.text
    # Back from page 2: the 25 rows before its first, and a newer row still above them.
    back = client.get(f"{url(manufacturer)}?{link(second, 'prev')}")
    assert numbers(back) == newest_first[:25]
    assert back.context["page_obj"].has_previous
    assert numbers(client.get(url(manufacturer)))[0] == arrived.number


def test_cursor_links_keep_the_filters_and_the_sort(
    client_for, manager, manufacturer, partnership, products, orders
):
    for order in orders[:3]:
        force_status(order, OrderStatus.ACCEPTED)
    client = client_for(manager)
    params = {"status": OrderStatus.PLACED, "sort": "number"}
    first = client.get(url(manufacturer), params)
    query = link(first, "next")
    assert "status=placed" in query and "sort=number" in query

    second = client.get(f"{url(manufacturer)}?{query}")
    placed = sorted(o.number for o in orders[3:])
    assert numbers(first) + numbers(second) == placed


@pytest.mark.parametrize("sort", ["date", "-date", "number", "-number", "total", "-total",
                                  "status", "-status", "reseller", "-reseller"])  # fmt: skip
def test_every_keyset_sort_walks_every_row_once(
    client_for, manager, manufacturer, products, other_partnership, partnership, sort
):
    made = [make_order(partnership, products[: 1 + i % 3]) for i in range(14)]
    made += [make_order(other_partnership, products[:1]) for _ in range(13)]
    client = client_for(manager)
    seen, query, pages = [], f"sort={sort}", 0
    while True:
        response = client.get(f"{url(manufacturer)}?{query}")
        assert response.context["page_obj"].is_keyset
        seen += numbers(response)
        pages += 1
        if 'rel="next"' not in response.text:
            break
        query = link(response, "next")
    assert pages == 2
    assert sorted(seen) == sorted(o.number for o in made)
    assert len(seen) == len(set(seen))


# Ids are fixed: a signed value carries a timestamp, and xdist workers must collect the same ids.
@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("garbage", id="garbage"),
        pytest.param("", id="empty"),
        pytest.param("\x00", id="nul"),
        pytest.param(
            signing.dumps(["-date", ">", "not a date", 1], salt="core.listing.keyset"),
            id="not-a-date",
        ),
        pytest.param(
            signing.dumps(["number", ">", "X", 1], salt="core.listing.keyset"),
            id="another-sorts",
        ),
        pytest.param(
            signing.dumps(["", ">", "2020-01-01T00:00:00+00:00", 1], salt="forged"),
            id="forged-salt",
        ),
        pytest.param(
            signing.dumps(["", "?", "2020-01-01T00:00:00+00:00", 1], salt="core.listing.keyset"),
            id="unknown-direction",
        ),
        pytest.param(
            signing.dumps(["", ">", "2020-01-01T00:00:00+00:00", "1"], salt="core.listing.keyset"),
            id="text-id",
        ),
        pytest.param(signing.dumps("a string", salt="core.listing.keyset"), id="not-a-list"),
    ],
)
def test_a_garbage_forged_or_foreign_cursor_shows_the_first_page(
    client_for, manager, manufacturer, orders, cursor
):
    response = client_for(manager).get(url(manufacturer), {"cursor": cursor})
    assert response.status_code == 200
    assert numbers(response) == [o.number for o in reversed(orders)][:25]


def test_an_altered_cursor_shows_the_first_page(client_for, manager, manufacturer, orders):
    client = client_for(manager)
    query = link(client.get(url(manufacturer)), "next")
    altered = query[:-3] + ("aaa" if not query.endswith("aaa") else "bbb")
    response = client.get(f"{url(manufacturer)}?{altered}")
    assert response.status_code == 200
    assert not response.context["page_obj"].has_previous


def test_a_rep_walks_only_their_portfolio(
    client_for, make_member, manufacturer, partnership, other_partnership, products
):
    rep = make_member(manufacturer, Role.SELLER)
    other_rep = make_member(manufacturer, Role.SELLER)
    portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=rep, by=None)
    portfolio_assign(
        manufacturer=manufacturer, partnership=other_partnership, rep=other_rep, by=None
    )
    mine = [make_order(partnership, products[:1]) for _ in range(27)]
    theirs = [make_order(other_partnership, products[:1]) for _ in range(27)]
    client = client_for(rep)
    first = client.get(url(manufacturer))
    second = client.get(f"{url(manufacturer)}?{link(first, 'next')}")
    assert sorted(numbers(first) + numbers(second)) == sorted(o.number for o in mine)
    # The other rep's cursor, replayed by this rep, still shows only this rep's orders.
    other_client = client_for(other_rep)
    their_next = link(other_client.get(url(manufacturer)), "next")
    replayed = numbers(client.get(f"{url(manufacturer)}?{their_next}"))
    assert not set(replayed) & {o.number for o in theirs}


def test_a_foreign_tenants_cursor_shows_nothing_of_theirs(
    client_for, manager, manufacturer, other_manufacturer, make_member, products, orders
):
    from tests.catalog.factories import ProductFactory

    foreign = PartnershipFactory(manufacturer=other_manufacturer)
    product = ProductFactory(manufacturer=other_manufacturer)
    foreign_orders = [make_order(foreign, [product]) for _ in range(27)]
    foreign_manager = make_member(other_manufacturer, Role.MANAGER)
    their_next = link(client_for(foreign_manager).get(url(other_manufacturer)), "next")
    response = client_for(manager).get(f"{url(manufacturer)}?{their_next}")
    assert response.status_code == 200
    assert not set(numbers(response)) & {o.number for o in foreign_orders}


def test_the_total_is_bounded(client_for, manager, manufacturer, orders, monkeypatch):
    monkeypatch.setattr(listing, "KEYSET_COUNTED", 10)
    response = client_for(manager).get(url(manufacturer))
    assert "more than 10 in all" in response.text
    assert len(numbers(response)) == 25


def test_sorting_by_customer_pages_by_a_bounded_offset(
    client_for, manager, manufacturer, partnership, products, customer, orders
):
    response = client_for(manager).get(url(manufacturer), {"sort": "customer", "page": "2"})
    assert not getattr(response.context["page_obj"], "is_keyset", False)
    assert len(numbers(response)) == 5


def test_a_deep_page_costs_the_queries_of_the_first(
    client_for, manager, manufacturer, orders, django_assert_max_num_queries
):
    client = client_for(manager)
    first = client.get(url(manufacturer))
    query = link(first, "next")
    # session, user, membership, bounded count, page of orders (+ related), nav
    with django_assert_max_num_queries(12):
        assert client.get(f"{url(manufacturer)}?{query}").status_code == 200


def test_the_resellers_lists_page_by_cursor(
    client_for, reseller_user, other_reseller_user, partnership, products
):
    for _ in range(28):
        make_order(partnership, products[:1])
    client = client_for(reseller_user)
    for page_url in (
        f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/orders/",
        f"/r/{partnership.reseller.public_id}/orders/",
    ):
        newest_first = list(
            Order.objects.filter(partnership=partnership)
            .order_by("-created_at", "-pk")
            .values_list("number", flat=True)
        )
        first = client.get(page_url)
        query = link(first, "next")
        make_order(partnership, products[:1])
        second = client.get(f"{page_url}?{query}")
        assert numbers(first) + numbers(second) == newest_first
        # Another reseller's user gets the 404 of a reseller they do not belong to.
        assert client_for(other_reseller_user).get(f"{page_url}?{query}").status_code == 404
