"""A rep's reduced portal across the pages other apps build: reseller directory and profile,
order list, detail, CSV, search and manual orders; catalog editing and staff pages are 403."""

import pytest

from accounts.models import Role
from orders.models import Order
from salesreps.services import portfolio_assign
from tests.salesreps.conftest import customer


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode()


def order_numbers(response) -> set[str]:
    return {order.number for order in response.context["page_obj"]}


# --- orders --------------------------------------------------------------------------------


def test_order_list_shows_each_member_exactly_their_orders(world, login):
    o = {key: order.number for key, order in world.orders.items()}
    url = world.url("orders_manufacturer:list")
    assert order_numbers(login(world.rep_a).get(url)) == {o["a1"], o["a2"]}
    assert order_numbers(login(world.rep_b).get(url)) == {o["b1"]}
    everything = {o["a1"], o["a2"], o["b1"], o["free"]}
    assert order_numbers(login(world.manager).get(url)) == everything
    assert order_numbers(login(world.owner).get(url)) == everything
    assert login(world.rep_a).get(url).context["page_obj"].total == 2


def test_order_search_and_csv_respect_the_portfolio(world, login):
    rep_a = login(world.rep_a)
    url = world.url("orders_manufacturer:list")
    assert order_numbers(rep_a.get(url, {"q": world.orders["b1"].number})) == set()
    assert order_numbers(rep_a.get(url, {"q": "Beta"})) == set()
    assert order_numbers(rep_a.get(url, {"q": "Alpha Sound One"})) == {world.orders["a1"].number}

    content = csv_text(rep_a.get(url, {"format": "csv"}))
    assert world.orders["a1"].number in content and world.orders["a2"].number in content
    for key in ("b1", "free", "foreign"):
        assert world.orders[key].number not in content
    manager_csv = csv_text(login(world.manager).get(url, {"format": "csv"}))
    assert world.orders["b1"].number in manager_csv
    assert world.orders["foreign"].number not in manager_csv


def test_order_list_reseller_filter_offers_only_visible_resellers(world, login):
    form = login(world.rep_a).get(world.url("orders_manufacturer:list")).context["form"]
    offered = {str(choice) for choice in form.fields["reseller"].queryset}
    assert any("Alpha Sound One" in name for name in offered)
    assert not any("Beta Hifi" in name or "Free Radio" in name for name in offered)


def test_order_detail_is_404_outside_the_portfolio(world, login):
    rep_a = login(world.rep_a)
    assert (
        rep_a.get(world.url("orders_manufacturer:detail", pk=world.orders["a1"].pk)).status_code
        == 200
    )
    for key in ("b1", "free", "foreign"):
        assert (
            rep_a.get(world.url("orders_manufacturer:detail", pk=world.orders[key].pk)).status_code
            == 404
        )
    manager = login(world.manager)
    assert (
        manager.get(world.url("orders_manufacturer:detail", pk=world.orders["b1"].pk)).status_code
        == 200
    )
    assert (
        manager.get(
            world.url("orders_manufacturer:detail", pk=world.orders["foreign"].pk)
        ).status_code
        == 404
    )


def test_reassignment_moves_order_visibility_at_once_both_ways(world, login):
    rep_a, rep_b = login(world.rep_a), login(world.rep_b)
    detail = world.url("orders_manufacturer:detail", pk=world.orders["a1"].pk)
    portfolio_assign(manufacturer=world.tenant, partnership=world.a1, rep=world.rep_b, by=None)
    assert rep_a.get(detail).status_code == 404
    assert rep_b.get(detail).status_code == 200
    assert world.orders["a1"].number in order_numbers(
        rep_b.get(world.url("orders_manufacturer:list"))
    )
    portfolio_assign(manufacturer=world.tenant, partnership=world.a1, rep=world.rep_a, by=None)
    assert rep_a.get(detail).status_code == 200
    assert rep_b.get(detail).status_code == 404


def test_manual_order_choices_are_the_portfolio_and_the_order_is_linked_to_the_rep(world, login):
    rep_a = login(world.rep_a)
    url = world.url("orders_manufacturer:create_manual")
    offered = {p.reseller.name for p in rep_a.get(url).context["partnerships"]}
    assert offered == {"Alpha Sound One", "Alpha Sound Two"}
    assert rep_a.get(url, {"partnership": world.b1.pk}).status_code == 404
    assert rep_a.get(url, {"partnership": world.foreign.pk}).status_code == 404

    data = {
        "partnership": world.a1.pk,
        "own_use": "on",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-sku": world.product.sku,
        "lines-0-quantity": "2",
    }
    response = rep_a.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("recipient_form")
    order = Order.objects.filter(partnership=world.a1).latest("pk")
    assert order.created_by == world.rep_a and order.is_manual
    assert rep_a.get(world.url("orders_manufacturer:detail", pk=order.pk)).status_code == 200
    assert (
        login(world.rep_b).get(world.url("orders_manufacturer:detail", pk=order.pk)).status_code
        == 404
    )


# --- resellers directory and profile -------------------------------------------------------


def directory_names(response) -> set[str]:
    return {row.reseller.name for row in response.context["page_obj"]}


def test_directory_lists_exactly_the_visible_customers(world, login):
    url = world.url("resellers_manufacturer:directory")
    assert directory_names(login(world.rep_a).get(url)) == {"Alpha Sound One", "Alpha Sound Two"}
    assert directory_names(login(world.rep_b).get(url)) == {"Beta Hifi"}
    assert directory_names(login(world.manager).get(url)) == {
        "Alpha Sound One",
        "Alpha Sound Two",
        "Beta Hifi",
        "Free Radio",
    }
    assert directory_names(login(world.rep_a).get(url, {"q": "Beta"})) == set()
    csv = csv_text(login(world.rep_a).get(url, {"format": "csv"}))
    assert "Alpha Sound One" in csv and "Beta Hifi" not in csv and "Free Radio" not in csv


def test_profile_is_404_outside_the_portfolio(world, login):
    def profile(partnership):
        return world.url("resellers_manufacturer:profile", public_id=partnership.reseller.public_id)

    rep_a = login(world.rep_a)
    assert rep_a.get(profile(world.a1)).status_code == 200
    assert rep_a.get(profile(world.b1)).status_code == 404
    assert rep_a.get(profile(world.free)).status_code == 404
    assert rep_a.get(profile(world.foreign)).status_code == 404
    assert login(world.manager).get(profile(world.b1)).status_code == 200


@pytest.mark.parametrize("role", [Role.SELLER, Role.MANAGER])
def test_directory_query_budget_at_hundreds_of_customers(
    world, login, django_assert_max_num_queries, role
):
    user = world.rep_a if role == Role.SELLER else world.manager
    for index in range(200):
        partnership = customer(world.tenant, f"Bulk {index:03d}")
        rep = world.rep_a if index % 2 else world.rep_b
        portfolio_assign(manufacturer=world.tenant, partnership=partnership, rep=rep, by=None)
    client = login(user)
    with django_assert_max_num_queries(20):
        response = client.get(world.url("resellers_manufacturer:directory"))
    assert response.status_code == 200
    expected = 102 if role == Role.SELLER else 204
    assert response.context["page_obj"].paginator.count == expected


# --- what a rep cannot do ------------------------------------------------------------------


def test_rep_cannot_edit_catalog_or_reach_staff_pages(world, login):
    rep_a = login(world.rep_a)
    assert rep_a.get(world.url("catalog_manufacturer:product_create")).status_code == 403
    assert rep_a.get(world.url("accounts_manufacturer:team")).status_code == 403
    assert rep_a.get(world.url("salesreps_manufacturer:overview")).status_code == 403
    assert (
        rep_a.post(world.url("accounts_manufacturer:settings"), {"currency": "USD"}).status_code
        == 403
    )
    world.tenant.refresh_from_db()
    assert world.tenant.currency == "EUR"


# --- communications inbox ------------------------------------------------------------------


def test_inbox_and_conversations_follow_the_portfolio(world, login):
    from communications.services.conversations import conversation_start

    def start(partnership, subject):
        return conversation_start(
            partnership=partnership,
            kind="general",
            subject=subject,
            body="Hello",
            author=world.reseller_user,
        )

    mine, theirs = start(world.a1, "About A1"), start(world.b1, "About B1")
    rep_a = login(world.rep_a)
    inbox = rep_a.get(
        world.url("communications_manufacturer:inbox"), {"tab": "all"}
    ).content.decode()
    assert "About A1" in inbox and "About B1" not in inbox
    assert (
        rep_a.get(
            world.url("communications_manufacturer:detail", conversation_id=mine.pk)
        ).status_code
        == 200
    )
    assert (
        rep_a.get(
            world.url("communications_manufacturer:detail", conversation_id=theirs.pk)
        ).status_code
        == 404
    )
    manager_inbox = login(world.manager).get(
        world.url("communications_manufacturer:inbox"), {"tab": "all"}
    )
    assert "About B1" in manager_inbox.content.decode()


def test_inbox_counts_search_and_actions_follow_the_portfolio(world, login):
    from communications.models import Conversation, StaffComment
    from communications.services.conversations import conversation_start

    mine, theirs, foreign = (
        conversation_start(
            partnership=partnership,
            kind="general",
            subject=subject,
            body="Hello",
            author=world.reseller_user,
        )
        for partnership, subject in (
            (world.a1, "About A1"),
            (world.b1, "About B1"),
            (world.foreign, "About Lamps"),
        )
    )

    def counts(client, **params):
        response = client.get(world.url("communications_manufacturer:inbox"), params)
        return {tab["key"]: tab["count"] for tab in response.context["tabs"]}, response

    rep_a = login(world.rep_a)
    tabs, _ = counts(rep_a)
    assert tabs["new"] == 1 and tabs["marked"] == 0
    assert counts(login(world.manager))[0]["new"] == 2
    tabs, found = counts(rep_a, q="About B1")
    assert tabs["new"] == 0
    assert f'id="conversation-{theirs.pk}"' not in found.content.decode()
    tabs, found = counts(rep_a, q="About A1")
    assert tabs["new"] == 1
    assert f'id="conversation-{mine.pk}"' in found.content.decode()

    # another rep's and another tenant's conversations answer 404 to every action
    for conversation in (theirs, foreign):
        for name, data in (
            ("communications_manufacturer:reply", {"body": "hi"}),
            ("communications_manufacturer:comment", {"body": "note"}),
            ("communications_manufacturer:mark_done", {}),
        ):
            response = rep_a.post(world.url(name, conversation_id=conversation.pk), data)
            assert response.status_code == 404, name
        message = conversation.messages.get()
        response = rep_a.post(
            world.url("communications_manufacturer:message_emoji", message_id=message.pk),
            {"emoji": "✅"},
        )
        assert response.status_code == 404
    assert not Conversation.objects.exclude(mark="").exists()
    assert not StaffComment.objects.exists()
    assert theirs.messages.count() == 1 and foreign.messages.count() == 1
    # their own customer's conversation: the rep triages it
    assert (
        rep_a.post(
            world.url("communications_manufacturer:mark_done", conversation_id=mine.pk)
        ).status_code
        == 302
    )
