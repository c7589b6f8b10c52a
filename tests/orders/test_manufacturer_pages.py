"""Manufacturer order pages: list, CSV, detail, status actions, notes, returns, manual orders."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from channel.models import Partnership, QualifyingStatus
from orders.models import NoteSide, Order, OrderReturn, OrderStatus
from orders.services.orders import order_note_add
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerUserFactory
from tests.orders.factories import force_status, make_order
from tests.resellers.factories import PartnershipFactory

S = OrderStatus


def url(manufacturer, suffix=""):
    return f"/m/{manufacturer.slug}/orders/{suffix}"


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def member(make_member, manufacturer, partnership):
    """member(role) -> a user; a seller gets `partnership` in their portfolio (issue 6)."""

    def make(role):
        user = make_member(manufacturer, role)
        if role == Role.SELLER:
            portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=user, by=None)
        return user

    return make


@pytest.fixture
def seller(member):
    return member(Role.SELLER)


@pytest.fixture
def order(partnership, products, customer, reseller_user):
    return make_order(partnership, products[:2], end_customer=customer, created_by=reseller_user)


@pytest.fixture
def foreign_order(other_manufacturer):
    from tests.catalog.factories import ProductFactory

    product = ProductFactory(manufacturer=other_manufacturer)
    foreign = PartnershipFactory(manufacturer=other_manufacturer)
    return make_order(foreign, [product])


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.SELLER])
def test_every_role_sees_list_and_detail(client_for, member, manufacturer, order, role):
    client = client_for(member(role))

    listing = client.get(url(manufacturer))
    detail = client.get(url(manufacturer, f"{order.pk}/"))

    assert listing.status_code == 200
    assert order.number in listing.text
    assert detail.status_code == 200
    assert "Julia Weber" in detail.text
    assert "SPK-1" in detail.text


@pytest.mark.parametrize("suffix", ["", "new/", "{pk}/"])
def test_other_tenant_staff_get_404(
    client_for, make_member, other_manufacturer, manufacturer, order, suffix
):
    stranger = make_member(other_manufacturer, Role.OWNER)
    response = client_for(stranger).get(url(manufacturer, suffix.format(pk=order.pk)))
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["", "new/", "{pk}/"])
def test_reseller_user_gets_404(client_for, reseller_user, manufacturer, order, suffix):
    response = client_for(reseller_user).get(url(manufacturer, suffix.format(pk=order.pk)))
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["", "new/", "{pk}/"])
def test_anonymous_is_sent_to_login(client, manufacturer, order, suffix):
    response = client.get(url(manufacturer, suffix.format(pk=order.pk)))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_foreign_or_missing_order_id_is_404(client_for, owner, manufacturer, foreign_order):
    client = client_for(owner)
    for pk in (foreign_order.pk, 999999):
        assert client.get(url(manufacturer, f"{pk}/")).status_code == 404
        response = client.post(url(manufacturer, f"{pk}/status/"), {"to_status": S.CANCELLED})
        assert response.status_code == 404
        assert client.post(url(manufacturer, f"{pk}/notes/"), {"body": "x"}).status_code == 404
    foreign_order.refresh_from_db()
    assert foreign_order.status == S.PLACED
    assert not foreign_order.notes.exists()


# --- list, filters, CSV ----------------------------------------------------------------------


@pytest.fixture
def varied_orders(partnership, other_partnership, products, customer, other_customer):
    now = timezone.now()
    a = make_order(partnership, products[:1], end_customer=customer, created_at=now)
    b = make_order(
        other_partnership,
        products[:1],
        end_customer=other_customer,
        created_at=now - timedelta(days=40),
    )
    c = force_status(make_order(partnership, products[1:2], created_at=now), S.ACCEPTED)
    return a, b, c


def _numbers(response):
    return {order.number for order in response.context["page_obj"]}


def test_list_filters(client_for, manager, manufacturer, varied_orders, other_reseller):
    a, b, c = varied_orders
    client = client_for(manager)
    today = timezone.localdate()

    assert _numbers(client.get(url(manufacturer))) == {a.number, b.number, c.number}
    assert _numbers(client.get(url(manufacturer), {"status": S.ACCEPTED})) == {c.number}
    assert _numbers(client.get(url(manufacturer), {"reseller": other_reseller.pk})) == {b.number}
    assert _numbers(client.get(url(manufacturer), {"customer": "julia"})) == {a.number}
    assert _numbers(client.get(url(manufacturer), {"q": "brightline"})) == {b.number}
    assert _numbers(client.get(url(manufacturer), {"q": a.number})) == {a.number}
    assert _numbers(client.get(url(manufacturer), {"q": other_reseller.public_id})) == {b.number}
    old = client.get(url(manufacturer), {"date_to": (today - timedelta(days=30)).isoformat()})
    assert _numbers(old) == {b.number}
    recent = client.get(url(manufacturer), {"date_from": (today - timedelta(days=1)).isoformat()})
    assert _numbers(recent) == {a.number, c.number}


def test_reseller_filter_offers_only_own_tenant_resellers(
    client_for, manager, manufacturer, varied_orders, foreign_order
):
    response = client_for(manager).get(url(manufacturer))
    choices = list(response.context["form"].fields["reseller"].queryset)
    assert foreign_order.reseller not in choices
    # A foreign reseller id in the filter is not a valid choice: it filters nothing out.
    filtered = client_for(manager).get(url(manufacturer), {"reseller": foreign_order.reseller.pk})
    assert foreign_order.number not in filtered.text


def test_sorting_by_total(client_for, manager, manufacturer, partnership, products):
    cheap = make_order(partnership, products[2:3])
    dear = make_order(partnership, products[:1], quantities=[3])
    client = client_for(manager)

    ascending = [
        o.number for o in client.get(url(manufacturer), {"sort": "total"}).context["page_obj"]
    ]
    descending = [
        o.number for o in client.get(url(manufacturer), {"sort": "-total"}).context["page_obj"]
    ]

    assert ascending == [cheap.number, dear.number]
    assert descending == [dear.number, cheap.number]


def test_csv_exports_the_filtered_rows(client_for, manager, manufacturer, varied_orders):
    a, b, _accepted = varied_orders
    response = client_for(manager).get(url(manufacturer), {"status": S.PLACED, "format": "csv"})

    rows = csv_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][0] == "Order"
    assert {row[0] for row in rows[1:]} == {a.number, b.number}


def test_htmx_list_renders_only_the_table(client_for, manager, manufacturer, varied_orders):
    response = client_for(manager).get(
        url(manufacturer), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="order-table"
    )
    assert response.status_code == 200
    assert "<table" in response.text
    # The inside of the #order-table container only: a second container would nest.
    assert 'id="order-table"' not in response.text
    assert "<html" not in response.text


def test_list_query_budget(
    client_for,
    manager,
    manufacturer,
    partnership,
    products,
    customer,
    django_assert_max_num_queries,
):
    for index in range(55):
        make_order(
            partnership,
            products[:1],
            end_customer=customer if index % 2 else None,
            is_manual=index % 3 == 0,
        )
    client = client_for(manager)
    client.get(url(manufacturer))  # warm the session

    # session, user, membership, count, page of orders (+ related), filter choices, nav
    with django_assert_max_num_queries(12):
        response = client.get(url(manufacturer), {"sort": "reseller"})
    assert len(response.context["page_obj"]) == 25
    with django_assert_max_num_queries(12):
        client.get(url(manufacturer), {"format": "csv"}).getvalue()


def test_detail_query_budget(
    client_for, manager, manufacturer, partnership, products, django_assert_max_num_queries
):
    order = force_status(make_order(partnership, products, quantities=[1, 2, 3]), S.FULFILLED)
    for _ in range(10):
        order_note_add(order=order, author=manager, side=NoteSide.MANUFACTURER, body="n")
    client = client_for(manager)
    client.get(url(manufacturer, f"{order.pk}/"))
    with django_assert_max_num_queries(20):
        assert client.get(url(manufacturer, f"{order.pk}/")).status_code == 200


# --- status actions --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER])
def test_staff_accept_with_plain_post(client_for, make_member, manufacturer, order, role):
    user = make_member(manufacturer, role)
    response = client_for(user).post(
        url(manufacturer, f"{order.pk}/status/"), {"to_status": S.ACCEPTED}
    )

    assert response.status_code == 302
    assert response["Location"] == url(manufacturer, f"{order.pk}/")
    order.refresh_from_db()
    assert order.status == S.ACCEPTED
    last = order.status_changes.last()
    assert last.changed_by == user


def test_full_manufacturer_path_shows_timeline(client_for, owner, manufacturer, order):
    client = client_for(owner)
    for status in (S.ACCEPTED, S.FULFILLED, S.COMPLETED):
        client.post(url(manufacturer, f"{order.pk}/status/"), {"to_status": status})
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    page = client.get(url(manufacturer, f"{order.pk}/"))
    timeline = [c.to_status for c in page.context["timeline"]]
    assert timeline == [S.PLACED, S.ACCEPTED, S.FULFILLED, S.COMPLETED]
    assert page.context["actions"] == []


def test_htmx_action_swaps_the_status_panel(client_for, owner, manufacturer, order):
    response = client_for(owner).post(
        url(manufacturer, f"{order.pk}/status/"),
        {"to_status": S.REJECTED, "reason": "Discontinued"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="status-panel"' in response.text
    assert "<html" not in response.text
    assert "Discontinued" in response.text
    assert "showMessage" in response["HX-Trigger"]
    order.refresh_from_db()
    assert order.status == S.REJECTED


@pytest.mark.parametrize("to_status", [S.REJECTED, S.CANCELLED])
def test_reject_and_cancel_need_a_reason(client_for, owner, manufacturer, order, to_status):
    client = client_for(owner)
    response = client.post(
        url(manufacturer, f"{order.pk}/status/"), {"to_status": to_status}, follow=True
    )

    assert "Give a reason" in response.text
    order.refresh_from_db()
    assert order.status == S.PLACED
    assert order.status_changes.count() == 1


def test_illegal_transition_refused_with_message(client_for, owner, manufacturer, order):
    force_status(order, S.COMPLETED)
    client = client_for(owner)

    response = client.post(
        url(manufacturer, f"{order.pk}/status/"), {"to_status": S.ACCEPTED}, follow=True
    )
    htmx = client.post(
        url(manufacturer, f"{order.pk}/status/"),
        {"to_status": S.CANCELLED, "reason": "x"},
        HTTP_HX_REQUEST="true",
    )

    assert "cannot make that change" in response.text
    assert "cannot make that change" in htmx.text
    order.refresh_from_db()
    assert order.status == S.COMPLETED


def test_seller_may_not_act_on_status(client_for, seller, manufacturer, order):
    client = client_for(seller)
    response = client.post(url(manufacturer, f"{order.pk}/status/"), {"to_status": S.ACCEPTED})
    detail = client.get(url(manufacturer, f"{order.pk}/"))

    assert response.status_code == 403
    assert detail.context["actions"] == []
    order.refresh_from_db()
    assert order.status == S.PLACED


def test_status_action_is_post_only(client_for, owner, manufacturer, order):
    assert client_for(owner).get(url(manufacturer, f"{order.pk}/status/")).status_code == 405


# --- notes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.SELLER])
def test_add_note(client_for, member, manufacturer, order, role):
    user = member(role)
    response = client_for(user).post(
        url(manufacturer, f"{order.pk}/notes/"), {"body": "Ship Friday", "is_internal": "on"}
    )

    assert response.status_code == 302
    note = order.notes.get()
    assert (note.body, note.side, note.is_internal, note.author) == (
        "Ship Friday",
        NoteSide.MANUFACTURER,
        True,
        user,
    )


def test_empty_note_rerenders_with_error(client_for, owner, manufacturer, order):
    response = client_for(owner).post(url(manufacturer, f"{order.pk}/notes/"), {"body": ""})
    assert response.status_code == 400
    assert not order.notes.exists()


def test_detail_hides_reseller_internal_notes(
    client_for, owner, reseller_user, manufacturer, order
):
    order_note_add(
        order=order, author=reseller_user, side=NoteSide.RESELLER, body="reseller-secret"
    )
    order_note_add(
        order=order,
        author=reseller_user,
        side=NoteSide.RESELLER,
        body="for-everyone",
        is_internal=False,
    )
    order_note_add(order=order, author=owner, side=NoteSide.MANUFACTURER, body="maker-internal")

    page = client_for(owner).get(url(manufacturer, f"{order.pk}/"))

    assert "reseller-secret" not in page.text
    assert "for-everyone" in page.text
    assert "maker-internal" in page.text


# --- returns ---------------------------------------------------------------------------------


def test_record_partial_return(client_for, owner, manufacturer, order):
    force_status(order, S.COMPLETED)
    line = order.lines.get(sku="SPK-1")
    client = client_for(owner)

    page = client.get(url(manufacturer, f"{order.pk}/returns/new/"))
    response = client.post(
        url(manufacturer, f"{order.pk}/returns/new/"),
        {
            f"qty_{line.pk}": "1",
            "returned_at": timezone.localdate().isoformat(),
            "reason": "Broken",
        },
    )

    assert page.status_code == 200
    assert response.status_code == 302
    order_return = OrderReturn.objects.get(order=order)
    assert order_return.amount == Decimal("100.00")
    assert order_return.reason == "Broken"
    assert timezone.localdate(order_return.returned_at) == timezone.localdate()
    assert order_return.created_by == owner
    assert [(rl.order_line_id, rl.quantity) for rl in order_return.lines.all()] == [(line.pk, 1)]
    assert "Broken" in client.get(url(manufacturer, f"{order.pk}/")).text  # shown on the order


def test_over_return_rerenders_with_error(client_for, owner, manufacturer, order):
    force_status(order, S.FULFILLED)
    line = order.lines.get(sku="SPK-1")
    response = client_for(owner).post(
        url(manufacturer, f"{order.pk}/returns/new/"),
        {f"qty_{line.pk}": "2", "returned_at": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert not OrderReturn.objects.exists()


def test_return_on_open_order_is_refused(client_for, owner, manufacturer, order):
    line = order.lines.first()
    response = client_for(owner).post(
        url(manufacturer, f"{order.pk}/returns/new/"),
        {f"qty_{line.pk}": "1", "returned_at": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "Only fulfilled or completed" in response.text
    assert not OrderReturn.objects.exists()


def test_seller_cannot_record_returns(client_for, seller, manufacturer, order):
    force_status(order, S.COMPLETED)
    assert client_for(seller).get(url(manufacturer, f"{order.pk}/returns/new/")).status_code == 403


# --- manual orders ---------------------------------------------------------------------------


def manual_post(partnership, rows, **extra):
    data = {
        "partnership": partnership.pk,
        "lines-TOTAL_FORMS": "5",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
        **extra,
    }
    for index, (sku, quantity) in enumerate(rows):
        data[f"lines-{index}-sku"] = sku
        data[f"lines-{index}-quantity"] = str(quantity)
    return data


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.SELLER])
def test_manual_order_remembers_creator(
    client_for, member, manufacturer, partnership, products, customer, role
):
    user = member(role)
    client = client_for(user)

    step1 = client.get(url(manufacturer, "new/"))
    step2 = client.get(url(manufacturer, "new/"), {"partnership": partnership.pk})
    response = client.post(
        url(manufacturer, "new/"),
        manual_post(
            partnership,
            [("SPK-1", 2), ("cbl-2", 1)],
            end_customer=customer.pk,
            **{"lines-0-unit_price": "0.01", "price": "0.01"},
        ),
    )

    assert step1.status_code == 200 and step2.status_code == 200
    assert "Julia Weber" in step2.text
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.is_manual is True
    assert order.created_by == user
    assert order.end_customer == customer
    assert order.total == Decimal("219.99")  # posted prices ignored


def test_manual_order_for_own_use(client_for, seller, manufacturer, partnership, products):
    response = client_for(seller).post(
        url(manufacturer, "new/"), manual_post(partnership, [("SPK-1", 1)], own_use="on")
    )
    assert response.status_code == 302, response.text
    assert Order.objects.get().own_use is True


@pytest.mark.parametrize("quantity", [0, -3])
def test_manual_order_zero_or_negative_quantity(
    client_for, owner, manufacturer, partnership, products, quantity
):
    response = client_for(owner).post(
        url(manufacturer, "new/"), manual_post(partnership, [("SPK-1", quantity)], own_use="on")
    )
    assert response.status_code == 400
    assert "at least 1" in response.text
    assert not Order.objects.exists()


def test_manual_order_unknown_or_foreign_sku(
    client_for, owner, manufacturer, partnership, products, foreign_product
):
    foreign_product.sku = "FOREIGN-9"
    foreign_product.save()
    response = client_for(owner).post(
        url(manufacturer, "new/"), manual_post(partnership, [("FOREIGN-9", 1)], own_use="on")
    )
    assert response.status_code == 400
    assert "No product with SKU" in response.text
    assert not Order.objects.exists()


def test_manual_order_customer_of_another_reseller(
    client_for, owner, manufacturer, partnership, products, other_customer
):
    response = client_for(owner).post(
        url(manufacturer, "new/"),
        manual_post(partnership, [("SPK-1", 1)], end_customer=other_customer.pk),
    )
    assert response.status_code == 400
    assert "does not belong" in response.text
    assert not Order.objects.exists()


def test_manual_order_needs_recipient(client_for, owner, manufacturer, partnership, customer):
    both = client_for(owner).post(
        url(manufacturer, "new/"),
        manual_post(partnership, [("SPK-1", 1)], end_customer=customer.pk, own_use="on"),
    )
    neither = client_for(owner).post(
        url(manufacturer, "new/"), manual_post(partnership, [("SPK-1", 1)])
    )
    assert both.status_code == neither.status_code == 400
    assert not Order.objects.exists()


def test_manual_order_foreign_or_inactive_partnership_is_404(
    client_for, owner, manufacturer, other_manufacturer, suspended_partnership
):
    foreign = PartnershipFactory(manufacturer=other_manufacturer)
    client = client_for(owner)
    for partnership in (foreign, suspended_partnership):
        assert (
            client.get(url(manufacturer, "new/"), {"partnership": partnership.pk}).status_code
            == 404
        )
        response = client.post(
            url(manufacturer, "new/"), manual_post(partnership, [("SPK-1", 1)], own_use="on")
        )
        assert response.status_code == 404
    assert client.get(url(manufacturer, "new/"), {"partnership": "junk"}).status_code == 404
    assert not Order.objects.exists()


def test_manual_order_partnership_choices_are_the_tenants_active_ones(
    client_for, owner, manufacturer, partnership, suspended_partnership, other_manufacturer
):
    foreign = PartnershipFactory(manufacturer=other_manufacturer)
    ResellerUserFactory(reseller=foreign.reseller)
    page = client_for(owner).get(url(manufacturer, "new/"))
    assert list(page.context["partnerships"]) == [partnership]


def test_seller_sees_only_portfolio_orders(
    client_for, seller, manufacturer, order, other_partnership, products
):
    outside = make_order(other_partnership, products[:1])
    client = client_for(seller)

    assert _numbers(client.get(url(manufacturer))) == {order.number}
    assert client.get(url(manufacturer, f"{outside.pk}/")).status_code == 404
    assert (
        client.get(url(manufacturer, "new/"), {"partnership": other_partnership.pk}).status_code
        == 404
    )


# --- outsiders on the actions ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["{pk}/status/", "{pk}/notes/", "{pk}/returns/new/", "new/"])
def test_outsiders_cannot_change_an_order(
    client,
    client_for,
    make_member,
    other_manufacturer,
    reseller_user,
    manufacturer,
    partnership,
    order,
    suffix,
):
    force_status(order, S.FULFILLED)
    line = order.lines.get(sku="SPK-1")
    path = url(manufacturer, suffix.format(pk=order.pk))
    # Data every action would accept from the tenant's owner.
    data = manual_post(partnership, [("SPK-1", 1)], own_use="on") | {
        "to_status": S.COMPLETED,
        "body": "Sneaky note",
        f"qty_{line.pk}": "1",
        "returned_at": timezone.localdate().isoformat(),
    }
    unassigned_seller = make_member(manufacturer, Role.SELLER)  # partnership not in portfolio

    assert (
        client_for(make_member(other_manufacturer, Role.OWNER)).post(path, data).status_code == 404
    )
    assert client_for(reseller_user).post(path, data).status_code == 404
    if suffix != "new/":
        # Staff-only actions stop at the role (403); notes stop at the portfolio (404).
        expected = 404 if suffix == "{pk}/notes/" else 403
        assert client_for(unassigned_seller).post(path, data).status_code == expected
    anonymous = client.post(path, data)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]

    order.refresh_from_db()
    assert order.status == S.FULFILLED
    assert not order.notes.exists()
    assert not OrderReturn.objects.exists()
    assert Order.objects.count() == 1


def test_foreign_order_cannot_get_a_return(client_for, owner, manufacturer, foreign_order):
    force_status(foreign_order, S.FULFILLED)
    line = foreign_order.lines.get()
    client = client_for(owner)
    path = url(manufacturer, f"{foreign_order.pk}/returns/new/")

    assert client.get(path).status_code == 404
    response = client.post(
        path, {f"qty_{line.pk}": "1", "returned_at": timezone.localdate().isoformat()}
    )
    assert response.status_code == 404
    assert not OrderReturn.objects.exists()


# --- the qualified check -----------------------------------------------------------------------


def _row_of(html: str, number: str) -> str:
    return next(row for row in html.split("<tr") if number in row)


def test_qualified_reseller_has_the_blue_check_on_order_pages(
    client_for, manager, manufacturer, partnership, order, other_partnership, products
):
    plain = make_order(other_partnership, products[:1])
    Partnership.objects.filter(pk=partnership.pk).update(
        qualifying_status=QualifyingStatus.QUALIFIED
    )
    client = client_for(manager)

    listing = client.get(url(manufacturer)).text
    qualified_detail = client.get(url(manufacturer, f"{order.pk}/")).text
    plain_detail = client.get(url(manufacturer, f"{plain.pk}/")).text
    manual = client.get(url(manufacturer, "new/"), {"partnership": partnership.pk}).text

    assert "qualified-check" in _row_of(listing, order.number)
    assert "qualified-check" not in _row_of(listing, plain.number)
    assert "qualified-check" in qualified_detail
    assert "qualified-check" not in plain_detail
    assert "qualified-check" in manual


def test_a_search_naming_many_resellers_finds_the_same_orders(
    client_for, manager, manufacturer, varied_orders, other_reseller, monkeypatch
):
    """Past MAX_LISTED_RESELLERS matching resellers the search asks through a subquery."""
    from orders.selectors import orders as order_selectors

    a, b, _c = varied_orders
    client = client_for(manager)
    listed = _numbers(client.get(url(manufacturer), {"q": "brightline"}))
    monkeypatch.setattr(order_selectors, "MAX_LISTED_RESELLERS", 0)
    assert _numbers(client.get(url(manufacturer), {"q": "brightline"})) == listed == {b.number}
    assert _numbers(client.get(url(manufacturer), {"q": a.number})) == {a.number}
