"""Payout details, requests, batches, paying, and a clawback netted into the next payout."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissions.models import (
    CommissionEntry,
    EntryKind,
    PayoutBatch,
    PayoutDetails,
    PayoutItem,
    PayoutOrigin,
    PayoutRequest,
    PayoutRequestStatus,
)
from commissions.selectors.balances import balance_of
from commissions.services.ledger import CommissionRefused, commission_settings_for
from commissions.services.payouts import (
    payout_batch_approve,
    payout_batch_mark_paid,
    payout_details_save,
    payout_request_create,
)
from notifications.models import Notification, NotificationKind
from orders.models import OrderLine
from orders.services.orders import ReturnLineRequest, order_return_create
from tests.commissions.conftest import completed_order
from tests.commissions.factories import PayoutDetailsFactory, PayoutRequestFactory
from tests.orders.factories import make_end_customer

pytestmark = pytest.mark.django_db

D = Decimal
FIVE_WEEKS_AGO = timezone.now() - timedelta(weeks=5)


@pytest.fixture
def minimum(manufacturer):
    settings = commission_settings_for(manufacturer)
    settings.minimum_payout = D("15.00")
    settings.save()
    return settings.minimum_payout


@pytest.fixture
def details(partnership):
    return PayoutDetailsFactory(partnership=partnership)


def earn(partnership, product, customer, quantity=1, at=FIVE_WEEKS_AGO):
    return completed_order(partnership, [product], customer=customer, quantities=[quantity], at=at)


def ledger(partnership):
    return CommissionEntry.objects.filter(partnership=partnership)


def return_one(order, product):
    line = OrderLine.objects.get(order=order, product=product)
    return order_return_create(
        order=order, lines=[ReturnLineRequest(order_line_id=line.pk, quantity=1)], created_by=None
    )


# --- payout details -----------------------------------------------------------------------


def test_a_valid_iban_is_stored_compact_and_shown_masked(partnership, reseller_user):
    details = payout_details_save(
        partnership=partnership,
        account_holder="  Soundhouse   GmbH ",
        iban="de89 3704 0044 0532 0130 00",
        bic="cobadeffxxx",
        updated_by=reseller_user,
    )

    assert (details.account_holder, details.iban, details.bic) == (
        "Soundhouse GmbH",
        "DE89370400440532013000",
        "COBADEFFXXX",
    )
    assert details.masked_account == "DE" + "•" * 16 + "3000"
    assert "0532" not in details.masked_account


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"iban": "DE89370400440532013001"}, "This IBAN is not valid"),
        ({"iban": "XX00"}, "This IBAN is not valid"),
        ({"iban": "DE89370400440532013000", "bic": "NOPE"}, "This BIC is not valid"),
        ({}, "Enter an IBAN or an account number"),
        ({"account_number": "12-34"}, "4 to 34 letters and digits"),
    ],
)
def test_bad_payout_details_are_refused_and_nothing_is_stored(partnership, fields, message):
    with pytest.raises(CommissionRefused, match=message):
        payout_details_save(
            partnership=partnership, account_holder="Soundhouse", updated_by=None, **fields
        )

    assert not PayoutDetails.objects.exists()


def test_an_account_number_outside_the_iban_countries(partnership):
    details = payout_details_save(
        partnership=partnership,
        account_holder="Soundhouse Inc.",
        account_number="000123456789",
        bank_code="026009593",
        updated_by=None,
    )

    assert details.masked_account == "••••••••6789"


# --- requests -----------------------------------------------------------------------------


def test_a_reseller_requests_its_payable_balance(
    manufacturer,
    partnership,
    speaker,
    customer,
    details,
    minimum,
    owner,
    manager,
    seller,
    reseller_user,
):
    earn(partnership, speaker, customer, quantity=2)  # 20.00 payable
    pending = earn(partnership, speaker, customer, at=timezone.now())  # 10.00 still held

    request = payout_request_create(
        partnership=partnership, amount=D("20.00"), requested_by=reseller_user
    )

    assert (request.amount, request.status, request.origin) == (
        D("20.00"),
        PayoutRequestStatus.REQUESTED,
        PayoutOrigin.RESELLER,
    )
    assert not PayoutItem.objects.filter(entry__order=pending).exists()
    balance = balance_of(ledger(partnership))
    assert (balance.pending, balance.payable, balance.requested) == (D("10.00"), D("0"), D("20"))
    told = Notification.objects.filter(kind=NotificationKind.PAYOUT)
    assert {n.user for n in told} == {owner, manager}  # not the rep, not the reseller
    assert "Soundhouse GmbH requests a payout of €20.00" in told.first().title


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D("20.01"), "at most your payable balance of €20.00"),
        (D("19.99"), "covers your whole payable balance of €20.00"),
    ],
)
def test_a_request_for_another_amount_is_refused(
    partnership, speaker, customer, details, minimum, amount, message
):
    earn(partnership, speaker, customer, quantity=2)

    with pytest.raises(CommissionRefused, match=message):
        payout_request_create(partnership=partnership, amount=amount, requested_by=None)
    assert not PayoutRequest.objects.exists()
    assert not PayoutItem.objects.exists()


def test_a_balance_below_the_minimum_cannot_be_requested(
    partnership, speaker, customer, details, minimum
):
    earn(partnership, speaker, customer)  # 10.00 < 15.00

    with pytest.raises(CommissionRefused, match=r"minimum payout is €15\.00"):
        payout_request_create(partnership=partnership, amount=D("10.00"), requested_by=None)
    assert not PayoutRequest.objects.exists()


def test_one_open_request_at_a_time(partnership, speaker, customer, details, minimum):
    earn(partnership, speaker, customer, quantity=2)
    payout_request_create(partnership=partnership, amount=D("20.00"), requested_by=None)
    earn(partnership, speaker, customer, quantity=2)

    with pytest.raises(CommissionRefused, match="already open"):
        payout_request_create(partnership=partnership, amount=D("20.00"), requested_by=None)
    assert PayoutRequest.objects.count() == 1


def test_no_request_without_payout_details(partnership, speaker, customer, minimum):
    earn(partnership, speaker, customer, quantity=2)

    with pytest.raises(CommissionRefused, match="payout details first"):
        payout_request_create(partnership=partnership, amount=D("20.00"), requested_by=None)


# --- batches and paying -------------------------------------------------------------------


def test_approve_then_pay_a_batch(
    manufacturer, partnership, speaker, customer, details, minimum, manager, reseller_user
):
    earn(partnership, speaker, customer, quantity=2)
    request = payout_request_create(partnership=partnership, amount=D("20.00"), requested_by=None)

    batch = payout_batch_approve(
        manufacturer=manufacturer, request_ids=[request.pk], approved_by=manager
    )
    request.refresh_from_db()
    assert (request.status, request.batch) == (PayoutRequestStatus.APPROVED, batch)
    assert balance_of(ledger(partnership)).requested == D("20.00")

    payout_batch_mark_paid(batch=batch, reference="SEPA-2026-03-001", paid_by=manager)

    request.refresh_from_db()
    batch.refresh_from_db()
    assert request.status == PayoutRequestStatus.PAID
    assert (batch.status, batch.reference) == ("paid", "SEPA-2026-03-001")
    payout = ledger(partnership).get(kind=EntryKind.PAYOUT)
    assert (payout.debit, payout.payout_request) == (D("20.00"), request)
    balance = balance_of(ledger(partnership))
    assert (balance.paid, balance.requested, balance.payable, balance.owed) == (
        D("20.00"),
        D("0"),
        D("0"),
        D("0"),
    )
    titles = [n.title for n in Notification.objects.filter(user=reseller_user)]
    assert any("approved your payout of €20.00" in t for t in titles)
    assert any("Your payout of €20.00 is paid (reference SEPA-2026-03-001)" in t for t in titles)


def test_a_batch_is_paid_once(
    manufacturer, partnership, speaker, customer, details, minimum, manager
):
    earn(partnership, speaker, customer, quantity=2)
    request = payout_request_create(partnership=partnership, amount=D("20.00"), requested_by=None)
    batch = payout_batch_approve(
        manufacturer=manufacturer, request_ids=[request.pk], approved_by=manager
    )
    payout_batch_mark_paid(batch=batch, reference="REF-1", paid_by=manager)

    with pytest.raises(CommissionRefused, match="already marked paid"):
        payout_batch_mark_paid(batch=batch, reference="REF-2", paid_by=manager)
    assert ledger(partnership).filter(kind=EntryKind.PAYOUT).count() == 1


def test_marking_paid_needs_a_reference(manufacturer, manager):
    request = PayoutRequestFactory(partnership__manufacturer=manufacturer)

    with pytest.raises(CommissionRefused, match="payment reference"):
        payout_batch_mark_paid(batch=request.batch, reference="  ", paid_by=manager)


def test_another_tenants_request_cannot_be_approved(
    manufacturer, other_manufacturer, foreign_partnership, manager
):
    theirs = PayoutRequestFactory(
        partnership=foreign_partnership, status=PayoutRequestStatus.REQUESTED, batch=None
    )

    with pytest.raises(CommissionRefused, match="do not exist"):
        payout_batch_approve(
            manufacturer=manufacturer, request_ids=[theirs.pk], approved_by=manager
        )
    theirs.refresh_from_db()
    assert theirs.status == PayoutRequestStatus.REQUESTED
    assert not PayoutBatch.objects.filter(manufacturer=manufacturer).exists()


def test_requests_due_by_their_date_join_every_batch(
    manufacturer, partnership, other_partnership, manager
):
    chosen = PayoutRequestFactory(
        partnership=partnership, status=PayoutRequestStatus.REQUESTED, batch=None
    )
    due = PayoutRequestFactory(
        partnership=other_partnership,
        status=PayoutRequestStatus.REQUESTED,
        batch=None,
        origin=PayoutOrigin.DEADLINE,
    )

    batch = payout_batch_approve(
        manufacturer=manufacturer, request_ids=[chosen.pk], approved_by=manager
    )

    assert set(batch.requests.all()) == {chosen, due}


def test_a_clawback_after_payout_is_netted_into_the_next_payout(
    manufacturer, partnership, speaker, cable, customer, details, minimum, manager
):
    first = earn(partnership, speaker, customer, quantity=3)  # 30.00
    request = payout_request_create(partnership=partnership, amount=D("30.00"), requested_by=None)
    batch = payout_batch_approve(
        manufacturer=manufacturer, request_ids=[request.pk], approved_by=manager
    )
    payout_batch_mark_paid(batch=batch, reference="REF-1", paid_by=manager)
    return_one(first, speaker)  # the 30.00 is clawed back
    assert balance_of(ledger(partnership)).payable == D("-30.00")

    earn(partnership, speaker, customer, quantity=5)  # 50.00 earned later
    balance = balance_of(ledger(partnership))
    assert balance.payable == D("20.00")  # 50.00 − 30.00

    second = payout_request_create(partnership=partnership, amount=D("20.00"), requested_by=None)

    kinds = set(PayoutItem.objects.filter(request=second).values_list("entry__kind", flat=True))
    assert kinds == {EntryKind.ACCRUAL, EntryKind.CLAWBACK}
    assert second.amount == D("20.00")


def test_two_resellers_requests_stay_apart(
    manufacturer, partnership, other_partnership, speaker, customer, details, minimum
):
    earn(partnership, speaker, customer, quantity=2)
    other_customer = make_end_customer(other_partnership.reseller, email="max@example.test")
    earn(other_partnership, speaker, other_customer, quantity=4)
    PayoutDetailsFactory(partnership=other_partnership)

    ours = payout_request_create(partnership=partnership, amount=D("20.00"), requested_by=None)
    theirs = payout_request_create(
        partnership=other_partnership, amount=D("40.00"), requested_by=None
    )

    assert set(
        PayoutItem.objects.filter(request=ours).values_list("entry__partnership", flat=True)
    ) == {partnership.pk}
    assert theirs.amount == D("40.00")
