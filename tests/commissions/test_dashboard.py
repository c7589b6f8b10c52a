"""The reseller dashboard's home figures, Earnings and Statistics; the manufacturer's profile
panel and dashboard item."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Role
from commissions.services.ledger import commission_rate_set
from orders.models import OrderLine
from orders.services.orders import ReturnLineRequest, order_return_create
from partners.services.tiers import partner_tier_set, tier_save
from resellers.services import affiliate_link_get_or_create
from tests.accounts.factories import ManufacturerFactory, ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.commissions.conftest import completed_order
from tests.commissions.factories import PayoutRequestFactory
from tests.orders.factories import make_end_customer
from tests.partners.factories import tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def history(partnership, speaker, customer):
    """Two orders of one customer (a repeat buyer), one of another, one returned."""
    second = make_end_customer(partnership.reseller, email="jan@kunden.example", name="Jan Berg")
    completed_order(
        partnership,
        [speaker],
        customer=customer,
        quantities=[2],
        at=timezone.now() - timedelta(weeks=6),
        created_at=timezone.now() - timedelta(weeks=7),
    )
    completed_order(partnership, [speaker], customer=customer)
    returned = completed_order(partnership, [speaker], customer=second)
    order_return_create(
        order=returned,
        lines=[
            ReturnLineRequest(order_line_id=OrderLine.objects.get(order=returned).pk, quantity=1)
        ],
        created_by=None,
    )
    return partnership


def test_the_home_shows_the_manuals_figures(client_for, history, reseller_user, manufacturer):
    affiliate_link_get_or_create(partnership=history)
    commission_rate_set(
        manufacturer=manufacturer,
        partnership=history,
        rate=D("12.50"),
        effective_from=timezone.localdate(),
        created_by=None,
    )

    response = client_for(reseller_user).get(f"/r/{history.reseller.public_id}/")

    text = response.content.decode()
    earnings = response.context["earnings"]
    [partner] = earnings.partners
    assert (partner.orders, partner.order_value) == (3, D("400.00"))
    assert (partner.balance.earned, partner.balance.pending, partner.balance.voided) == (
        D("40.00"), D("10.00"), D("10.00"),
    )  # fmt: skip
    assert partner.rate == D("12.50")
    assert earnings.customers == 2
    assert "/join/" in partner.affiliate_url and 'data-copy="http://testserver/join/' in text
    for label in (
        "Customers managed",
        "Total orders",
        "Total order value",
        "Earnings",
        "Pending earnings",
        "Commission rate",
        "Total paid",
        "Total pending",
    ):
        assert label in text
    assert 'data-chart="earnings-customers-data"' in text
    assert 'data-chart="earnings-commissions-data"' in text


def test_the_sidebar_names_the_manuals_sections(client_for, partnership, reseller_user):
    response = client_for(reseller_user).get(f"/r/{partnership.reseller.public_id}/")

    labels = [str(item["label"]) for item in response.context["nav_items"]]
    assert labels == [
        "Dashboard",
        "Customers",
        "Orders",
        "Earnings",
        "Commissions",
        "Notifications",
        "Statistics",
        "Account",
    ]
    text = response.content.decode()
    sidebar = text[text.index('id="sidebar"') : text.index("</nav>", text.index('id="sidebar"'))]
    # Logout ends the list, a POST form with its CSRF token: it works without JavaScript.
    logout = sidebar[sidebar.rindex("<form") :]
    assert 'method="post" action="/logout/"' in logout
    assert "csrfmiddlewaretoken" in logout and "Logout" in logout
    assert sidebar.index("Account") < sidebar.index("Logout")
    page = client_for(reseller_user).get(
        f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/commissions/"
    )
    assert "Commissions" in [str(item["label"]) for item in page.context["partner_nav_items"]]


def test_the_sidebars_logout_ends_the_session(client_for, partnership, reseller_user):
    client = client_for(reseller_user)
    assert client.get(f"/r/{partnership.reseller.public_id}/").status_code == 200

    assert client.post("/logout/").status_code == 302

    assert client.get(f"/r/{partnership.reseller.public_id}/").status_code == 302


def test_the_commissions_section_lists_each_manufacturers_balance(
    client_for, history, partnership, reseller_user, other_manufacturer, make_member
):
    with scope(manufacturer=other_manufacturer):
        PartnershipFactory(manufacturer=other_manufacturer, reseller=partnership.reseller)
    response = client_for(reseller_user).get(f"/r/{partnership.reseller.public_id}/commissions/")

    assert response.status_code == 200
    rows = {row["partnership"].manufacturer.slug: row for row in response.context["rows"]}
    assert set(rows) == {partnership.manufacturer.slug, other_manufacturer.slug}
    mine = rows[partnership.manufacturer.slug]
    assert (mine["balance"].earned, mine["balance"].voided) == (D("40.00"), D("10.00"))
    assert rows[other_manufacturer.slug]["balance"].earned == D("0.00")
    text = response.content.decode()
    overview = f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/commissions/"
    assert f'href="{overview}"' in text


def test_the_commissions_section_is_the_resellers_own(
    client, client_for, history, partnership, other_partnership, manager
):
    stranger = ResellerUserFactory(reseller=other_partnership.reseller).user
    url = f"/r/{partnership.reseller.public_id}/commissions/"

    assert client_for(stranger).get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_another_resellers_earnings_stay_apart(client_for, history, other_partnership, speaker):
    stranger = ResellerUserFactory(reseller=other_partnership.reseller).user

    response = client_for(stranger).get(f"/r/{other_partnership.reseller.public_id}/earnings/")

    [partner] = response.context["earnings"].partners
    assert partner.balance.earned == D("0.00")
    assert client_for(stranger).get(f"/r/{history.reseller.public_id}/earnings/").status_code == 404


def test_statistics_over_a_period_with_who_repeats(client_for, history, reseller_user, customer):
    url = f"/r/{history.reseller.public_id}/statistics/"
    client = client_for(reseller_user)

    report = client.get(url).context["report"]
    assert (report.total_orders, report.buyers, report.repeat_buyers) == (3, 2, 1)
    assert report.total_commission == D("30.00")
    repeat = next(c for c in report.customers if c["repeats"])
    assert repeat["end_customer__name"] == customer.name

    today = timezone.localdate()
    recent = client.get(
        url, {"start": (today - timedelta(days=7)).isoformat(), "end": today.isoformat()}
    )
    assert recent.context["report"].total_orders == 2

    bad = client.get(
        url, {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()}
    )
    assert "ends before it starts" in bad.content.decode()
    assert bad.context["report"].total_orders == 3  # the last 90 days instead

    csv = b"".join(client.get(url, {"format": "csv", "report": "customers"}).streaming_content)
    assert customer.name in csv.decode("utf-8-sig")


def test_the_profile_shows_the_resellers_ledger(client_for, history, manager):
    url = f"/m/{history.manufacturer.slug}/resellers/{history.reseller.public_id}/"

    text = client_for(manager).get(url).content.decode()

    assert 'id="reseller-commissions"' in text
    assert "Commission voided" in text


def test_staff_see_payout_requests_waiting_on_the_dashboard(
    client_for, manufacturer, manager, seller, partnership
):
    PayoutRequestFactory(partnership=partnership, status="requested", batch=None)

    staff = client_for(manager).get(f"/m/{manufacturer.slug}/").content.decode()
    rep = client_for(seller).get(f"/m/{manufacturer.slug}/").content.decode()

    assert 'data-attention="commissions_manufacturer:approvals">1<' in staff
    assert "commissions_manufacturer:approvals" not in rep


def test_the_home_keeps_its_query_budget(
    client_for, partnership, speaker, customer, reseller_user, django_assert_max_num_queries
):
    client = client_for(reseller_user)
    url = f"/r/{partnership.reseller.public_id}/"
    completed_order(partnership, [speaker], customer=customer)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(15):
        buyer = make_end_customer(partnership.reseller, email=f"k{n}@kunden.example")
        completed_order(partnership, [speaker], customer=buyer)

    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        assert client.get(url).status_code == 200


def _partner_with_a_tier_rate(reseller, manager_of, n):
    """Another manufacturer of the same reseller, its partnership in a tier with a rate."""
    manufacturer = ManufacturerFactory(name=f"Maker {n}", slug=f"maker-{n}")
    boss = manager_of(manufacturer)
    with scopes_disabled():
        partnership = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
        silver = tier_named(manufacturer, "Silver")
        tier_save(
            manufacturer=manufacturer,
            tier=silver,
            values={"name": "Silver", "rank": 1, "commission_rate": D(f"{10 + n}.00")},
        )
        partner_tier_set(partnership=partnership, tier=silver, by=boss, reason="Grew")
        product = ProductFactory(manufacturer=manufacturer, sku=f"P-{n}", price=D("100.00"))
        buyer = make_end_customer(reseller, email=f"buyer{n}@kunden.example")
        completed_order(partnership, [product], customer=buyer)
    return partnership


def test_the_home_shows_each_manufacturers_tier_rate_in_a_budget_constant_in_manufacturers(
    client_for, partnership, speaker, customer, reseller_user, make_member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def manager_of(manufacturer):
        return make_member(manufacturer=manufacturer, role=Role.MANAGER)

    client = client_for(reseller_user)
    url = f"/r/{partnership.reseller.public_id}/"
    completed_order(partnership, [speaker], customer=customer)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    others = [_partner_with_a_tier_rate(partnership.reseller, manager_of, n) for n in range(1, 5)]

    with CaptureQueriesContext(connection) as five:
        response = client.get(url)

    rates = {p.partnership.pk: p.rate for p in response.context["earnings"].partners}
    assert rates == {partnership.pk: D("10.00")} | {
        other.pk: D(f"{10 + n}.00") for n, other in enumerate(others, start=1)
    }
    assert len(five.captured_queries) == len(one.captured_queries), (
        "The reseller home must not ask once per manufacturer: "
        f"{len(one.captured_queries)} queries with 1, {len(five.captured_queries)} with 5"
    )
