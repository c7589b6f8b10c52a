"""The events beyond orders and qualifications: a reseller's message (communications'
`message_received` hook), commission that became payable (the daily job) and a payout paid
(a batch marked paid). Each is queued in the transaction of the change, for the endpoints of
its own tenant that chose it; staff replies are not "received"."""

import json
from decimal import Decimal

import pytest
from django.db import transaction

from api.models import WebhookDelivery, WebhookEvent
from commissions.models import CommissionEntry, EntryKind
from commissions.services.job import commission_daily_run
from commissions.services.payouts import (
    payout_batch_approve,
    payout_batch_mark_paid,
)
from communications.services.conversations import conversation_start, reseller_reply, staff_reply
from tests.api.test_webhook_ssrf import fake_dns
from tests.api.test_webhooks import register
from tests.commissions.conftest import completed_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_dns(monkeypatch):
    fake_dns(monkeypatch, ["93.184.215.14"])


def events(endpoint):
    return [
        (d.event_type, json.loads(d.body)["data"])
        for d in WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk")
    ]


def test_a_resellers_new_conversation_and_reply_are_received_staff_replies_are_not(tenant):
    endpoint = register(tenant, "https://crm.example.test/in", [WebhookEvent.CONVERSATION_RECEIVED])
    conversation = conversation_start(
        partnership=tenant.partnership, kind="inventory", subject="Stock?", body="When?",
        author=tenant.reseller_user.user,
    )  # fmt: skip
    staff_reply(conversation=conversation, author=tenant.manager.user, body="Monday.")
    reseller_reply(conversation=conversation, author=tenant.reseller_user.user, body="Thanks")

    received = events(endpoint)

    assert [data["started"] for _type, data in received] == [True, False]
    assert {t for t, _data in received} == {"conversation.received"}
    first = received[0][1]
    assert first["conversation"] == {
        "id": conversation.pk, "kind": "inventory", "subject": "Stock?",
        "reseller": tenant.partnership.reseller.public_id,
    }  # fmt: skip
    assert [data["message"]["body"] for _t, data in received] == ["When?", "Thanks"]


def test_a_message_that_rolls_back_sends_nothing(tenant):
    register(tenant, "https://crm.example.test/in", [WebhookEvent.CONVERSATION_RECEIVED])

    with pytest.raises(RuntimeError), transaction.atomic():
        reseller_reply(
            conversation=tenant.conversation, author=tenant.reseller_user.user, body="Hi"
        )
        raise RuntimeError("after the hook")

    assert not WebhookDelivery.objects.exists()


def test_another_tenants_endpoint_hears_nothing(tenant, other_tenant):
    ours = register(tenant, "https://crm.example.test/in", [WebhookEvent.CONVERSATION_RECEIVED])
    theirs = register(
        other_tenant, "https://crm.example.test/in", [WebhookEvent.CONVERSATION_RECEIVED]
    )
    orders_only = register(tenant, "https://erp.example.test/in", [WebhookEvent.ORDER_CREATED])

    reseller_reply(conversation=tenant.conversation, author=tenant.reseller_user.user, body="Hi")

    assert len(events(ours)) == 1
    assert events(theirs) == [] and events(orders_only) == []


def paid_world(tenant, *, at=None):
    # Commission is earned on sales to end customers (not on own use).
    order = completed_order(
        tenant.partnership, tenant.products[:1], customer=tenant.customer, at=at
    )
    accrual = CommissionEntry.objects.get(order=order, kind=EntryKind.ACCRUAL)
    return accrual


def test_commission_that_becomes_payable_is_an_event_once(tenant):
    endpoint = register(tenant, "https://erp.example.test/in", [WebhookEvent.COMMISSION_PAYABLE])
    accrual = paid_world(tenant)

    commission_daily_run(manufacturer=tenant.manufacturer, today=accrual.eligible_from)
    commission_daily_run(manufacturer=tenant.manufacturer, today=accrual.eligible_from)

    ((kind, data),) = events(endpoint)
    assert kind == "commission.payable"
    assert data == {
        "reseller": tenant.partnership.reseller.public_id, "amount": str(accrual.credit),
        "currency": tenant.manufacturer.currency, "entries": 1,
        "date": accrual.eligible_from.isoformat(),
    }  # fmt: skip
    assert Decimal(data["amount"]) > 0


def test_a_paid_batch_sends_payout_paid_for_each_request(tenant):
    endpoint = register(tenant, "https://erp.example.test/in", [WebhookEvent.PAYOUT_PAID])
    request = tenant.payout  # the tenant's open request of 80.00 (tests/api/conftest.py)
    batch = payout_batch_approve(
        manufacturer=tenant.manufacturer, request_ids=[request.pk], approved_by=tenant.owner.user
    )
    assert events(endpoint) == []

    payout_batch_mark_paid(batch=batch, reference="SEPA-7", paid_by=tenant.owner.user)

    ((kind, data),) = events(endpoint)
    assert kind == "payout.paid"
    assert data["payout"]["id"] == request.pk
    assert data["payout"]["amount"] == "80.00"
    assert data["payout"]["reseller"] == tenant.partnership.reseller.public_id
    assert (data["payout"]["batch"], data["payout"]["reference"]) == (batch.pk, "SEPA-7")
