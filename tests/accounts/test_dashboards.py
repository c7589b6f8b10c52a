"""The two landing pages: the manufacturer dashboard (/m/<slug>/) and the reseller dashboard
(/r/<public id>/). Figures against hand-computed data, a seller's portfolio only, nothing of
another tenant or another reseller, and query budgets that do not grow with the data."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from channel.models import PartnershipStatus
from orders.models import Order
from resellers.selectors.dashboard import (
    channel_figures,
    monthly_sales,
    reseller_partnerships,
    top_resellers,
)
from resellers.services import end_customer_create
from tests.accounts.factories import (
    ManufacturerFactory,
    ResellerFactory,
    ResellerUserFactory,
)
from tests.resellers.factories import PartnershipFactory
from tests.resellers.sales_helpers import S, give_back, make_catalog, put_in_portfolio, sale

D = Decimal


def dashboard_url(manufacturer) -> str:
    return reverse(
        "accounts_manufacturer:dashboard", kwargs={"manufacturer_slug": manufacturer.slug}
    )


def reseller_url(reseller) -> str:
    return reverse("accounts_reseller:dashboard", kwargs={"reseller_public_id": reseller.public_id})


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def channel(manufacturer, other_manufacturer, seller):
    """Hand-computed data (Speaker A costs 100.00, no discounts):

    alpha (in the seller's portfolio):
        2 A placed     2 days ago    200.00  current period, open, awaiting acceptance
        1 A completed  5 days ago    100.00  current period; 1 A returned 1 day ago
        1 A accepted  40 days ago    100.00  previous period, open
        1 A cancelled  3 days ago            never counted
    beta (another rep's or nobody's):
        4 A accepted   4 days ago    400.00  current period, open
        1 A completed 100 days ago   100.00  only in the 12-month chart
    gamma: suspended, no orders.
    alpha's reseller also partners with the other manufacturer: 10 A placed 2 days ago.
    """
    products = make_catalog(manufacturer)
    other_products = make_catalog(other_manufacturer)
    a = products["A"]
    alpha = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Alpha"))
    beta = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name="Beta"))
    gamma = PartnershipFactory(
        manufacturer=manufacturer,
        reseller=ResellerFactory(name="Gamma"),
        status=PartnershipStatus.SUSPENDED,
    )
    put_in_portfolio(seller, alpha)
    sale(alpha, [(a, 2)], when=ago(2), status=S.PLACED)
    completed = sale(alpha, [(a, 1)], when=ago(5), status=S.COMPLETED)
    give_back(completed, quantity=1, when=ago(1))
    sale(alpha, [(a, 1)], when=ago(40), status=S.ACCEPTED)
    sale(alpha, [(a, 1)], when=ago(3), status=S.CANCELLED)
    sale(beta, [(a, 4)], when=ago(4), status=S.ACCEPTED)
    sale(beta, [(a, 1)], when=ago(100), status=S.COMPLETED)
    foreign = PartnershipFactory(manufacturer=other_manufacturer, reseller=alpha.reseller)
    sale(foreign, [(other_products["A"], 10)], when=ago(2), status=S.PLACED)
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "foreign": foreign}


def membership_of(user, manufacturer):
    return user.manufacturer_memberships.get(manufacturer=manufacturer)


# --- figures -------------------------------------------------------------------------------


def test_staff_figures_cover_the_whole_tenant_and_nothing_else(manufacturer, owner, channel):
    figures = channel_figures(
        manufacturer=manufacturer, membership=membership_of(owner, manufacturer)
    )
    # 200 + 100 + 400 ordered, 100 returned; the other tenant's 1000 is not here.
    assert figures["sales"].current == D("600.00")
    assert figures["sales"].previous == D("100.00")
    assert figures["sales"].delta == D("500.0")
    assert (figures["orders"].current, figures["orders"].previous) == (3, 1)
    assert figures["open_orders"] == 3
    assert figures["awaiting_acceptance"] == 1
    assert figures["active_resellers"] == 2


def test_seller_figures_cover_their_portfolio_only(manufacturer, seller, channel):
    figures = channel_figures(
        manufacturer=manufacturer, membership=membership_of(seller, manufacturer)
    )
    assert figures["sales"].current == D("200.00")  # alpha: 200 + 100 - 100
    assert figures["sales"].previous == D("100.00")
    assert (figures["orders"].current, figures["orders"].previous) == (2, 1)
    assert figures["open_orders"] == 2
    assert figures["awaiting_acceptance"] == 1
    assert figures["active_resellers"] == 1


def test_monthly_sales_are_twelve_months_of_net_sales(manufacturer, owner, seller, channel):
    months = monthly_sales(manufacturer=manufacturer, membership=membership_of(owner, manufacturer))
    assert len(months) == 12
    assert months[-1]["start"] == timezone.localdate().replace(day=1)
    assert sum(m["sales"] for m in months) == D("800.00")
    assert sum(m["orders"] for m in months) == 5
    assert sum(m["returns"] for m in months) == D("100.00")
    mine = monthly_sales(manufacturer=manufacturer, membership=membership_of(seller, manufacturer))
    assert sum(m["sales"] for m in mine) == D("300.00")
    assert sum(m["orders"] for m in mine) == 3


def test_top_resellers_rank_by_sales_of_the_last_90_days(manufacturer, owner, seller, channel):
    rows = top_resellers(manufacturer=manufacturer, membership=membership_of(owner, manufacturer))
    assert [(r.reseller.name, r.sales) for r in rows] == [
        ("Beta", D("400.00")),
        ("Alpha", D("300.00")),
    ]
    assert [r.share for r in rows] == [100, 75]
    mine = top_resellers(manufacturer=manufacturer, membership=membership_of(seller, manufacturer))
    assert [r.reseller.name for r in mine] == ["Alpha"]


def test_reseller_partnership_figures(channel, manufacturer, other_manufacturer):
    alpha = channel["alpha"]
    rows = {p.manufacturer_id: p for p in reseller_partnerships(reseller=alpha.reseller)}
    assert set(rows) == {manufacturer.pk, other_manufacturer.pk}
    mine = rows[manufacturer.pk]
    # placed 200 + completed 100 in 30 days (the cancelled one never counts); open: placed
    # and the accepted one of 40 days ago.
    assert (mine.recent_orders, mine.recent_value, mine.open_orders) == (2, D("300.00"), 2)
    other = rows[other_manufacturer.pk]
    assert (other.recent_orders, other.recent_value, other.open_orders) == (1, D("1000.00"), 1)


# --- pages ---------------------------------------------------------------------------------


def test_owner_dashboard_shows_tenant_figures(client_for, manufacturer, owner, channel):
    response = client_for(owner).get(dashboard_url(manufacturer))
    assert response.status_code == 200
    assert response.context["figures"]["sales"].current == D("600.00")
    html = response.content.decode()
    assert "€600.00" in html
    assert "Channel settings" in html
    assert (
        reverse("salesreps_manufacturer:coverage", kwargs={"manufacturer_slug": manufacturer.slug})
        in html
    )
    assert (
        reverse(
            "qualifications_manufacturer:requests", kwargs={"manufacturer_slug": manufacturer.slug}
        )
        in html
    )
    assert 'data-chart="dashboard-sales-data"' in html
    # Recent orders link to their detail; top resellers to their profile.
    order = channel["beta"].orders.order_by("-created_at").first()
    assert (
        reverse(
            "orders_manufacturer:detail",
            kwargs={"manufacturer_slug": manufacturer.slug, "pk": order.pk},
        )
        in html
    )
    assert (
        reverse(
            "resellers_manufacturer:profile",
            kwargs={
                "manufacturer_slug": manufacturer.slug,
                "public_id": channel["beta"].reseller.public_id,
            },
        )
        in html
    )


def test_seller_dashboard_never_shows_other_reps_orders(client_for, manufacturer, seller, channel):
    response = client_for(seller).get(dashboard_url(manufacturer))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["figures"]["sales"].current == D("200.00")
    assert "€600.00" not in html  # the tenant total
    assert "€400.00" not in html  # beta's order and beta's sales
    assert channel["beta"].reseller.name not in html
    beta_order = channel["beta"].orders.first()
    assert beta_order.number not in html
    # Staff-only attention rows and team figures are not a seller's.
    assert (
        reverse("salesreps_manufacturer:coverage", kwargs={"manufacturer_slug": manufacturer.slug})
        not in html
    )
    assert response.context["role_counts"] is None
    months = response.context["months"]
    assert sum(m["sales"] for m in months) == D("300.00")


def test_empty_tenant_dashboard_renders_empty_states(client_for, other_manufacturer, make_member):
    user = make_member(other_manufacturer)
    fresh = ManufacturerFactory()
    owner = make_member(fresh)
    response = client_for(owner).get(dashboard_url(fresh))
    assert response.status_code == 200
    assert response.context["figures"]["sales"].current == D("0.00")
    assert "No orders yet." in response.content.decode()
    assert client_for(user).get(dashboard_url(fresh)).status_code == 404


def test_manufacturer_dashboard_access(client, client_for, manufacturer, other_manufacturer,
                                       make_member, channel):  # fmt: skip
    url = dashboard_url(manufacturer)
    assert client.get(url).status_code == 302
    assert client_for(make_member(other_manufacturer)).get(url).status_code == 404
    reseller_user = ResellerUserFactory(reseller=channel["alpha"].reseller).user
    assert client_for(reseller_user).get(url).status_code == 404


def test_reseller_dashboard_shows_only_own_partnerships(client_for, channel, manufacturer):
    alpha, beta = channel["alpha"], channel["beta"]
    end_customer_create(reseller=alpha.reseller, name="Eve", email="eve@example.test")
    end_customer_create(reseller=beta.reseller, name="Bob", email="bob@example.test")
    user = ResellerUserFactory(reseller=alpha.reseller).user
    response = client_for(user).get(reseller_url(alpha.reseller))
    assert response.status_code == 200
    partnerships = response.context["partnerships"]
    assert {p.pk for p in partnerships} == {alpha.pk, channel["foreign"].pk}
    assert response.context["end_customers"] == 1
    assert response.context["recent_orders"] == 3
    assert response.context["open_orders"] == 3
    html = response.content.decode()
    slug = manufacturer.slug
    rid = alpha.reseller.public_id
    for name in ("catalog_reseller:products", "orders_reseller:list", "orders_reseller:cart",
                 "qualifications_reseller:list", "communications_reseller:list"):  # fmt: skip
        assert reverse(name, kwargs={"reseller_public_id": rid, "manufacturer_slug": slug}) in html
    orders = list(response.context["orders"])
    assert orders and all(o.reseller_id == alpha.reseller_id for o in orders)
    assert beta.orders.first().number not in html

    beta_user = ResellerUserFactory(reseller=beta.reseller).user
    beta_page = client_for(beta_user).get(reseller_url(beta.reseller))
    assert [p.pk for p in beta_page.context["partnerships"]] == [beta.pk]
    assert beta_page.context["end_customers"] == 1
    # Another reseller's dashboard is a 404, like one that does not exist.
    assert client_for(beta_user).get(reseller_url(alpha.reseller)).status_code == 404


def test_reseller_dashboard_access(client, client_for, owner, channel):
    url = reseller_url(channel["alpha"].reseller)
    assert client.get(url).status_code == 302
    assert client_for(owner).get(url).status_code == 404


# --- query budgets -------------------------------------------------------------------------


def grow_channel(manufacturer, seller, *, resellers: int, orders_each: int) -> None:
    product = manufacturer.products.filter(sku="SPK-A").first() or make_catalog(manufacturer)["A"]
    for index in range(resellers):
        partnership = PartnershipFactory(manufacturer=manufacturer)
        if index % 2:
            put_in_portfolio(seller, partnership)
        for day in range(orders_each):
            sale(partnership, [(product, 1)], when=ago(day * 17 + 1),
                 status=S.COMPLETED if day % 2 else S.PLACED)  # fmt: skip


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Manufacturer dashboard, owner (a seller skips role counts and the two staff-only rows: 14):
#  1 session  2 user  3 membership + tenant  4 role counts  5 unread notifications
#  6-7 the user's memberships for the organisation switcher
#  8 KPI orders aggregate  9 KPI returns  10 KPI partnerships  11-12 monthly orders/returns
#  13 orders awaiting acceptance  14 open qualification requests  15 customers without a rep
#  16 recent orders (with partnership and reseller)  17 top resellers (directory row query)
#  18 the owner's second factor (django-otp's middleware checks the device still exists)
#  19 payout requests awaiting approval (commissions)
# A change here needs a reason: every panel is one aggregate, whatever the number of rows.
MANUFACTURER_BUDGET = 19


@pytest.mark.parametrize("size", [(2, 1), (12, 6)])
def test_manufacturer_dashboard_query_budget(client_for, django_assert_max_num_queries,
                                             manufacturer, owner, seller, size):  # fmt: skip
    grow_channel(manufacturer, seller, resellers=size[0], orders_each=size[1])
    for user in (owner, seller):
        client = client_for(user)
        client.get(dashboard_url(manufacturer))  # warm the session
        with django_assert_max_num_queries(MANUFACTURER_BUDGET):
            client.get(dashboard_url(manufacturer))


def test_manufacturer_dashboard_queries_do_not_grow(client_for, manufacturer, owner, seller):
    grow_channel(manufacturer, seller, resellers=2, orders_each=1)
    client = client_for(owner)
    client.get(dashboard_url(manufacturer))
    small = count_queries(client, dashboard_url(manufacturer))
    grow_channel(manufacturer, seller, resellers=10, orders_each=5)
    assert count_queries(client, dashboard_url(manufacturer)) == small


# Reseller dashboard: session, user, reseller membership, partnered manufacturers (scope),
# unread notifications, the switcher's two membership lists, partnerships with their
# figures (1), end customers (1), recent orders (1); the earnings (commissions): partnerships,
# balances, orders, affiliate links, rates, customers per month, commissions per month,
# customers managed (8), the partner tiers' commission rates of every partnership (1),
# whatever the number of manufacturers, entries and customers.
RESELLER_BUDGET = 19


@pytest.mark.parametrize("manufacturers", [1, 5])
def test_reseller_dashboard_query_budget(client_for, django_assert_max_num_queries,
                                         manufacturers):  # fmt: skip
    reseller = ResellerFactory()
    for _index in range(manufacturers):
        maker = ManufacturerFactory()
        partnership = PartnershipFactory(manufacturer=maker, reseller=reseller)
        product = make_catalog(maker)["A"]
        for day in range(3):
            sale(partnership, [(product, 1)], when=ago(day * 11 + 1))
        end_customer_create(
            reseller=reseller, name=f"Customer {maker.pk}", email=f"c{maker.pk}@example.test"
        )
    client = client_for(ResellerUserFactory(reseller=reseller).user)
    client.get(reseller_url(reseller))
    with django_assert_max_num_queries(RESELLER_BUDGET):
        response = client.get(reseller_url(reseller))
    assert len(response.context["partnerships"]) == manufacturers


def test_a_reps_own_order_for_a_customer_moved_away_shows_the_name_without_a_link(
    client_for, manufacturer, seller, channel, make_member
):
    alpha, beta = channel["alpha"], channel["beta"]
    # The rep placed a manual order for beta, which now sits in another rep's portfolio.
    put_in_portfolio(make_member(manufacturer, Role.SELLER), beta)
    order = beta.orders.order_by("-created_at").first()
    Order.objects.filter(pk=order.pk).update(
        created_by=seller, is_manual=True, created_at=timezone.now()
    )

    page = client_for(seller).get(dashboard_url(manufacturer)).content.decode()
    html = page.split('id="dashboard-recent-orders"')[1].split("</table>")[0]

    def profile(partnership):
        return reverse(
            "resellers_manufacturer:profile",
            kwargs={
                "manufacturer_slug": manufacturer.slug,
                "public_id": partnership.reseller.public_id,
            },
        )

    assert order.number in html and beta.reseller.name in html
    assert profile(beta) not in html  # it would answer 404 for her
    assert profile(alpha) in html  # her own customer's orders still link
    assert client_for(seller).get(profile(beta)).status_code == 404
