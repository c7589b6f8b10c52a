"""Reseller order pages: list, CSV, detail, cancel, notes, placing orders, all-orders page."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from orders.models import NoteSide, Order, OrderStatus
from orders.services.orders import order_note_add
from tests.accounts.factories import ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.orders.factories import force_status, make_order
from tests.resellers.factories import PartnershipFactory

S = OrderStatus


def url(partnership, suffix=""):
    return f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/orders/{suffix}"


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def order(partnership, products, customer, reseller_user):
    return make_order(partnership, products[:2], end_customer=customer, created_by=reseller_user)


@pytest.fixture
def other_order(other_partnership, products):
    return make_order(other_partnership, products[:1])


# --- access ----------------------------------------------------------------------------------


def test_reseller_user_sees_list_and_detail(client_for, reseller_user, partnership, order):
    client = client_for(reseller_user)

    listing = client.get(url(partnership))
    detail = client.get(url(partnership, f"{order.pk}/"))

    assert listing.status_code == 200
    assert order.number in listing.text
    assert detail.status_code == 200
    assert "SPK-1" in detail.text
    assert "Julia Weber" in detail.text


@pytest.mark.parametrize("suffix", ["", "new/", "{pk}/"])
def test_reseller_of_another_company_gets_404(
    client_for, other_reseller_user, partnership, order, suffix
):
    response = client_for(other_reseller_user).get(url(partnership, suffix.format(pk=order.pk)))
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["", "new/", "{pk}/"])
def test_manufacturer_staff_get_404(client_for, owner, partnership, order, suffix):
    response = client_for(owner).get(url(partnership, suffix.format(pk=order.pk)))
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["", "new/", "{pk}/"])
def test_anonymous_is_sent_to_login(client, partnership, order, suffix):
    response = client.get(url(partnership, suffix.format(pk=order.pk)))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_another_resellers_order_id_is_404(client_for, reseller_user, partnership, other_order):
    client = client_for(reseller_user)
    assert client.get(url(partnership, f"{other_order.pk}/")).status_code == 404
    cancel = client.post(url(partnership, f"{other_order.pk}/cancel/"), {"reason": "x"})
    note = client.post(url(partnership, f"{other_order.pk}/notes/"), {"body": "x"})
    assert cancel.status_code == note.status_code == 404
    other_order.refresh_from_db()
    assert other_order.status == S.PLACED
    assert not other_order.notes.exists()


def test_own_order_with_another_manufacturer_is_404_under_this_one(
    client_for, reseller_user, partnership, reseller, other_manufacturer
):
    second = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    elsewhere = make_order(second, [ProductFactory(manufacturer=other_manufacturer)])
    client = client_for(reseller_user)

    assert client.get(url(partnership, f"{elsewhere.pk}/")).status_code == 404
    assert client.get(url(second, f"{elsewhere.pk}/")).status_code == 200


# --- list ------------------------------------------------------------------------------------


def test_list_shows_only_own_orders_and_filters(
    client_for, reseller_user, partnership, order, other_order, products
):
    own_use = force_status(make_order(partnership, products[:1]), S.ACCEPTED)
    client = client_for(reseller_user)

    def numbers(**params):
        return {o.number for o in client.get(url(partnership), params).context["page_obj"]}

    assert numbers() == {order.number, own_use.number}
    assert numbers(status=S.ACCEPTED) == {own_use.number}
    assert numbers(customer="hotel") == {order.number}
    assert numbers(q=own_use.number) == {own_use.number}


def test_list_date_range_and_sorting(client_for, reseller_user, partnership, products):
    now = timezone.now()
    today = timezone.localdate()
    old = make_order(partnership, products[:1], quantities=[3], created_at=now - timedelta(days=40))
    new = make_order(partnership, products[2:3], created_at=now)
    client = client_for(reseller_user)

    def numbers(**params):
        return [o.number for o in client.get(url(partnership), params).context["page_obj"]]

    assert numbers(date_from=(today - timedelta(days=1)).isoformat()) == [new.number]
    assert numbers(date_to=(today - timedelta(days=30)).isoformat()) == [old.number]
    assert numbers(sort="total") == [new.number, old.number]  # 0.35 before 300.00
    assert numbers(sort="-total") == [old.number, new.number]
    assert numbers(sort="date") == [old.number, new.number]
    csv_numbers = [
        row[0]
        for row in csv_rows(
            client.get(
                url(partnership), {"format": "csv", "date_to": timezone.localdate(old.created_at)}
            )
        )[1:]
    ]
    assert csv_numbers == [old.number]


def test_csv_exports_own_filtered_rows(client_for, reseller_user, partnership, order, other_order):
    response = client_for(reseller_user).get(url(partnership), {"format": "csv"})
    numbers = [row[0] for row in csv_rows(response)[1:]]
    assert numbers == [order.number]


def test_list_query_budget(
    client_for, reseller_user, partnership, products, customer, django_assert_max_num_queries
):
    for index in range(55):
        make_order(partnership, products[:1], end_customer=customer if index % 2 else None)
    client = client_for(reseller_user)
    client.get(url(partnership))

    with django_assert_max_num_queries(12):
        response = client.get(url(partnership), {"sort": "-total"})
    assert len(response.context["page_obj"]) == 25


def test_all_orders_page(
    client_for,
    reseller_user,
    partnership,
    reseller,
    order,
    other_manufacturer,
    other_order,
    django_assert_max_num_queries,
):
    second = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    for _ in range(30):
        make_order(second, [ProductFactory(manufacturer=other_manufacturer)])
    client = client_for(reseller_user)
    page_url = f"/r/{reseller.public_id}/orders/"
    client.get(page_url)

    with django_assert_max_num_queries(12):
        response = client.get(page_url)
    filtered = client.get(page_url, {"manufacturer": partnership.manufacturer.pk})

    assert response.status_code == 200
    assert response.context["page_obj"].total == 31
    assert {o.number for o in filtered.context["page_obj"]} == {order.number}
    assert other_order.pk not in {o.pk for o in response.context["page_obj"]}
    assert client_for(ResellerUserFactory().user).get(page_url).status_code == 404


# --- cancel ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.AWAITING_PAYMENT, S.PLACED])
def test_reseller_cancels_while_allowed(client_for, reseller_user, partnership, order, status):
    force_status(order, status)
    response = client_for(reseller_user).post(
        url(partnership, f"{order.pk}/cancel/"), {"reason": "Customer changed their mind"}
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    last = order.status_changes.last()
    assert (last.changed_by, last.reason) == (reseller_user, "Customer changed their mind")


@pytest.mark.parametrize("status", [S.ACCEPTED, S.REJECTED, S.FULFILLED, S.COMPLETED, S.CANCELLED])
def test_reseller_cannot_cancel_later(client_for, reseller_user, partnership, order, status):
    force_status(order, status)
    client = client_for(reseller_user)
    page = client.get(url(partnership, f"{order.pk}/"))
    response = client.post(
        url(partnership, f"{order.pk}/cancel/"), {"reason": "too late"}, follow=True
    )

    assert page.context["can_cancel"] is False
    assert "cannot become" in response.text
    order.refresh_from_db()
    assert order.status == status


def test_cancel_needs_reason(client_for, reseller_user, partnership, order):
    response = client_for(reseller_user).post(url(partnership, f"{order.pk}/cancel/"), follow=True)
    assert "Give a reason" in response.text
    order.refresh_from_db()
    assert order.status == S.PLACED


# --- notes -----------------------------------------------------------------------------------


def test_reseller_notes_and_visibility(client_for, reseller_user, owner, partnership, order):
    order_note_add(order=order, author=owner, side=NoteSide.MANUFACTURER, body="maker-internal")
    order_note_add(
        order=order,
        author=owner,
        side=NoteSide.MANUFACTURER,
        body="maker-public",
        is_internal=False,
    )
    client = client_for(reseller_user)

    response = client.post(
        url(partnership, f"{order.pk}/notes/"), {"body": "our-internal", "is_internal": "on"}
    )
    page = client.get(url(partnership, f"{order.pk}/"))

    assert response.status_code == 302
    note = order.notes.get(body="our-internal")
    assert (note.side, note.is_internal, note.author) == (NoteSide.RESELLER, True, reseller_user)
    assert "maker-internal" not in page.text
    assert "maker-public" in page.text
    assert "our-internal" in page.text


# --- placing orders --------------------------------------------------------------------------


def test_place_order_for_customer_ignores_posted_prices(
    client_for, reseller_user, partnership, products, customer
):
    spk, cbl = products[0], products[1]
    client = client_for(reseller_user)
    page = client.get(url(partnership, "new/"))
    response = client.post(
        url(partnership, "new/"),
        {
            "end_customer": customer.pk,
            f"qty_{spk.pk}": "2",
            f"qty_{cbl.pk}": "1",
            f"price_{spk.pk}": "0.01",
            "unit_price": "0.01",
            "total": "0.01",
        },
    )

    assert page.status_code == 200
    assert "SPK-1" in page.text
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.end_customer == customer
    assert order.created_by == reseller_user
    assert order.is_manual is False
    assert order.lines.get(sku="SPK-1").unit_price == Decimal("100.00")
    assert order.total == Decimal("219.99")


def test_order_form_shows_the_resellers_own_price(client_for, reseller_user, partnership, products):
    partnership.discount_percent = Decimal("10")
    partnership.save()

    page = client_for(reseller_user).get(url(partnership, "new/"))

    row = next(p for p in page.context["products"] if p.sku == "SPK-1")
    assert row.your_price == Decimal("90.00")
    assert "90.00" in page.text


def test_place_order_for_own_use(client_for, reseller_user, partnership, products):
    response = client_for(reseller_user).post(
        url(partnership, "new/"), {"own_use": "on", f"qty_{products[0].pk}": "1"}
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.own_use is True and order.end_customer is None


@pytest.mark.parametrize("quantity", ["0", "-2"])
def test_place_order_zero_or_negative_quantity(
    client_for, reseller_user, partnership, products, quantity
):
    response = client_for(reseller_user).post(
        url(partnership, "new/"),
        {"own_use": "on", f"qty_{products[0].pk}": "1", f"qty_{products[1].pk}": quantity},
    )
    assert response.status_code == 400
    assert "Quantities must be at least 1" in response.text
    assert not Order.objects.exists()


def test_place_order_with_product_of_another_manufacturer(
    client_for, reseller_user, partnership, products, foreign_product
):
    response = client_for(reseller_user).post(
        url(partnership, "new/"), {"own_use": "on", f"qty_{foreign_product.pk}": "1"}
    )
    assert response.status_code == 400
    assert "not available" in response.text
    assert not Order.objects.exists()


def test_place_order_for_customer_of_another_reseller(
    client_for, reseller_user, partnership, products, customer, other_customer
):
    page = client_for(reseller_user).get(url(partnership, "new/"))
    response = client_for(reseller_user).post(
        url(partnership, "new/"), {"end_customer": other_customer.pk, f"qty_{products[0].pk}": "1"}
    )

    assert list(page.context["recipient_form"].fields["end_customer"].queryset) == [customer]
    assert response.status_code == 400
    assert "does not belong" in response.text
    assert not Order.objects.exists()


def test_place_order_without_products_or_recipient(
    client_for, reseller_user, partnership, products
):
    empty = client_for(reseller_user).post(url(partnership, "new/"), {"own_use": "on"})
    nobody = client_for(reseller_user).post(
        url(partnership, "new/"), {f"qty_{products[0].pk}": "1"}
    )
    assert empty.status_code == nobody.status_code == 400
    assert "at least one product" in empty.text
    assert "Choose the end customer" in nobody.text
    assert not Order.objects.exists()


def test_suspended_partnership_cannot_place_orders(client_for, suspended_partnership, products):
    user = ResellerUserFactory(reseller=suspended_partnership.reseller).user
    client = client_for(user)
    listing = client.get(url(suspended_partnership))
    response = client.post(url(suspended_partnership, "new/"), {"own_use": "on"}, follow=True)

    assert listing.status_code == 200
    assert "not active" in response.text
    assert not Order.objects.exists()


def test_manufacturer_seller_gets_404_on_reseller_pages(
    client_for, make_member, manufacturer, partnership, order
):
    seller = make_member(manufacturer, Role.SELLER)
    assert client_for(seller).get(url(partnership)).status_code == 404
