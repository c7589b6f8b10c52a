"""Payments exactly once, whatever dies when, and payment links locked in one order.

The database connection is killed (pg_terminate_backend) at each step of a payment; after
the customer pays again and the reconciliation job runs, the provider has charged once and
the order has one payment. Runs on the suite's real PostgreSQL.
"""

import contextlib
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.utils import timezone
from django_scopes import scope

from orders.models import (
    AttemptStatus,
    Order,
    OrderStatus,
    Payment,
    PaymentAttempt,
    PaymentLink,
    TestProviderCharge,
)
from orders.payments import TestPaymentProvider
from orders.pricing import amount_due
from orders.selectors.payment_links import LinkState
from orders.services import payments
from orders.services.carts import CheckoutRefused
from orders.services.payment_links import payment_link_resend
from orders.services.payments import (
    PaymentDeclined,
    PaymentLinkUnavailable,
    payment_attempts_reconcile,
    payment_link_pay,
)
from orders.tasks import payment_attempts_reconcile_task
from tests.concurrency import run_at_once
from tests.orders.checkout_helpers import pay_url
from tests.orders.test_payment_link import DECLINED_CARD, GOOD_CARD, send_link

LATER = timedelta(minutes=2)  # past RECONCILE_AFTER


def kill_connection() -> None:
    """End this thread's database session from the server side, as a crash would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


class DyingProvider(TestPaymentProvider):
    """The test provider, whose answer is lost once: it charges, then the session dies."""

    die = False

    def charge(self, order, amount, currency, form_data, idempotency_key):
        result = super().charge(order, amount, currency, form_data, idempotency_key)
        if DyingProvider.die:
            DyingProvider.die = False
            kill_connection()
        return result


def once(action):
    fired = {"done": False}

    def fire():
        if not fired["done"]:
            fired["done"] = True
            action()

    return fire


def inject(monkeypatch, step: str) -> None:
    record, confirm = payments._attempt_record, payments.payment_attempt_confirm
    DyingProvider.die = step == "during the charge"
    if step == "before recording":
        die = once(kill_connection)
        monkeypatch.setattr(payments, "_attempt_record", lambda **kw: (die(), record(**kw))[1])
    elif step == "after recording":
        die = once(kill_connection)

        def record_then_die(**kw):
            attempt = record(**kw)
            die()
            return attempt

        monkeypatch.setattr(payments, "_attempt_record", record_then_die)
    elif step == "before confirming":
        die = once(kill_connection)
        monkeypatch.setattr(
            payments, "payment_attempt_confirm", lambda **kw: (die(), confirm(**kw))[1]
        )


def assert_paid_once(order) -> None:
    assert TestProviderCharge.objects.filter(succeeded=True).count() == 1
    assert Payment.objects.filter(order=order).count() == 1
    payment = Payment.objects.get(order=order)
    charge = TestProviderCharge.objects.get(succeeded=True)
    assert payment.provider_reference == charge.reference
    assert payment.amount == charge.amount == amount_due(order)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert not PaymentAttempt.objects.filter(status=AttemptStatus.PENDING).exists()


STEPS = ["before recording", "after recording", "during the charge", "before confirming"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("recovery", ["the customer pays again", "the job reconciles first"])
def test_a_connection_killed_at_any_step_still_charges_once(
    manufacturer, settings, monkeypatch, step, recovery
):
    settings.PAYMENT_PROVIDER = "tests.orders.test_payment_faults.DyingProvider"
    _, order, token = send_link(manufacturer)
    inject(monkeypatch, step)

    with pytest.raises(DatabaseError):
        payment_link_pay(token=token, form_data=GOOD_CARD)
    connection.close()  # what Django does with an unusable connection at the request's end

    if recovery == "the job reconciles first":
        payment_attempts_reconcile(now=timezone.now() + LATER)
    if Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT:
        payment_link_pay(token=token, form_data=GOOD_CARD)
    else:
        with pytest.raises(PaymentLinkUnavailable) as paid:
            payment_link_pay(token=token, form_data=GOOD_CARD)
        assert paid.value.state == LinkState.PAID
    payment_attempts_reconcile(now=timezone.now() + LATER)

    assert_paid_once(order)


@pytest.mark.django_db(transaction=True)
def test_a_lost_answer_is_finished_by_the_job_alone(manufacturer, settings):
    settings.PAYMENT_PROVIDER = "tests.orders.test_payment_faults.DyingProvider"
    _, order, token = send_link(manufacturer)
    DyingProvider.die = True
    with pytest.raises(DatabaseError):
        payment_link_pay(token=token, form_data=GOOD_CARD)
    connection.close()

    # Younger than a minute: maybe still waiting for its answer, so left alone.
    assert payment_attempts_reconcile() == 0
    assert not Payment.objects.filter(order=order).exists()
    assert payment_attempts_reconcile(now=timezone.now() + LATER) == 1

    assert_paid_once(order)
    assert PaymentLink.objects.get(order=order).used_at is not None


def test_an_attempt_the_provider_never_saw_fails_and_the_next_one_charges(
    order_with_pending_attempt,
):
    order, token, attempt = order_with_pending_attempt

    assert payment_attempts_reconcile(now=timezone.now() + LATER) == 1

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED
    assert not TestProviderCharge.objects.exists()
    payment = payment_link_pay(token=token, form_data=GOOD_CARD)
    assert payment.attempt.idempotency_key == f"paylink-{attempt.link_id}-2"
    assert_paid_once(order)


def test_a_retry_reuses_the_pending_attempt_and_its_key(order_with_pending_attempt):
    order, token, attempt = order_with_pending_attempt

    payment = payment_link_pay(token=token, form_data=GOOD_CARD)

    assert payment.attempt == attempt
    assert TestProviderCharge.objects.get().idempotency_key == attempt.idempotency_key
    assert_paid_once(order)


def test_the_test_provider_never_charges_a_key_twice(db):
    provider = TestPaymentProvider()
    amount = Decimal("10.00")
    first = provider.charge(None, amount, "EUR", GOOD_CARD, idempotency_key="k")
    again = provider.charge(None, amount, "EUR", DECLINED_CARD, idempotency_key="k")
    other = provider.charge(None, amount, "EUR", GOOD_CARD, idempotency_key="k2")

    assert first == again and first.succeeded
    assert other.reference != first.reference
    assert TestProviderCharge.objects.count() == 2
    assert provider.find_charge("k") == first
    assert provider.find_charge("never-seen") is None


def test_a_declined_attempt_is_failed_and_the_next_try_gets_a_new_key(db, manufacturer):
    _, _order, token = send_link(manufacturer)
    with pytest.raises(PaymentDeclined):
        payment_link_pay(token=token, form_data=DECLINED_CARD)
    payment = payment_link_pay(token=token, form_data=GOOD_CARD)

    keys = list(PaymentAttempt.objects.order_by("number").values_list("status", "number"))
    assert keys == [(AttemptStatus.FAILED, 1), (AttemptStatus.SUCCEEDED, 2)]
    assert payment.attempt.number == 2
    assert TestProviderCharge.objects.filter(succeeded=True).count() == 1


def test_the_command_and_the_beat_task_reconcile(order_with_pending_attempt, settings):
    _order, _token, attempt = order_with_pending_attempt
    assert "payments-reconcile" in settings.CELERY_BEAT_SCHEDULE
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=timezone.now() - LATER)

    assert payment_attempts_reconcile_task() == 1
    out = StringIO()
    call_command("payments_reconcile", stdout=out)

    assert "0 pending" in out.getvalue()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED


@pytest.fixture
def order_with_pending_attempt(db, manufacturer):
    """An order whose first attempt was recorded and then nothing: the process died."""
    _, order, token = send_link(manufacturer)
    link = PaymentLink.objects.get(order=order)
    with scope(manufacturer=manufacturer):
        attempt = payments._attempt_record(link=link, provider=TestPaymentProvider())
    return order, token, attempt


# --- paying while the reseller sends a new link (real PostgreSQL) --------------------------

# Enough rounds that the old opposite lock order deadlocked here every run.
ROUNDS = 30


@pytest.mark.django_db(transaction=True)
def test_paying_while_a_new_link_is_sent_never_deadlocks(manufacturer):
    for _ in range(ROUNDS):
        _, order, token = send_link(manufacturer)

        def pay(token=token):
            try:
                payment_link_pay(token=token, form_data=GOOD_CARD)
            except PaymentLinkUnavailable as refused:  # the resend expired the link first
                assert refused.state == LinkState.EXPIRED

        def resend(order=order):
            # CheckoutRefused: the payment placed the order first.
            with scope(manufacturer=manufacturer), contextlib.suppress(CheckoutRefused):
                payment_link_resend(order=order, recipient="ap@doe.example", pay_url=pay_url)

        _results, errors = run_at_once([pay, resend])
        assert errors == []
        assert Payment.objects.filter(order=order).count() <= 1
