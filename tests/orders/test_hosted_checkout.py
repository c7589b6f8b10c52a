"""The hosted checkout (the Stripe Checkout shape) against the fake provider: the pay page
redirects to the provider's page, a signed webhook confirms the payment once; a replayed and
a forged webhook change nothing; concurrent submits share one provider page; the portal
never stores a card number."""

import json
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from fakepay import api
from fakepay.models import FakeCheckoutSession, SessionStatus
from notifications.models import OutboxEmail
from orders.models import AttemptStatus, Order, OrderStatus, Payment, PaymentAttempt
from orders.services.payments import payment_attempts_reconcile
from tests.concurrency import run_at_once
from tests.orders.test_payment_link import send_link

CARD = "4242 4242 4242 4242"


@pytest.fixture(autouse=True)
def _hosted(settings):
    settings.PAYMENT_PROVIDER = "orders.payments_hosted.FakepayProvider"


def pay_path(token: str) -> str:
    return reverse("orders_public:pay", kwargs={"token": token})


def start(client: Client, token: str) -> str:
    response = client.post(pay_path(token))
    assert response.status_code == 302
    assert "/fakepay/checkout/" in response["Location"]
    return response["Location"].split("testserver", 1)[-1]


def deliver(client: Client, session: FakeCheckoutSession, *, signature: str | None = None,
            body: bytes | None = None):  # fmt: skip
    body = body if body is not None else api.webhook_payload(session)
    return client.post(
        "/pay/webhook/",
        body,
        content_type="application/json",
        headers={api.SIGNATURE_HEADER: signature if signature is not None else api.sign(body)},
    )


def paid_session(client: Client, token: str) -> FakeCheckoutSession:
    hosted = start(client, token)
    assert client.post(hosted, {"card_number": CARD}).status_code == 302
    return FakeCheckoutSession.objects.get()


def test_the_default_provider_is_the_hosted_fake_one():
    import importlib

    from orders.payments_hosted import FakepayProvider

    configured = importlib.import_module("config.settings").PAYMENT_PROVIDER
    assert configured == "orders.payments_hosted.FakepayProvider"
    assert FakepayProvider.hosted


def test_the_pay_page_asks_for_no_card_and_sends_the_customer_to_the_provider(manufacturer):
    _channel, _order, token = send_link(manufacturer)
    client = Client()

    page = client.get(pay_path(token))
    assert page.status_code == 200
    assert 'name="card_number"' not in page.text
    assert "never sees it" in page.text

    hosted = start(client, token)
    provider_page = client.get(hosted)
    assert provider_page.status_code == 200
    assert 'name="card_number"' in provider_page.text


def test_a_signed_webhook_places_the_order_once_and_a_replay_changes_nothing(manufacturer):
    _channel, order, token = send_link(manufacturer)
    client = Client()
    session = paid_session(client, token)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT  # the redirect proves nothing

    assert deliver(client, session).status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    payment = Payment.objects.get(order=order)
    assert payment.provider_reference == session.reference
    assert payment.provider == "fakepay"

    assert deliver(client, session).status_code == 200  # the same event again
    assert Payment.objects.filter(order=order).count() == 1
    assert OutboxEmail.objects.filter(kind="payment_receipt").count() == 1
    again = client.post(pay_path(token))  # the link is used: no new checkout
    assert "/fakepay/" not in again.get("Location", "")


def test_forged_webhooks_are_refused_and_change_nothing(manufacturer):
    _channel, order, token = send_link(manufacturer)
    client = Client()
    session = paid_session(client, token)
    body = api.webhook_payload(session)
    forged_body = json.loads(body)
    forged_body["data"]["idempotency_key"] = "paylink-999999-1"

    attempts = [
        deliver(client, session, signature=api.sign(body, secret="not-the-secret")),
        deliver(client, session, body=json.dumps(forged_body).encode(), signature=api.sign(body)),
        deliver(client, session, signature=api.sign(body, timestamp=int(time.time()) - 3600)),
        deliver(client, session, signature="t=1,v1=abc"),
        deliver(client, session, signature=""),
    ]

    assert [response.status_code for response in attempts] == [400] * 5
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert not Payment.objects.exists()


def test_a_declined_card_on_the_provider_page_pays_nothing(manufacturer):
    _channel, _order, token = send_link(manufacturer)
    client = Client()
    hosted = start(client, token)

    declined = client.post(hosted, {"card_number": "4000 0000 0000 0002"})

    assert declined.status_code == 400
    assert "declined" in declined.text
    assert FakeCheckoutSession.objects.get().status == SessionStatus.OPEN
    assert not Payment.objects.exists()


def test_an_abandoned_checkout_is_given_up_and_its_page_can_no_longer_pay(manufacturer):
    _channel, _order, token = send_link(manufacturer)
    client = Client()
    hosted = start(client, token)

    assert payment_attempts_reconcile(older_than=timedelta(0)) == 1

    assert PaymentAttempt.objects.get().status == AttemptStatus.FAILED
    assert FakeCheckoutSession.objects.get().status == SessionStatus.EXPIRED
    assert client.post(hosted, {"card_number": CARD}).status_code == 400
    assert not Payment.objects.exists()
    second = start(client, token)  # a new attempt, a new page
    assert second != hosted


def test_no_card_number_is_stored_by_the_portal(manufacturer):
    _channel, _order, token = send_link(manufacturer)
    client = Client()
    deliver(client, paid_session(client, token))

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                assert "4242424242424242" not in " ".join(map(str, row)), table


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_share_one_provider_page_and_charge_once(manufacturer):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests need PostgreSQL")
    _channel, order, token = send_link(manufacturer)
    clients = [Client(), Client()]

    results, errors = run_at_once([lambda c=c: c.post(pay_path(token)) for c in clients])

    assert errors == []
    assert len({response["Location"] for response in results}) == 1
    assert PaymentAttempt.objects.count() == 1
    assert FakeCheckoutSession.objects.count() == 1
    session = FakeCheckoutSession.objects.get()
    hosted = results[0]["Location"].split("testserver", 1)[-1]
    results, errors = run_at_once(
        [lambda c=c: c.post(hosted, {"card_number": CARD}) for c in clients]
    )
    assert errors == []
    session.refresh_from_db()
    results, errors = run_at_once([lambda c=c: deliver(c, session) for c in clients])
    assert errors == []
    assert Payment.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_back_from_the_provider_before_its_webhook_the_page_says_it_waits(manufacturer):
    _channel, _order, token = send_link(manufacturer)
    client = Client()
    session = paid_session(client, token)  # the webhook has not arrived yet

    back = client.get(session.success_url.split("testserver", 1)[-1], follow=True)

    assert back.status_code == 200
    assert "waiting for the payment provider" in back.text
    deliver(client, session)
    receipt = client.get(session.success_url.split("testserver", 1)[-1])
    assert receipt.status_code == 200
    assert "Thank you, your payment was received" in receipt.text
