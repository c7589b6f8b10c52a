"""The reseller profile in the manufacturer portal: data, order history, statistics,
commercial conditions and business data, query budget and access."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Region, ResellerType, Role
from channel.models import (
    Partnership,
    PartnershipStatus,
    PaymentMethod,
    QualifyingStatus,
    ShippingMethod,
)
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import PriceListFactory
from tests.resellers.factories import PartnershipFactory
from tests.resellers.sales_helpers import S, make_catalog, put_in_portfolio, sale

D = Decimal


def url(partnership, name="profile") -> str:
    return reverse(
        f"resellers_manufacturer:{name}",
        kwargs={
            "manufacturer_slug": partnership.manufacturer.slug,
            "public_id": partnership.reseller.public_id,
        },
    )


def order_detail_exists() -> bool:
    try:
        reverse("orders_manufacturer:detail", kwargs={"manufacturer_slug": "x", "pk": 1})
    except NoReverseMatch:
        return False
    return True


@pytest.fixture
def products(manufacturer):
    return make_catalog(manufacturer)


@pytest.fixture
def partnership(manufacturer):
    return PartnershipFactory(
        manufacturer=manufacturer,
        reseller=ResellerFactory(
            name="Soundhouse GmbH",
            reseller_type=ResellerType.INSTALLER,
            public_email="info@soundhouse.example",
            website="https://soundhouse.example",
            street="Hafenstraße 5",
            postal_code="20457",
            city="Hamburg",
            country="Germany",
            region=Region.NORTH,
        ),
    )


@pytest.fixture
def orders(partnership, products):
    now = timezone.now()
    return [
        sale(partnership, [(products["A"], 2)], when=now - timedelta(days=3)),
        sale(partnership, [(products["B"], 1)], when=now - timedelta(days=2), status=S.COMPLETED),
        sale(partnership, [(products["A"], 5)], when=now - timedelta(days=1), status=S.REJECTED),
    ]


# --- reading --------------------------------------------------------------------------------


def test_profile_shows_business_data_orders_and_statistics(
    partnership, orders, manager, client_for
):
    response = client_for(manager).get(url(partnership))

    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Soundhouse GmbH", partnership.reseller.public_id, "info@soundhouse.example",
        "https://soundhouse.example", "Installer / integrator", "Hafenstraße 5", "Hamburg",
        "Invoice (30 days)", "Standard parcel",
    ]:  # fmt: skip
        assert text in body, text
    for order in orders:
        assert order.number in body
    stats = response.context["stats"]
    assert stats.sales.current == D("219.99")  # 200.00 placed + 19.99 completed
    assert stats.orders.current == 2
    assert 'data-chart="sales-chart-data"' in body
    assert '<script id="sales-chart-data" type="application/json">' in body
    assert "vendor/chartjs/chart.umd.min.js" in body and "js/charts.js" in body
    assert "cdn" not in body.lower()


def _section(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_statistics_are_readable_in_tables(partnership, orders, manager, client_for):
    body = client_for(manager).get(url(partnership)).content.decode()

    # Sales 219.99 over 2 orders (the rejected one is left out): average 110.00, half up.
    cards = _section(body, 'id="reseller-stats"', "<canvas")
    assert "Average order value" in cards and "110.00" in cards
    totals = _section(body, "<tfoot>", "</tfoot>")
    assert ">2<" in totals and "219.99" in totals
    products = _section(body, "Top products", "</table>")
    assert products.index("Speaker A") < products.index("Cable B")
    speaker = next(row for row in products.split("<tr") if "Speaker A" in row)
    assert ">2<" in speaker and "200.00" in speaker  # not the 5 rejected
    categories = _section(body, "Top categories", "</table>")
    assert "Speakers" in categories and "Cables" in categories
    assert "compared with" in body


def test_order_numbers_link_to_the_order_page_when_it_exists(
    partnership, orders, manager, client_for
):
    body = client_for(manager).get(url(partnership)).content.decode()

    slug = partnership.manufacturer.slug
    link = reverse(
        "orders_manufacturer:detail", kwargs={"manufacturer_slug": slug, "pk": 1}
    ) if order_detail_exists() else None  # fmt: skip
    if link is None:
        pytest.skip("orders_manufacturer:detail is not mounted")
    detail = link.replace("/1/", f"/{orders[0].pk}/")
    assert f'href="{detail}"' in body


@pytest.mark.parametrize(
    ("params", "days", "granularity"),
    [
        ({}, 30, "day"),
        ({"days": "7"}, 7, "day"),
        ({"days": "90"}, 90, "week"),
        ({"days": "365"}, 365, "month"),
        ({"days": "365", "by": "week"}, 365, "week"),
        ({"from": "2024-01-01", "to": "2024-03-31"}, 91, "week"),
        ({"from": "2024-01-01", "to": "2024-01-10", "by": "month"}, 10, "month"),
        ({"days": "12345"}, 30, "day"),  # not a choice: the default
        ({"from": "2024-03-01", "to": "2024-01-01"}, 30, "day"),  # backwards: the default
        ({"from": "2024-01-01"}, 30, "day"),  # half a range: the default
        ({"from": "2020-01-01", "to": "2024-12-31", "by": "day"}, 30, "day"),  # too many points
    ],
)
def test_period_choice(partnership, manager, client_for, params, days, granularity):
    response = client_for(manager).get(url(partnership), params)

    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.period.days == days
    assert stats.granularity == granularity


def test_a_bad_period_says_so(partnership, manager, client_for):
    response = client_for(manager).get(url(partnership), {"from": "2024-03-01", "to": "2024-01-01"})

    assert "The start date is after the end date." in response.content.decode()


def test_htmx_partials(partnership, orders, manager, client_for):
    client = client_for(manager)

    orders_part = client.get(
        url(partnership), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="reseller-orders"
    ).content.decode()
    stats_part = client.get(
        url(partnership), {"days": "7"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="reseller-stats"
    ).content.decode()

    assert orders[0].number in orders_part and "<html" not in orders_part
    assert "Sales statistics" not in orders_part
    assert "sales-chart-data" in stats_part and "<html" not in stats_part
    assert orders[0].number not in stats_part


def test_order_history_is_paginated(partnership, products, manager, client_for):
    now = timezone.now()
    for n in range(27):
        sale(partnership, [(products["C"], 1)], when=now - timedelta(hours=n))

    client = client_for(manager)
    first = client.get(url(partnership)).context["orders_page"]
    second = client.get(url(partnership), {"page": "2"}).context["orders_page"]

    assert len(first) == 25 and len(second) == 2
    assert first[0].created_at > second[0].created_at


def test_profile_query_budget_does_not_grow_with_orders(
    partnership, products, manager, client_for, django_assert_max_num_queries
):
    client = client_for(manager)
    now = timezone.now()
    sale(partnership, [(products["A"], 1)], when=now - timedelta(days=1))

    def count(params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(partnership), params).status_code == 200
        return len(queries)

    variants = [{}, {"days": "365"}, {"page": "2"}]
    few = [count(params) for params in variants]
    statuses = [S.PLACED, S.COMPLETED, S.CANCELLED, S.ACCEPTED]
    for n in range(110):
        items = [(products["A"], 1), (products["B"], n % 3 + 1)]
        sale(partnership, items, when=now - timedelta(days=n * 3), status=statuses[n % 4])

    # 15: tenancy (session, user, membership), the partnership, six statistics queries,
    # the order page and its count, the shell's context processors; about 6 more for the
    # qualifications section, the sales-rep panel, the commission ledger panel and the
    # conversation history. Nothing per order.
    with django_assert_max_num_queries(23):
        client.get(url(partnership), {"days": "365"})
    assert [count(params) for params in variants] == few


# --- the qualified badge --------------------------------------------------------------------


def test_qualified_badge(partnership):
    template = Template("{% load resellers %}[{% qualified_badge p %}]")

    assert template.render(Context({"p": partnership})) == "[]"
    partnership.qualifying_status = QualifyingStatus.QUALIFIED
    rendered = template.render(Context({"p": partnership}))
    assert "bi-patch-check-fill qualified-check" in rendered


def test_reseller_name_links_to_the_profile_in_the_manufacturer_portal(
    partnership, manager, client_for
):
    Partnership.objects.filter(pk=partnership.pk).update(
        qualifying_status=QualifyingStatus.QUALIFIED
    )

    body = client_for(manager).get(
        reverse("resellers_manufacturer:directory", args=[partnership.manufacturer.slug])
    )

    html = body.content.decode()
    assert (
        f'<a href="{url(partnership)}">Soundhouse GmbH</a> <i class="bi bi-patch-check-fill' in html
    )


# --- conditions and business data -------------------------------------------------------------


def test_manager_edits_the_conditions(partnership, manufacturer, manager, client_for):
    price_list = PriceListFactory(manufacturer=manufacturer, name="Installers 2024")

    response = client_for(manager).post(
        url(partnership, "conditions"),
        {
            "price_list": price_list.pk,
            "discount_percent": "7.5",
            "payment_method": PaymentMethod.PREPAYMENT,
            "shipping_method": ShippingMethod.FREIGHT,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url(partnership)
    partnership.refresh_from_db()
    assert partnership.price_list == price_list
    assert partnership.discount_percent == D("7.50")
    assert partnership.payment_method == PaymentMethod.PREPAYMENT
    assert partnership.shipping_method == ShippingMethod.FREIGHT


def test_conditions_offer_only_the_tenants_price_lists(
    partnership, manufacturer, other_manufacturer, manager, client_for
):
    ours = PriceListFactory(manufacturer=manufacturer, name="Ours")
    theirs = PriceListFactory(manufacturer=other_manufacturer, name="Theirs")
    client = client_for(manager)

    form = client.get(url(partnership, "conditions")).context["form"]
    assert list(form.fields["price_list"].queryset) == [ours]

    response = client.post(
        url(partnership, "conditions"),
        {
            "price_list": theirs.pk,
            "discount_percent": "5",
            "payment_method": PaymentMethod.INVOICE,
            "shipping_method": ShippingMethod.STANDARD,
        },
    )
    assert response.status_code == 200
    assert "price_list" in response.context["form"].errors
    partnership.refresh_from_db()
    assert partnership.price_list is None and partnership.discount_percent == D("0.00")


@pytest.mark.parametrize("discount", ["-1", "100.01", "abc"])
def test_a_bad_discount_is_a_form_error(partnership, manager, client_for, discount):
    response = client_for(manager).post(
        url(partnership, "conditions"),
        {
            "discount_percent": discount,
            "payment_method": PaymentMethod.INVOICE,
            "shipping_method": ShippingMethod.STANDARD,
        },
    )

    assert response.status_code == 200
    assert "discount_percent" in response.context["form"].errors
    partnership.refresh_from_db()
    assert partnership.discount_percent == D("0.00")


def test_manager_edits_the_business_data(partnership, manager, client_for):
    response = client_for(manager).post(
        url(partnership, "details"),
        {
            "name": "Soundhouse Nord GmbH",
            "reseller_type": ResellerType.RETAILER,
            "public_email": "hallo@soundhouse.example",
            "website": "soundhouse.example",
            "city": "Kiel",
            "region": Region.NORTH,
        },
    )

    assert response.status_code == 302
    reseller = partnership.reseller
    reseller.refresh_from_db()
    assert (reseller.name, reseller.city) == ("Soundhouse Nord GmbH", "Kiel")
    assert reseller.website == "https://soundhouse.example"
    assert reseller.street == ""


def test_bad_business_data_is_a_form_error(partnership, manager, client_for):
    response = client_for(manager).post(
        url(partnership, "details"),
        {"name": "", "reseller_type": ResellerType.RETAILER, "public_email": "not-an-email"},
    )

    assert response.status_code == 200
    assert {"name", "public_email"} <= set(response.context["form"].errors)
    partnership.reseller.refresh_from_db()
    assert partnership.reseller.name == "Soundhouse GmbH"


# --- access ---------------------------------------------------------------------------------


def test_seller_works_on_their_portfolio_only(partnership, manufacturer, seller, client_for):
    other = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
    put_in_portfolio(seller, partnership)
    client = client_for(seller)

    assert client.get(url(partnership)).status_code == 200
    assert client.get(url(other)).status_code == 404
    assert client.get(url(other, "conditions")).status_code == 404
    assert client.get(url(other, "details")).status_code == 404
    response = client.post(
        url(partnership, "conditions"),
        {
            "discount_percent": "3",
            "payment_method": PaymentMethod.CARD,
            "shipping_method": ShippingMethod.EXPRESS,
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.discount_percent == D("3.00")
    assert client.get(url(partnership, "details")).status_code == 200


def test_seller_sees_no_status_actions(partnership, seller, client_for):
    put_in_portfolio(seller, partnership)

    body = client_for(seller).get(url(partnership)).content.decode()

    assert url(partnership, "status") not in body


@pytest.mark.parametrize("name", ["profile", "conditions", "details"])
def test_other_tenants_manager_gets_404(
    partnership, other_manufacturer, make_member, client_for, name
):
    stranger = make_member(other_manufacturer, Role.MANAGER)
    # the same reseller also partners with the stranger's manufacturer
    PartnershipFactory(manufacturer=other_manufacturer, reseller=partnership.reseller)
    client = client_for(stranger)

    assert client.get(url(partnership, name)).status_code == 404
    response = client.post(url(partnership, name), {"discount_percent": "50", "name": "Hijack"})
    assert response.status_code in {404, 405}
    partnership.refresh_from_db()
    assert partnership.discount_percent == D("0.00")
    assert partnership.reseller.name == "Soundhouse GmbH"


def test_reseller_user_gets_404(partnership, client_for):
    user = ResellerUserFactory(reseller=partnership.reseller).user

    assert client_for(user).get(url(partnership)).status_code == 404


def test_anonymous_is_sent_to_login(partnership, client):
    for name in ["profile", "conditions", "details"]:
        response = client.get(url(partnership, name))
        assert response.status_code == 302
        assert reverse("accounts_public:login") in response["Location"]


def test_foreign_and_unknown_public_ids_are_404(
    manufacturer, other_manufacturer, manager, client_for
):
    theirs = PartnershipFactory(manufacturer=other_manufacturer, reseller=ResellerFactory())
    unpartnered = ResellerFactory()
    client = client_for(manager)

    def path(public_id, name="profile"):
        return reverse(
            f"resellers_manufacturer:{name}",
            kwargs={"manufacturer_slug": manufacturer.slug, "public_id": public_id},
        )

    assert client.get(path(theirs.reseller.public_id)).status_code == 404
    assert client.get(path(unpartnered.public_id)).status_code == 404
    assert client.get(path("NOPE123")).status_code == 404
    assert client.get(path(theirs.reseller.public_id, "conditions")).status_code == 404
    assert client.post(path(theirs.reseller.public_id, "details"), {}).status_code == 404


def test_ended_partnership_profile_still_reads(partnership, orders, manager, client_for):
    Partnership.objects.filter(pk=partnership.pk).update(status=PartnershipStatus.ENDED)

    response = client_for(manager).get(url(partnership))

    assert response.status_code == 200
    assert orders[0].number in response.content.decode()
