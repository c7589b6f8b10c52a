"""The commission pages, each tried by who may use it and by who may not."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissions.models import (
    CommissionEntry,
    EntryKind,
    PayoutDetails,
    PayoutRequest,
    PayoutRequestStatus,
    WindowExtension,
)
from commissions.services.ledger import commission_settings_for
from commissions.services.payouts import payout_batch_approve, payout_request_create
from orders.models import OrderLine
from orders.services.orders import ReturnLineRequest, order_return_create
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerUserFactory
from tests.accounts.two_factor_helpers import verify_session
from tests.commissions.conftest import completed_order
from tests.commissions.factories import PayoutDetailsFactory, PayoutRequestFactory
from tests.orders.factories import make_end_customer

pytestmark = pytest.mark.django_db

D = Decimal
FIVE_WEEKS_AGO = timezone.now() - timedelta(weeks=5)


@pytest.fixture(autouse=True)
def minimum(manufacturer):
    settings = commission_settings_for(manufacturer)
    settings.minimum_payout = D("20.00")
    settings.save()


@pytest.fixture
def earned(partnership, speaker, customer):
    """30.00 payable, 10.00 pending, 10.00 voided by a return."""
    completed_order(partnership, [speaker], customer=customer, quantities=[3], at=FIVE_WEEKS_AGO)
    completed_order(partnership, [speaker], customer=customer)
    returned = completed_order(partnership, [speaker], customer=customer, at=FIVE_WEEKS_AGO)
    line = OrderLine.objects.get(order=returned)
    order_return_create(
        order=returned,
        lines=[ReturnLineRequest(order_line_id=line.pk, quantity=1)],
        created_by=None,
    )
    return partnership


@pytest.fixture
def theirs(other_partnership, speaker):
    """Another reseller of the same manufacturer with 70.00 payable."""
    buyer = make_end_customer(other_partnership.reseller, email="max@tonwerk-kunden.example")
    completed_order(other_partnership, [speaker], customer=buyer, quantities=[7], at=FIVE_WEEKS_AGO)
    return other_partnership


def reseller_url(partnership, page=""):
    return (
        f"/r/{partnership.reseller.public_id}/m/{partnership.manufacturer.slug}/commissions/{page}"
    )


def manufacturer_url(manufacturer, page=""):
    return f"/m/{manufacturer.slug}/commissions/{page}"


# --- the reseller's Commissions -----------------------------------------------------------


def test_the_reseller_sees_every_figure_and_every_entry_explains_itself(
    client_for, earned, reseller_user
):
    response = client_for(reseller_user).get(reseller_url(earned))

    assert response.status_code == 200
    balance = response.context["balance"]
    assert (balance.earned, balance.pending, balance.payable, balance.voided) == (
        D("50.00"), D("10.00"), D("30.00"), D("10.00"),
    )  # fmt: skip
    text = response.content.decode()
    assert "10.00% of 300.00 EUR, the manufacturer&#x27;s default rate" in text
    assert "voided: an item was returned before payout" in text
    for label in ("Accrued", "Pending", "Payable", "Requested", "Paid", "Voided"):
        assert label in text


def test_by_order_and_by_customer(client_for, earned, reseller_user, customer):
    client = client_for(reseller_user)

    orders = client.get(reseller_url(earned), {"view": "orders"})
    customers = client.get(reseller_url(earned), {"view": "customers"})

    assert sorted(row["net_total"] for row in orders.context["page"]) == [
        D("0.00"), D("10.00"), D("30.00"),
    ]  # fmt: skip
    [row] = customers.context["page"]
    assert (row["order__end_customer__name"], row["orders"], row["net_total"]) == (
        customer.name, 3, D("40.00"),
    )  # fmt: skip


def test_the_reseller_exports_its_ledger(client_for, earned, reseller_user):
    response = client_for(reseller_user).get(reseller_url(earned), {"format": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 5  # a header and four entries
    assert "voided: an item was returned" in body


def test_another_resellers_user_and_anonymous_cannot_open_it(client, client_for, earned, theirs):
    stranger = ResellerUserFactory(reseller=theirs.reseller).user

    assert client_for(stranger).get(reseller_url(earned)).status_code == 404
    assert client.get(reseller_url(earned)).status_code == 302
    assert client.post(reseller_url(earned, "request/"), {"amount": "30.00"}).status_code == 302
    assert not PayoutRequest.objects.exists()


def test_a_manufacturer_the_reseller_does_not_partner_with_is_404(
    client_for, earned, reseller_user, other_manufacturer
):
    url = f"/r/{earned.reseller.public_id}/m/{other_manufacturer.slug}/commissions/"

    assert client_for(reseller_user).get(url).status_code == 404


def test_the_reseller_requests_its_payout(client_for, earned, reseller_user):
    PayoutDetailsFactory(partnership=earned)
    client = client_for(reseller_user)

    response = client.post(reseller_url(earned, "request/"), {"amount": "30.00"})

    assert response.status_code == 302
    assert PayoutRequest.objects.get().amount == D("30.00")
    again = client.post(reseller_url(earned, "request/"), {"amount": "30.00"})
    assert again.status_code == 400
    assert "already open" in again.content.decode()
    assert PayoutRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("30.01", "at most your payable balance of €30.00"),
        ("1000000000000", "less than or equal to 9999999999.99"),
        ("-5", "greater than or equal to 0.01"),
        ("abc", "Enter a number"),
    ],
)
def test_a_bad_payout_request_is_refused_and_writes_nothing(
    client_for, earned, reseller_user, amount, message
):
    PayoutDetailsFactory(partnership=earned)

    response = client_for(reseller_user).post(reseller_url(earned, "request/"), {"amount": amount})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PayoutRequest.objects.exists()


def test_below_the_minimum_the_request_is_refused(client_for, earned, reseller_user, manufacturer):
    PayoutDetailsFactory(partnership=earned)
    settings = commission_settings_for(manufacturer)
    settings.minimum_payout = D("100.00")
    settings.save()

    response = client_for(reseller_user).post(reseller_url(earned, "request/"), {"amount": "30.00"})

    assert response.status_code == 400
    assert "The minimum payout is €100.00" in response.content.decode()


def test_payout_details_are_validated_and_shown_masked(client_for, earned, reseller_user):
    client = client_for(reseller_user)

    bad = client.post(
        reseller_url(earned, "details/"),
        {"account_holder": "Soundhouse", "iban": "DE89 3704 0044 0532 0130 01"},
    )
    assert bad.status_code == 400
    assert "This IBAN is not valid" in bad.content.decode()
    assert not PayoutDetails.objects.exists()

    good = client.post(
        reseller_url(earned, "details/"),
        {"account_holder": "Soundhouse", "iban": "DE89 3704 0044 0532 0130 00"},
    )
    assert good.status_code == 302
    page = client.get(reseller_url(earned)).content.decode()
    assert "DE••••••••••••••••3000" in page
    assert "DE89370400440532013000" not in page


def test_the_reseller_pages_keep_their_query_budget(
    client_for, partnership, speaker, customer, reseller_user, django_assert_max_num_queries
):
    client = client_for(reseller_user)
    completed_order(partnership, [speaker], customer=customer, at=FIVE_WEEKS_AGO)
    with django_assert_max_num_queries(40) as few:
        client.get(reseller_url(partnership))
    for _ in range(30):
        completed_order(partnership, [speaker], customer=customer, at=FIVE_WEEKS_AGO)

    for view in ("entries", "orders", "customers"):
        with django_assert_max_num_queries(len(few.captured_queries) + 2):
            assert client.get(reseller_url(partnership), {"view": view}).status_code == 200


# --- the manufacturer's side --------------------------------------------------------------


def test_staff_see_what_is_due_and_by_reseller(client_for, manufacturer, earned, theirs, manager):
    response = client_for(manager).get(manufacturer_url(manufacturer))

    assert response.status_code == 200
    rows = {row.partnership: row.balance for row in response.context["page"]}
    assert rows[earned].payable == D("30.00")
    assert rows[theirs].payable == D("70.00")
    overview = response.context["overview"]
    assert overview.balance.payable == D("100.00")


def test_a_rep_sees_only_the_portfolios_figures(
    client_for, manufacturer, earned, theirs, seller, owner
):
    portfolio_assign(manufacturer=manufacturer, partnership=earned, rep=seller, by=owner)
    client = client_for(seller)

    response = client.get(manufacturer_url(manufacturer))

    assert [row.partnership for row in response.context["page"]] == [earned]
    assert response.context["overview"].balance.payable == D("30.00")
    assert (
        client.get(
            manufacturer_url(manufacturer, f"resellers/{earned.reseller.public_id}/")
        ).status_code
        == 200
    )
    outside = client.get(manufacturer_url(manufacturer, f"resellers/{theirs.reseller.public_id}/"))
    assert outside.status_code == 404
    assert client.get(manufacturer_url(manufacturer, "approvals/")).status_code == 403


def test_the_manufacturer_overview_exports_csv(client_for, manufacturer, earned, theirs, owner):
    response = client_for(owner).get(manufacturer_url(manufacturer), {"format": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert earned.reseller.public_id in body and theirs.reseller.public_id in body


def test_another_tenant_and_anonymous_cannot_open_the_commissions(
    client, client_for, manufacturer, other_manufacturer, earned, make_member
):
    stranger = make_member(other_manufacturer)
    public_id = earned.reseller.public_id

    for page in ("", "approvals/", f"resellers/{public_id}/"):
        assert client_for(stranger).get(manufacturer_url(manufacturer, page)).status_code == 404
        assert client.get(manufacturer_url(manufacturer, page)).status_code == 302
    theirs = client_for(stranger).get(
        manufacturer_url(other_manufacturer, f"resellers/{public_id}/")
    )
    assert theirs.status_code == 404  # the reseller is not their partner


def test_approve_export_and_pay_a_batch(client_for, manufacturer, earned, theirs, manager):
    for partnership in (earned, theirs):
        PayoutDetailsFactory(partnership=partnership)
    ours = payout_request_create(partnership=earned, amount=D("30.00"), requested_by=None)
    other = payout_request_create(partnership=theirs, amount=D("70.00"), requested_by=None)
    client = client_for(manager)
    verify_session(client, manager)  # approving payouts needs two-factor login

    page = client.get(manufacturer_url(manufacturer, "approvals/"))
    assert {r.pk for r in page.context["requests"]} == {ours.pk, other.pk}
    response = client.post(
        manufacturer_url(manufacturer, "approvals/approve/"), {"request": [ours.pk]}
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    other.refresh_from_db()
    assert (ours.status, other.status) == (
        PayoutRequestStatus.APPROVED,
        PayoutRequestStatus.REQUESTED,
    )

    batch_url = manufacturer_url(manufacturer, f"batches/{ours.batch_id}/")
    assert "1 payout, €30.00" in client.get(batch_url).content.decode()
    csv = b"".join(client.get(batch_url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "DE89370400440532013000" in csv and "30.00" in csv and "70.00" not in csv

    assert client.post(batch_url, {"reference": ""}).status_code == 400
    assert client.post(batch_url, {"reference": "SEPA-42"}).status_code == 302
    ours.refresh_from_db()
    assert ours.status == PayoutRequestStatus.PAID
    assert CommissionEntry.objects.get(kind=EntryKind.PAYOUT).debit == D("30.00")


def test_approving_another_tenants_request_is_refused(
    client_for, manufacturer, foreign_partnership, manager
):
    foreign = PayoutRequestFactory(
        partnership=foreign_partnership, status=PayoutRequestStatus.REQUESTED, batch=None
    )

    client = client_for(manager)
    verify_session(client, manager)
    response = client.post(
        manufacturer_url(manufacturer, "approvals/approve/"), {"request": [foreign.pk]}, follow=True
    )

    assert "do not exist" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.status == PayoutRequestStatus.REQUESTED


def test_another_tenants_batch_is_404(client_for, manufacturer, foreign_partnership, manager):
    foreign = PayoutRequestFactory(partnership=foreign_partnership)

    url = manufacturer_url(manufacturer, f"batches/{foreign.batch_id}/")
    assert client_for(manager).get(url).status_code == 404
    client = client_for(manager)
    verify_session(client, manager)  # marking paid needs two-factor login first
    assert client.post(url, {"reference": "X"}).status_code == 404


def test_only_an_owner_adjusts_and_always_with_a_reason(
    client_for, manufacturer, earned, owner, manager, reseller_user
):
    url = manufacturer_url(manufacturer, f"resellers/{earned.reseller.public_id}/adjust/")
    data = {"direction": "debit", "amount": "12.50", "reason": "Damaged demo unit"}

    assert client_for(manager).post(url, data).status_code == 403
    no_reason = client_for(owner).post(url, {**data, "reason": "  "})
    assert no_reason.status_code == 400
    assert not CommissionEntry.objects.filter(kind=EntryKind.ADJUSTMENT).exists()

    assert client_for(owner).post(url, data).status_code == 302
    entry = CommissionEntry.objects.get(kind=EntryKind.ADJUSTMENT)
    assert (entry.debit, entry.reason, entry.created_by) == (D("12.50"), "Damaged demo unit", owner)
    ledger = client_for(reseller_user).get(reseller_url(earned)).content.decode()
    assert "Adjustment: Damaged demo unit" in ledger


def test_an_owner_extends_a_window_but_not_into_the_past(
    client_for, manufacturer, partnership, speaker, customer, owner, manager
):
    completed_order(partnership, [speaker], customer=customer)
    entry = CommissionEntry.objects.get()
    url = manufacturer_url(
        manufacturer, f"resellers/{partnership.reseller.public_id}/entries/{entry.pk}/extend/"
    )
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    later = (entry.pay_by + timedelta(weeks=4)).isoformat()

    past = client_for(owner).post(url, {"pay_by": yesterday, "reason": "Late installation"})
    assert past.status_code == 400
    assert "must be in the future" in past.content.decode()
    assert client_for(manager).post(url, {"pay_by": later, "reason": "x"}).status_code == 403
    assert not WindowExtension.objects.exists()

    assert (
        client_for(owner).post(url, {"pay_by": later, "reason": "Late installation"}).status_code
        == 302
    )
    assert WindowExtension.objects.get().pay_by.isoformat() == later


def test_a_trusted_partnership_gets_a_shorter_holding_period(
    client_for, manufacturer, partnership, owner
):
    url = manufacturer_url(manufacturer, f"resellers/{partnership.reseller.public_id}/holding/")

    assert client_for(owner).post(url, {"holding_weeks": "1"}).status_code == 400
    assert (
        client_for(owner).post(url, {"holding_weeks": "1", "reason": "Ten years"}).status_code
        == 302
    )
    assert partnership.payout_terms.holding_weeks == 1


def test_the_manufacturer_pages_keep_their_query_budget(
    client_for, manufacturer, partnership, speaker, customer, owner, django_assert_max_num_queries
):
    client = client_for(owner)
    completed_order(partnership, [speaker], customer=customer, at=FIVE_WEEKS_AGO)
    pages = ["", "approvals/", f"resellers/{partnership.reseller.public_id}/"]
    budgets = {}
    for page in pages:
        with django_assert_max_num_queries(60) as few:
            client.get(manufacturer_url(manufacturer, page))
        budgets[page] = len(few.captured_queries)
    for n in range(20):
        other = make_end_customer(partnership.reseller, email=f"b{n}@kunden.example")
        completed_order(partnership, [speaker], customer=other, at=FIVE_WEEKS_AGO)
        PayoutRequestFactory(partnership__manufacturer=manufacturer, status="requested", batch=None)

    for page in pages:
        with django_assert_max_num_queries(budgets[page] + 2):
            assert client.get(manufacturer_url(manufacturer, page)).status_code == 200


def test_approved_batches_are_listed(client_for, manufacturer, earned, manager):
    PayoutDetailsFactory(partnership=earned)
    request = payout_request_create(partnership=earned, amount=D("30.00"), requested_by=None)
    payout_batch_approve(manufacturer=manufacturer, request_ids=[request.pk], approved_by=manager)

    page = client_for(manager).get(manufacturer_url(manufacturer, "approvals/"))

    [batch] = page.context["page"]
    assert (batch.total, batch.count) == (D("30.00"), 1)
