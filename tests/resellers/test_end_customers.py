"""The reseller's end customers: list, search, sort, CSV, add, edit, detail, interactions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channel.models import EndCustomer
from orders.services.orders import LineRequest, order_create
from resellers import services
from resellers.models import CustomerInteraction
from tests.catalog.factories import ProductFactory
from tests.resellers.customer_helpers import make_customer, reseller_with_user
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reseller_and_user():
    return reseller_with_user(name="Soundhouse GmbH")


@pytest.fixture
def reseller(reseller_and_user):
    return reseller_and_user[0]


@pytest.fixture
def user(reseller_and_user):
    return reseller_and_user[1]


@pytest.fixture
def client(client_for, user):
    return client_for(user)


def url(name, reseller, **kwargs):
    return reverse(
        f"resellers_reseller:{name}", kwargs={"reseller_public_id": reseller.public_id, **kwargs}
    )


# --- services -------------------------------------------------------------------------------


def test_create_normalises_email_and_refuses_duplicates(reseller):
    customer = make_customer(reseller, email="  Jane@Example.COM ")
    assert customer.email == "jane@example.com"
    with pytest.raises(services.EndCustomerRefused):
        make_customer(reseller, 2, email="JANE@example.com")
    assert EndCustomer.objects.filter(reseller=reseller).count() == 1


def test_same_email_is_fine_for_another_reseller(reseller):
    other, _ = reseller_with_user()
    make_customer(reseller, email="jane@example.com")
    make_customer(other, email="jane@example.com")
    assert EndCustomer.objects.filter(email="jane@example.com").count() == 2


def test_update_refuses_an_email_of_another_customer(reseller):
    first = make_customer(reseller, 1)
    second = make_customer(reseller, 2)
    with pytest.raises(services.EndCustomerRefused):
        services.end_customer_update(customer=second, email=first.email.upper())
    second.refresh_from_db()
    assert second.email != first.email


def test_interaction_add(reseller, user):
    customer = make_customer(reseller)
    when = timezone.now() - timedelta(days=2)
    interaction = services.interaction_add(
        customer=customer, author=user, kind="call", body="Asked for a quote", occurred_at=when
    )
    assert interaction.reseller_id == reseller.pk
    assert list(customer.interactions.values_list("body", flat=True)) == ["Asked for a quote"]


# --- list -----------------------------------------------------------------------------------


def test_list_shows_only_own_customers(client, reseller):
    make_customer(reseller, 1, name="Alice Own")
    other, _ = reseller_with_user()
    make_customer(other, 2, name="Bob Foreign")

    response = client.get(url("list", reseller))

    assert response.status_code == 200
    assert "Alice Own" in response.content.decode()
    assert "Bob Foreign" not in response.content.decode()


def test_list_search_by_name_company_and_email(client, reseller):
    make_customer(reseller, 1, name="Alice", company="Tonstudio", email="a@one.example")
    make_customer(reseller, 2, name="Bruno", company="Klangwerk", email="b@two.example")

    by_company = client.get(url("list", reseller), {"q": "klang"}).content.decode()
    by_email = client.get(url("list", reseller), {"q": "one.example"}).content.decode()
    by_name = client.get(url("list", reseller), {"q": "bru"}).content.decode()

    assert "Bruno" in by_company and "Alice" not in by_company
    assert "Alice" in by_email and "Bruno" not in by_email
    assert "Bruno" in by_name and "Alice" not in by_name


def test_list_sorting_and_pagination(client, reseller):
    for n in range(30):
        make_customer(reseller, n, name=f"Customer {n:03d}")

    first_page = client.get(url("list", reseller), {"sort": "-name"})
    names = [c.name for c in first_page.context["page_obj"]]

    assert names[0] == "Customer 029"
    assert len(names) == 25
    second_page = client.get(url("list", reseller), {"sort": "-name", "page": 2})
    assert [c.name for c in second_page.context["page_obj"]][-1] == "Customer 000"


def test_list_ignores_unknown_sort_key(client, reseller):
    make_customer(reseller, 1)
    response = client.get(url("list", reseller), {"sort": "password"})
    assert response.status_code == 200


def test_list_htmx_renders_the_table_partial(client, reseller):
    make_customer(reseller, 1, name="Alice")
    response = client.get(url("list", reseller), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="customer-table"' in body
    assert "<html" not in body


def test_csv_export_has_the_filtered_rows(client, reseller):
    make_customer(reseller, 1, name="Alice", company="=HYPERLINK(evil)")
    make_customer(reseller, 2, name="Bruno")

    response = client.get(url("list", reseller), {"q": "alice", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Alice" in body and "Bruno" not in body
    assert "'=HYPERLINK(evil)" in body  # formula neutralised


def test_list_query_budget_does_not_grow_with_rows(
    client, reseller, manufacturer, django_assert_max_num_queries
):
    partnership = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
    product = ProductFactory(manufacturer=manufacturer)
    for n in range(65):
        customer = make_customer(reseller, n)
        if n % 3 == 0:
            order_create(
                partnership=partnership,
                lines=[LineRequest(product.pk, 1)],
                created_by=None,
                end_customer=customer,
            )
    # session, user, reseller membership, partnered manufacturers, count, page of rows,
    # plus the shell's organisation switcher: about ten, whatever the number of rows.
    with django_assert_max_num_queries(14):
        response = client.get(url("list", reseller), {"sort": "orders"})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25


# --- add / edit -----------------------------------------------------------------------------


def test_add_customer(client, reseller):
    response = client.post(
        url("create", reseller),
        {"name": "Jane Doe", "email": "Jane@Example.com", "company": "Doe AV", "city": "Kiel"},
    )

    customer = EndCustomer.objects.get(reseller=reseller)
    assert response.status_code == 302
    assert response["Location"] == url("detail", reseller, customer_id=customer.pk)
    assert customer.email == "jane@example.com"
    assert customer.source_manufacturer is None


def test_add_duplicate_email_is_a_form_error(client, reseller):
    make_customer(reseller, 1, email="jane@example.com")

    response = client.post(url("create", reseller), {"name": "Jane", "email": "JANE@example.com"})

    assert response.status_code == 200
    assert "already have a customer with this email" in response.content.decode()
    assert EndCustomer.objects.filter(reseller=reseller).count() == 1


def test_add_invalid_email_is_a_form_error(client, reseller):
    response = client.post(url("create", reseller), {"name": "Jane", "email": "not-an-email"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not EndCustomer.objects.exists()


def test_edit_customer(client, reseller):
    customer = make_customer(reseller, 1)
    response = client.post(
        url("edit", reseller, customer_id=customer.pk),
        {"name": "New Name", "email": customer.email, "phone": "+49 40 123"},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.phone) == ("New Name", "+49 40 123")


def test_edit_to_a_duplicate_email_is_a_form_error(client, reseller):
    first = make_customer(reseller, 1)
    second = make_customer(reseller, 2)
    response = client.post(
        url("edit", reseller, customer_id=second.pk), {"name": "X", "email": first.email}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    second.refresh_from_db()
    assert second.name != "X"


# --- detail ---------------------------------------------------------------------------------


def test_detail_shows_orders_across_manufacturers_and_interactions(
    client, reseller, user, manufacturer, other_manufacturer
):
    customer = make_customer(reseller, 1, name="Jane")
    other_customer = make_customer(reseller, 2, name="Other")
    numbers = []
    for maker in (manufacturer, other_manufacturer):
        partnership = PartnershipFactory(manufacturer=maker, reseller=reseller)
        product = ProductFactory(manufacturer=maker)
        for end_customer in (customer, other_customer):
            order = order_create(
                partnership=partnership,
                lines=[LineRequest(product.pk, 2)],
                created_by=None,
                end_customer=end_customer,
            )
            if end_customer == customer:
                numbers.append(order.number)
    services.interaction_add(customer=customer, author=user, kind="meeting", body="Showroom")

    response = client.get(url("detail", reseller, customer_id=customer.pk))

    body = response.content.decode()
    assert response.status_code == 200
    assert sorted(o.number for o in response.context["orders"]) == sorted(numbers)
    assert "Showroom" in body
    assert manufacturer.name in body and other_manufacturer.name in body


def test_log_interaction(client, reseller, user):
    customer = make_customer(reseller, 1)
    response = client.post(
        url("interaction_add", reseller, customer_id=customer.pk),
        {"kind": "email", "occurred_at": "2026-01-15T10:30", "body": "Sent the brochure"},
    )
    assert response.status_code == 302
    interaction = CustomerInteraction.objects.get(end_customer=customer)
    assert (interaction.kind, interaction.author, interaction.body) == (
        "email",
        user,
        "Sent the brochure",
    )


def test_log_interaction_with_bad_input_shows_errors(client, reseller):
    customer = make_customer(reseller, 1)
    response = client.post(
        url("interaction_add", reseller, customer_id=customer.pk),
        {"kind": "telepathy", "occurred_at": "yesterday-ish", "body": ""},
    )
    assert response.status_code == 400
    assert set(response.context["interaction_form"].errors) == {"kind", "occurred_at", "body"}
    assert not CustomerInteraction.objects.exists()


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [("detail", "get"), ("edit", "get"), ("edit", "post"), ("interaction_add", "post")],
)
def test_another_resellers_customer_is_404(client, reseller, name, method):
    other, _ = reseller_with_user()
    foreign = make_customer(other, 1)
    data = {"name": "Hijack", "email": "h@example.com", "kind": "note", "body": "x"}

    response = getattr(client, method)(url(name, reseller, customer_id=foreign.pk), data)
    missing = getattr(client, method)(url(name, reseller, customer_id=999999), data)

    assert response.status_code == 404
    assert missing.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name != "Hijack"
    assert not CustomerInteraction.objects.exists()


def test_another_resellers_dashboard_is_404(client):
    other, _ = reseller_with_user()
    assert client.get(url("list", other)).status_code == 404


def test_manufacturer_staff_cannot_reach_reseller_pages(client_for, owner, reseller):
    customer = make_customer(reseller, 1)
    staff = client_for(owner)
    assert staff.get(url("list", reseller)).status_code == 404
    assert staff.get(url("detail", reseller, customer_id=customer.pk)).status_code == 404


def test_anonymous_is_sent_to_login(reseller):
    from django.test import Client

    response = Client().get(url("list", reseller))
    assert response.status_code == 302
    assert "/login" in response["Location"]
