"""What the API answers: the same rows, figures and rules as the pages."""

from decimal import Decimal

import pytest

from catalog.services import price_list_create, price_list_item_set
from orders.models import Order, OrderNote, OrderStatus, OrderStatusChange
from tests.orders.factories import force_status, make_order

pytestmark = pytest.mark.django_db


def paths(tenant):
    return f"/api/v1/m/{tenant.manufacturer.slug}"


def test_orders_list_shows_the_tenants_orders_newest_first(tenant, other_tenant, key_for, api):
    response = api(key_for(tenant.owner)).get(f"{paths(tenant)}/orders/")

    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()["results"]]
    expected = sorted(tenant.orders + tenant.other_orders, key=lambda o: (o.created_at, o.pk))
    assert numbers == [o.number for o in reversed(expected)]
    assert response.json()["results"][0]["total"] == str(expected[-1].total)


def test_a_reps_orders_list_holds_only_their_customers(tenant, key_for, api):
    response = api(key_for(tenant.rep)).get(f"{paths(tenant)}/orders/")

    assert {row["number"] for row in response.json()["results"]} == {
        o.number for o in tenant.orders
    }


def test_orders_filter_by_status_and_reseller(tenant, key_for, api):
    force_status(tenant.orders[0], OrderStatus.ACCEPTED)
    client = api(key_for(tenant.owner))

    accepted = client.get(f"{paths(tenant)}/orders/", {"status": "accepted"}).json()["results"]
    by_reseller = client.get(
        f"{paths(tenant)}/orders/", {"reseller": tenant.other_partnership.reseller_id}
    ).json()["results"]

    assert [row["number"] for row in accepted] == [tenant.orders[0].number]
    assert [row["number"] for row in by_reseller] == [tenant.other_orders[0].number]


def test_cursor_pages_walk_every_order_once(tenant, key_for, api):
    client = api(key_for(tenant.owner))
    seen, url, params = [], f"{paths(tenant)}/orders/", {"page_size": 2}
    while url:
        page = client.get(url, params).json()
        seen += [row["number"] for row in page["results"]]
        url, params = page["next"], None

    assert sorted(seen) == sorted(o.number for o in tenant.orders + tenant.other_orders)
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "lots"}, "page_size"),
        ({"status": "bogus"}, "status"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"reseller": "999999"}, "reseller"),
    ],
)
def test_a_bad_filter_is_a_400_with_the_fields_error(params, field, tenant, key_for, api):
    response = api(key_for(tenant.owner)).get(f"{paths(tenant)}/orders/", params)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field][0], str)


def test_another_tenants_reseller_is_no_filter_value(tenant, other_tenant, key_for, api):
    response = api(key_for(tenant.owner)).get(
        f"{paths(tenant)}/orders/", {"reseller": other_tenant.partnership.reseller_id}
    )

    assert response.status_code == 400


def test_order_detail_has_lines_timeline_and_the_moves_allowed(tenant, key_for, api):
    order = tenant.orders[0]
    body = api(key_for(tenant.owner)).get(f"{paths(tenant)}/orders/{order.pk}/").json()

    assert [(line["sku"], line["quantity"]) for line in body["lines"]] == [
        (p.sku, q) for p, q in zip(tenant.products, [2, 1], strict=True)
    ]
    assert body["status"] == order.status
    assert body["timeline"][0]["to_status"] == order.status
    assert set(body["available_transitions"]) == {"accepted", "rejected", "cancelled"}


def test_a_status_change_goes_through_the_workflow(tenant, key_for, api):
    order = tenant.orders[0]
    client = api(key_for(tenant.manager))

    response = client.post(
        f"{paths(tenant)}/orders/{order.pk}/transition/", {"to_status": "accepted"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    change = OrderStatusChange.objects.filter(order=order).latest("created_at")
    assert change.changed_by == tenant.manager.user


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"to_status": "completed"}, "detail"),  # the workflow does not allow it now
        ({"to_status": "rejected"}, "detail"),  # a reason is required
        ({"to_status": "shipped"}, "to_status"),
        ({"to_status": 7}, "to_status"),
        ({}, "to_status"),
        ({"to_status": "accepted", "priority": "high"}, "priority"),
        ({"to_status": "accepted", "reason": "x" * 501}, "reason"),
    ],
)
def test_a_refused_status_change_is_a_400_and_changes_nothing(body, expected, tenant, key_for, api):
    order = tenant.orders[0]
    changes = OrderStatusChange.objects.count()

    response = api(key_for(tenant.owner)).post(
        f"{paths(tenant)}/orders/{order.pk}/transition/", body
    )

    assert response.status_code == 400
    assert expected in response.json()
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert OrderStatusChange.objects.count() == changes


@pytest.mark.parametrize(
    "raw", ["{not json", "[1, 2]", '"text"', "null", '{"to_status": ["accepted"]}']
)
def test_malformed_json_is_a_400(raw, tenant, key_for, api):
    order = tenant.orders[0]

    response = api(key_for(tenant.owner)).post(
        f"{paths(tenant)}/orders/{order.pk}/transition/", raw=raw
    )

    assert response.status_code == 400
    assert response.json()


def test_a_body_above_the_limit_is_refused_with_413(tenant, key_for, api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    order = tenant.orders[0]

    response = api(key_for(tenant.owner)).post(
        f"{paths(tenant)}/orders/{order.pk}/notes/", {"body": "x" * 2000}
    )

    assert response.status_code == 413
    assert not OrderNote.objects.filter(order=order).exists()


def test_notes_are_added_and_shown_to_their_side(tenant, key_for, reseller_key_for, api):
    order = tenant.orders[0]
    manufacturer = api(key_for(tenant.rep))

    created = manufacturer.post(
        f"{paths(tenant)}/orders/{order.pk}/notes/", {"body": "Ships Monday", "is_internal": True}
    )

    assert created.status_code == 201
    note = OrderNote.objects.get(order=order)
    assert (note.body, note.author, note.is_internal) == ("Ships Monday", tenant.rep.user, True)
    reseller_detail = api(reseller_key_for(tenant.reseller_user)).get(
        f"/api/v1/r/{tenant.partnership.reseller.public_id}/m/{tenant.manufacturer.slug}"
        f"/orders/{order.pk}/"
    )
    assert reseller_detail.json()["notes"] == []  # internal to the manufacturer


def test_resellers_list_has_the_directory_figures(tenant, key_for, api):
    rows = api(key_for(tenant.owner)).get(f"{paths(tenant)}/resellers/").json()["results"]

    by_id = {row["reseller"]["public_id"]: row for row in rows}
    mine = by_id[tenant.partnership.reseller.public_id]
    assert mine["order_count"] == 2
    assert Decimal(mine["sales"]) == sum(o.total for o in tenant.orders)
    assert mine["sales_rep"]["email"] == tenant.rep.user.email
    assert set(by_id) == {
        tenant.partnership.reseller.public_id,
        tenant.other_partnership.reseller.public_id,
    }


def test_a_reps_resellers_list_is_their_portfolio(tenant, key_for, api):
    rows = api(key_for(tenant.rep)).get(f"{paths(tenant)}/resellers/").json()["results"]

    assert [row["reseller"]["public_id"] for row in rows] == [tenant.partnership.reseller.public_id]


def test_statistics_over_a_period(tenant, key_for, api):
    client = api(key_for(tenant.owner))
    path = f"{paths(tenant)}/resellers/{tenant.partnership.reseller.public_id}/statistics/"

    body = client.get(path, {"days": "30"}).json()

    assert body["orders"]["current"] == 2
    assert Decimal(body["sales"]["current"]) == sum(o.total for o in tenant.orders)
    assert client.get(path, {"from": "2026-02-01", "to": "2026-01-01"}).status_code == 400
    assert client.get(path, {"days": "13"}).status_code == 400


def test_products_carry_list_prices_and_reseller_prices(tenant, key_for, reseller_key_for, api):
    price_list = price_list_create(manufacturer=tenant.manufacturer, name="Gold")
    price_list_item_set(price_list=price_list, product=tenant.products[0], price=Decimal("80.00"))
    type(tenant.partnership)._base_manager.filter(pk=tenant.partnership.pk).update(
        price_list=price_list, discount_percent=Decimal("10.00")
    )

    staff = api(key_for(tenant.owner)).get(f"{paths(tenant)}/products/").json()["results"]
    reseller = api(reseller_key_for(tenant.reseller_user)).get(
        f"/api/v1/r/{tenant.partnership.reseller.public_id}/m/{tenant.manufacturer.slug}/products/"
    )

    assert {row["sku"]: row["list_price"] for row in staff} == {
        p.sku: str(p.price) for p in tenant.products
    }
    prices = {row["sku"]: row["price"] for row in reseller.json()["results"]}
    assert prices == {tenant.products[0].sku: "72.00", tenant.products[1].sku: "17.99"}


def test_a_reseller_cancels_its_order_through_the_workflow(tenant, reseller_key_for, api):
    order = tenant.orders[0]
    base = f"/api/v1/r/{tenant.partnership.reseller.public_id}/m/{tenant.manufacturer.slug}"
    client = api(reseller_key_for(tenant.reseller_user))

    without_reason = client.post(
        f"{base}/orders/{order.pk}/transition/", {"to_status": "cancelled"}
    )
    accept = client.post(f"{base}/orders/{order.pk}/transition/", {"to_status": "accepted"})
    cancelled = client.post(
        f"{base}/orders/{order.pk}/transition/", {"to_status": "cancelled", "reason": "Twice"}
    )

    assert without_reason.status_code == 400
    assert accept.status_code == 400  # only the manufacturer accepts
    assert cancelled.status_code == 200
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_a_reseller_sees_only_its_own_orders(tenant, reseller_key_for, api):
    mine = make_order(tenant.partnership, tenant.products[:1])
    client = api(reseller_key_for(tenant.reseller_user))
    public_id = tenant.partnership.reseller.public_id

    all_orders = client.get(f"/api/v1/r/{public_id}/orders/").json()["results"]
    other = client.get(
        f"/api/v1/r/{public_id}/m/{tenant.manufacturer.slug}/orders/{tenant.other_orders[0].pk}/"
    )

    assert {row["number"] for row in all_orders} == {o.number for o in [*tenant.orders, mine]}
    assert other.status_code == 404


def test_list_queries_do_not_grow_with_the_page(
    tenant, key_for, api, django_assert_max_num_queries
):
    client = api(key_for(tenant.owner))
    for _ in range(30):
        make_order(tenant.partnership, tenant.products)
    # key lookup, role check, last-used, membership, the page (+1 for the cursor's count of
    # nothing): a fixed number, whatever page_size says.
    for path in ["orders/", "resellers/", "products/", "categories/"]:
        with django_assert_max_num_queries(10):
            response = client.get(f"{paths(tenant)}/{path}", {"page_size": 200})
        assert response.status_code == 200


def test_a_key_past_its_rate_limit_gets_429_with_retry_after(tenant, key_for, api, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "3/min"
    busy, calm = api(key_for(tenant.owner)), api(key_for(tenant.owner))
    path = f"{paths(tenant)}/products/"

    answers = [busy.get(path).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = busy.get(path)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert calm.get(path).status_code == 200  # counted per key
    cache.clear()


def test_grant_and_revoke_through_the_qualification_services(tenant, key_for, api):
    from qualifications.models import QualificationGrant

    client = api(key_for(tenant.manager))
    base = f"{paths(tenant)}/resellers/{tenant.partnership.reseller.public_id}"

    granted = client.post(f"{base}/grant/", {"code": tenant.other_qualification.code.lower()})
    again = client.post(f"{base}/grant/", {"code": tenant.other_qualification.code})
    unknown = client.post(f"{base}/grant/", {"code": "NOPE"})
    revoked = client.post(f"{base}/revoke/", {"code": tenant.qualification.code, "reason": "x"})
    not_held = client.post(f"{base}/revoke/", {"code": tenant.qualification.code})

    assert granted.status_code == 200
    assert {g["qualification"]["code"] for g in granted.json()} == {
        tenant.qualification.code,
        tenant.other_qualification.code,
    }
    assert again.status_code == 400 and "already holds" in again.json()["detail"]
    assert unknown.status_code == 400 and "code" in unknown.json()
    assert revoked.status_code == 200
    assert [g["qualification"]["code"] for g in revoked.json()] == [tenant.other_qualification.code]
    assert not_held.status_code == 400
    revocation = QualificationGrant.objects.get(
        qualification=tenant.qualification, revoked_at__isnull=False
    )
    assert (revocation.revoked_by, revocation.revoke_reason) == (tenant.manager.user, "x")


def test_a_grant_queues_the_webhook_event_in_its_transaction(tenant, key_for, api):
    from api.models import WebhookDelivery
    from tests.api.factories import WebhookEndpointFactory

    WebhookEndpointFactory(manufacturer=tenant.manufacturer, events=["qualification.granted"])
    base = f"{paths(tenant)}/resellers/{tenant.partnership.reseller.public_id}"

    api(key_for(tenant.owner)).post(f"{base}/grant/", {"code": tenant.other_qualification.code})

    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "qualification.granted"
    assert tenant.other_qualification.code in delivery.body


def test_qualification_list_counts_the_holders_the_caller_may_see(tenant, key_for, api):
    owner_rows = api(key_for(tenant.owner)).get(f"{paths(tenant)}/qualifications/").json()
    rep_rows = api(key_for(tenant.other_rep)).get(f"{paths(tenant)}/qualifications/").json()

    def counts(body):
        return {row["code"]: row["holder_count"] for row in body["results"]}

    assert counts(owner_rows)[tenant.qualification.code] == 1
    assert counts(rep_rows)[tenant.qualification.code] == 0  # the holder is not their customer


def test_a_reseller_lists_and_adds_its_end_customers(tenant, reseller_key_for, api):
    from channel.models import EndCustomer

    public_id = tenant.partnership.reseller.public_id
    client = api(reseller_key_for(tenant.reseller_user))
    base = f"/api/v1/r/{public_id}/customers/"

    listed = client.get(base).json()["results"]
    made = client.post(base, {"name": "Julia Weber", "email": "Julia@Example.test"})
    twice = client.post(base, {"name": "Julia W.", "email": "julia@example.test"})
    bad = client.post(base, {"name": "", "email": "not-an-email", "vip": True})
    foreign = client.get(f"{base}{tenant.other_customer.pk}/")

    assert [row["email"] for row in listed] == [tenant.customer.email]
    assert made.status_code == 201
    assert EndCustomer.objects.filter(
        reseller=tenant.partnership.reseller, email="julia@example.test"
    ).exists()
    assert twice.status_code == 400
    assert bad.status_code == 400 and set(bad.json()) == {"vip"}
    assert foreign.status_code == 404
    assert EndCustomer.objects.filter(reseller=tenant.partnership.reseller).count() == 2


def test_assigning_a_reseller_moves_it_between_portfolios(tenant, key_for, api):
    path = f"{paths(tenant)}/resellers/{tenant.partnership.reseller.public_id}"
    owner = api(key_for(tenant.owner))
    rep_key, other_rep_key = key_for(tenant.rep), key_for(tenant.other_rep)

    moved = owner.post(f"{path}/assign/", {"rep": tenant.other_rep.user.pk})
    not_a_rep = owner.post(f"{path}/assign/", {"rep": tenant.manager.user.pk})

    assert moved.status_code == 200
    assert moved.json()["sales_rep"]["email"] == tenant.other_rep.user.email
    assert not_a_rep.status_code == 400
    assert api(rep_key).get(f"{path}/").status_code == 404
    assert api(other_rep_key).get(f"{path}/").status_code == 200


def test_staff_read_reply_and_mark_a_conversation_done(tenant, key_for, reseller_key_for, api):
    client = api(key_for(tenant.rep))
    base = f"{paths(tenant)}/conversations/"

    listed = client.get(base).json()["results"]
    replied = client.post(f"{base}{tenant.conversation.pk}/reply/", {"body": "Monday."})
    done = client.post(f"{base}{tenant.conversation.pk}/done/")
    empty = client.post(f"{base}{tenant.conversation.pk}/reply/", {"body": ""})

    # The rep's customer only (its qualification grant opened a conversation too).
    assert tenant.conversation.pk in [row["id"] for row in listed]
    assert {row["reseller"]["public_id"] for row in listed} == {
        tenant.partnership.reseller.public_id
    }
    assert replied.status_code == 201
    assert [m["body"] for m in replied.json()["messages"]] == ["Any news?", "Monday."]
    assert done.status_code == 200 and done.json()["mark"]
    assert empty.status_code == 400
    reseller_view = api(reseller_key_for(tenant.reseller_user)).get(
        f"/api/v1/r/{tenant.partnership.reseller.public_id}/m/{tenant.manufacturer.slug}"
        f"/conversations/{tenant.conversation.pk}/"
    )
    assert "Monday." in [m["body"] for m in reseller_view.json()["messages"]]


def test_a_reseller_starts_and_replies_to_conversations(tenant, reseller_key_for, api):
    from communications.models import Conversation

    client = api(reseller_key_for(tenant.reseller_user))
    base = (
        f"/api/v1/r/{tenant.partnership.reseller.public_id}/m/{tenant.manufacturer.slug}"
        "/conversations/"
    )

    started = client.post(base, {"kind": "inventory", "subject": "Stock", "body": "Cables?"})
    bad_kind = client.post(base, {"kind": "gossip", "body": "x"})
    reply = client.post(f"{base}{started.json()['id']}/reply/", {"body": "Any update?"})
    foreign = client.get(f"{base}{tenant.other_conversation.pk}/")

    assert started.status_code == 201
    assert Conversation.objects.get(pk=started.json()["id"]).partnership == tenant.partnership
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    assert reply.status_code == 201 and len(reply.json()["messages"]) == 2
    assert foreign.status_code == 404
