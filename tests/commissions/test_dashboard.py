"""The reseller dashboard's home figures, Earnings and Statistics; the manufacturer's profile
panel and dashboard item."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissions.services.ledger import commission_rate_set
from orders.models import OrderLine
from orders.services.orders import ReturnLineRequest, order_return_create
from resellers.services import affiliate_link_get_or_create
from tests.accounts.factories import ResellerUserFactory
from tests.commissions.conftest import completed_order
from tests.commissions.factories import PayoutRequestFactory
from tests.orders.factories import make_end_customer

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
    for section in (
        "Customers",
        "All orders",
        "Earnings",
        "Notifications",
        "Statistics",
        "Account",
    ):
        assert section in labels
    page = client_for(reseller_user).get(
        f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/commissions/"
    )
    assert "Commissions" in [str(item["label"]) for item in page.context["partner_nav_items"]]


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
