"""The public pay page /pay/<token>/ and the payment service behind it."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders import workflow
from orders.models import Order, OrderStatus, OrderStatusChange, Payment, PaymentLink
from orders.payments import (
    PaymentProvider,
    PaymentResult,
    TestPaymentProvider,
    get_payment_provider,
)
from orders.selectors.payment_links import (
    LinkState,
    PaymentLinkInvalid,
    hash_token,
    payment_link_resolve,
    payment_link_state,
)
from orders.services.orders import order_transition
from orders.services.payment_links import checkout_with_payment_link
from orders.services.payments import PaymentDeclined, PaymentLinkUnavailable, payment_link_pay
from tests.orders.checkout_helpers import PAY_URL_RE, filled_cart, make_channel, pay_url

GOOD_CARD = {"card_number": "4242 4242 4242 4242", "cardholder": "Jane Doe"}
DECLINED_CARD = {"card_number": "4000 0000 0000 0002", "cardholder": "Jane Doe"}


def send_link(manufacturer):
    """A channel, and an order awaiting payment with its link; returns (channel, order, token)."""
    channel = make_channel(manufacturer)
    result = checkout_with_payment_link(
        cart=filled_cart(channel),
        recipient="jane@example.com",
        created_by=channel.user,
        pay_url=pay_url,
    )
    token = PAY_URL_RE.search(result.url).group(1)
    return channel, result.order, token


@pytest.fixture
def sent(db, manufacturer):
    return send_link(manufacturer)


@pytest.fixture
def order(sent):
    return sent[1]


@pytest.fixture
def token(sent):
    return sent[2]


def pay_page(token):
    return reverse("orders_public:pay", kwargs={"token": token})


def tamper(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def assert_unpaid(order):
    order.refresh_from_db()
    link = PaymentLink.objects.get(order=order)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert link.used_at is None
    assert not Payment.objects.filter(order=order).exists()


# --- the provider seam ----------------------------------------------------------------------


def test_the_direct_seams_provider_is_the_test_one(settings):
    provider = get_payment_provider()  # pinned by tests/orders/conftest.py
    assert isinstance(provider, TestPaymentProvider)
    assert isinstance(provider, PaymentProvider)
    assert provider.is_test


def test_test_provider_accepts_and_declines_its_test_cards(db):
    provider = TestPaymentProvider()

    def charge(key, card):
        return provider.charge(
            order=None, amount=Decimal("1"), currency="EUR", form_data=card, idempotency_key=key
        )

    ok = charge("k-1", GOOD_CARD)
    declined = charge("k-2", DECLINED_CARD)
    other = charge("k-3", {"card_number": "5555"})
    assert ok.succeeded and ok.reference.startswith("test_")
    assert not declined.succeeded and declined.error
    assert not other.succeeded


class RecordingProvider(TestPaymentProvider):
    name = "recording"
    is_test = False
    calls: list = []

    def charge(self, order, amount, currency, form_data, idempotency_key):
        RecordingProvider.calls.append((order.pk, amount, currency, idempotency_key))
        return PaymentResult(succeeded=True, reference="rec-1")


def test_a_configured_provider_is_used(settings, order, token):
    settings.PAYMENT_PROVIDER = "tests.orders.test_payment_link.RecordingProvider"
    RecordingProvider.calls = []

    payment = payment_link_pay(token=token, form_data=GOOD_CARD)

    link = PaymentLink.objects.get(order=order)
    assert RecordingProvider.calls == [
        (order.pk, order.retail_total, order.currency, f"paylink-{link.pk}-1")
    ]
    assert (payment.provider, payment.provider_reference) == ("recording", "rec-1")
    page = Client().get(reverse("orders_public:receipt", kwargs={"token": token})).content.decode()
    assert "TEST MODE" not in page


# --- tokens ---------------------------------------------------------------------------------


def test_only_the_hash_of_the_token_is_stored(order, token):
    link = PaymentLink.objects.get(order=order)
    stored = {field.attname: getattr(link, field.attname) for field in link._meta.fields}
    assert token not in [str(value) for value in stored.values()]
    assert link.token_hash == hash_token(token)


@pytest.mark.parametrize("make_bad", [tamper, lambda t: t[:20], lambda t: "", lambda t: "x" * 500])
def test_a_tampered_token_resolves_to_nothing(order, token, make_bad):
    with pytest.raises(PaymentLinkInvalid):
        payment_link_resolve(token=make_bad(token))


def test_a_tampered_token_is_a_not_valid_page(order, token):
    for method in ("get", "post"):
        response = getattr(Client(), method)(pay_page(tamper(token)), GOOD_CARD)
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    assert_unpaid(order)


# --- the page -------------------------------------------------------------------------------


def test_pay_page_shows_the_order_and_a_test_form(sent):
    channel, order, token = sent

    response = Client().get(pay_page(token))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (channel.manufacturer.name, channel.reseller.name, order.number, "Aria", "Bolero"):
        assert text in body
    assert "€332.70" in body  # the customer's retail prices, formatted the reader's way
    assert "233.97" not in body  # never the reseller's price
    assert "TEST MODE" in body and "4242 4242 4242 4242" in body
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_paying_places_the_order_once(order, token):
    client = Client()
    response = client.post(pay_page(token), GOOD_CARD)

    assert response.status_code == 302
    assert response["Location"] == reverse("orders_public:receipt", kwargs={"token": token})
    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    link = PaymentLink.objects.get(order=order)
    assert order.status == OrderStatus.PLACED
    assert (payment.status, payment.amount, payment.currency) == (
        "succeeded",
        order.retail_total,
        "EUR",
    )
    assert link.used_at is not None
    change = OrderStatusChange.objects.filter(order=order).order_by("pk").last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        OrderStatus.AWAITING_PAYMENT,
        OrderStatus.PLACED,
        None,
    )
    receipt = client.get(response["Location"])
    assert "payment was received" in receipt.content.decode()
    assert payment.provider_reference in receipt.content.decode()


def test_a_double_submit_gets_the_already_paid_page(order, token):
    first = Client().post(pay_page(token), GOOD_CARD)
    second = Client().post(pay_page(token), GOOD_CARD)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "already been paid" in second.content.decode()
    assert Payment.objects.filter(order=order).count() == 1


def test_the_service_pays_once(order, token):
    payment_link_pay(token=token, form_data=GOOD_CARD)
    with pytest.raises(PaymentLinkUnavailable) as error:
        payment_link_pay(token=token, form_data=GOOD_CARD)
    assert error.value.state == LinkState.PAID
    assert Payment.objects.filter(order=order).count() == 1


def test_a_used_link_explains_itself(order, token):
    payment_link_pay(token=token, form_data=GOOD_CARD)
    response = Client().get(pay_page(token))
    assert response.status_code == 200
    assert "already been paid" in response.content.decode()
    assert 'name="card_number"' not in response.content.decode()


def test_the_unique_constraint_is_the_last_line_of_defence(order, token):
    """A succeeded payment that got in some other way: the link refuses, nothing changes."""
    Payment.objects.create(
        manufacturer=order.manufacturer,
        order=order,
        provider="test",
        provider_reference="elsewhere",
        amount=order.total,
        currency="EUR",
        status="succeeded",
    )
    response = Client().post(pay_page(token), GOOD_CARD)

    assert "already been paid" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert PaymentLink.objects.get(order=order).used_at is None
    assert Payment.objects.filter(order=order).count() == 1


def test_a_declined_card_is_a_form_error_and_changes_nothing(order, token):
    response = Client().post(pay_page(token), DECLINED_CARD)
    assert response.status_code == 200
    assert "declined" in response.content.decode()
    assert_unpaid(order)
    with pytest.raises(PaymentDeclined):
        payment_link_pay(token=token, form_data=DECLINED_CARD)
    assert_unpaid(order)


@pytest.mark.parametrize("card", ["", "not a number", "5555 5555 5555 4444"])
def test_other_card_input_is_a_form_error(order, token, card):
    response = Client().post(pay_page(token), {"card_number": card, "cardholder": "J"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert_unpaid(order)


def test_a_changed_amount_in_the_form_is_ignored(order, token):
    Client().post(
        pay_page(token), {**GOOD_CARD, "amount": "0.01", "total": "0.01", "currency": "XXX"}
    )
    payment = Payment.objects.get(order=order)
    assert payment.amount == Decimal("332.70") == order.retail_total
    assert payment.currency == "EUR"


def test_an_expired_link_explains_itself_and_cannot_pay(order, token):
    PaymentLink.objects.filter(order=order).update(expires_at=timezone.now() - timedelta(minutes=1))

    page = Client().get(pay_page(token))
    post = Client().post(pay_page(token), GOOD_CARD)

    assert page.status_code == post.status_code == 410
    assert "expired" in page.content.decode()
    assert "ask" in page.content.decode().lower()
    assert_unpaid(order)
    with pytest.raises(PaymentLinkUnavailable) as error:
        payment_link_pay(token=token, form_data=GOOD_CARD)
    assert error.value.state == LinkState.EXPIRED


def test_a_link_is_valid_until_it_expires(order, token):
    link = PaymentLink.objects.get(order=order)
    assert payment_link_state(link, now=link.expires_at - timedelta(seconds=1)) == (LinkState.VALID)
    assert payment_link_state(link, now=link.expires_at) == LinkState.EXPIRED


def test_a_cancelled_order_cannot_be_paid(sent):
    channel, order, token = sent
    order_transition(
        order=order,
        to_status=OrderStatus.CANCELLED,
        side=workflow.RESELLER,
        changed_by=channel.user,
        reason="Customer changed their mind",
    )
    response = Client().post(pay_page(token), GOOD_CARD)
    assert response.status_code == 410
    assert "cancelled" in response.content.decode()
    assert not Payment.objects.exists()


def test_an_order_marked_paid_by_the_manufacturer_is_not_charged_again(order, token, owner):
    order_transition(
        order=order, to_status=OrderStatus.PLACED, side=workflow.MANUFACTURER, changed_by=owner
    )
    response = Client().post(pay_page(token), GOOD_CARD)
    assert "already been paid" in response.content.decode()
    assert not Payment.objects.exists()


def test_pay_page_query_budget(order, token, django_assert_max_num_queries):
    # link (one join), order lines, session-less anonymous request
    with django_assert_max_num_queries(4):
        response = Client().get(pay_page(token))
    assert response.status_code == 200


# --- two customers pressing "Pay" at the same moment (real PostgreSQL) ----------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_payments_charge_once(manufacturer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    _, order, token = send_link(manufacturer)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay():
        try:
            barrier.wait(timeout=10)
            payment_link_pay(token=token, form_data=GOOD_CARD)
            outcomes.append("paid")
        except PaymentLinkUnavailable as error:
            outcomes.append(error.state)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["paid", LinkState.PAID]
    assert Payment.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


# --- resending a link (the reseller's order page) -------------------------------------------


def resend_url(channel, order):
    return reverse(
        "orders_reseller:resend_link",
        kwargs={
            "reseller_public_id": channel.reseller.public_id,
            "manufacturer_slug": channel.manufacturer.slug,
            "pk": order.pk,
        },
    )


def detail_url(channel, order):
    return resend_url(channel, order).replace("payment-link/", "")


def test_resending_sends_a_new_link_and_retires_the_old_one(
    sent, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    channel, order, old_token = sent
    client = client_for(channel.user)
    assert "jane@example.com" in client.get(detail_url(channel, order)).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(channel, order), {"recipient": "ap@doe.example"})

    assert response.status_code == 302
    assert PaymentLink.objects.filter(order=order).count() == 2
    new_token = PAY_URL_RE.search(mailoutbox[-1].body).group(1)
    assert mailoutbox[-1].to == ["ap@doe.example"]
    assert Client().get(pay_page(old_token)).status_code == 410
    assert Client().post(pay_page(new_token), GOOD_CARD).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_resending_for_a_paid_order_is_refused(sent, client_for):
    channel, order, token = sent
    payment_link_pay(token=token, form_data=GOOD_CARD)

    response = client_for(channel.user).post(
        resend_url(channel, order), {"recipient": "ap@doe.example"}, follow=True
    )

    assert "no longer awaiting payment" in response.text
    assert PaymentLink.objects.filter(order=order).count() == 1


def test_resending_needs_a_valid_address(sent, client_for):
    channel, order, _token = sent

    response = client_for(channel.user).post(
        resend_url(channel, order), {"recipient": "not-an-email"}, follow=True
    )

    assert "valid email" in response.text
    assert PaymentLink.objects.filter(order=order).count() == 1
    assert payment_link_state(PaymentLink.objects.get(order=order)) == LinkState.VALID


def test_only_the_orders_reseller_can_resend(sent, client, client_for, owner, other_manufacturer):
    channel, order, _token = sent
    stranger = make_channel(other_manufacturer)
    foreign = reverse(
        "orders_reseller:resend_link",
        kwargs={
            "reseller_public_id": stranger.reseller.public_id,
            "manufacturer_slug": channel.manufacturer.slug,
            "pk": order.pk,
        },
    )
    data = {"recipient": "evil@example.com"}

    assert client_for(stranger.user).post(resend_url(channel, order), data).status_code == 404
    assert client_for(stranger.user).post(foreign, data).status_code == 404
    assert client_for(owner).post(resend_url(channel, order), data).status_code == 404
    assert "/login/" in client.post(resend_url(channel, order), data)["Location"]
    assert client_for(channel.user).get(resend_url(channel, order)).status_code == 405
    assert PaymentLink.objects.filter(order=order).count() == 1


def test_both_order_pages_show_the_customers_card_payment(sent, client_for, owner):
    channel, order, token = sent
    reseller_page = detail_url(channel, order)
    staff_page = reverse(
        "orders_manufacturer:detail",
        kwargs={"manufacturer_slug": channel.manufacturer.slug, "pk": order.pk},
    )
    assert "Customer paid" not in client_for(channel.user).get(reseller_page).text

    payment = payment_link_pay(token=token, form_data=GOOD_CARD)

    for page in (client_for(channel.user).get(reseller_page), client_for(owner).get(staff_page)):
        assert "by card through the payment link" in page.text
        assert payment.provider_reference in page.text
