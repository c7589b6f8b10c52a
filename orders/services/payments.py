"""Paying an order through its payment link: the public pay page, no account, no tenant
until the link is resolved.

A payment is made exactly once, whatever dies when (the database connection, the worker,
the provider's answer on its way back), in three steps:

1. record: a short transaction locks the order, then the link (the one lock order of every
   payment-link service, see payment_links.payment_link_resend), checks the link and writes
   a pending `PaymentAttempt` whose idempotency key is `paylink-<link>-<attempt number>`;
   a pending attempt of the order is reused, key and all, so a retry is the same attempt;
2. charge: the provider is called outside any transaction with that key (orders.payments:
   the same key never charges twice);
3. confirm: a new short transaction (`payment_attempt_confirm`) locks the order, the link
   and the attempt and records the outcome: the payment, the order placed, the link used.

If step 3 never happens, the customer paying again repeats steps 2 and 3 with the same key,
or `payment_attempts_reconcile` (a Celery beat task and `manage.py payments_reconcile`)
asks the provider what became of the key and confirms or fails the attempt.
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from core.exceptions import DomainRefused
from orders import workflow
from orders.models import (
    AttemptStatus,
    Order,
    OrderStatus,
    Payment,
    PaymentAttempt,
    PaymentLink,
    PaymentStatus,
    ProcessedWebhook,
)
from orders.payments import PaymentProvider, PaymentResult, get_payment_provider
from orders.pricing import amount_due
from orders.selectors.payment_links import LinkState, payment_link_resolve, payment_link_state
from orders.services.orders import order_transition
from orders.services.payment_links import payment_receipt_send

logger = logging.getLogger(__name__)

# A pending attempt younger than this may still be waiting for the provider's answer.
RECONCILE_AFTER = timedelta(minutes=1)


class PaymentLinkUnavailable(DomainRefused):
    """The link exists but cannot be paid: `state` says why (see LinkState); the view shows
    the page of that state."""

    def __init__(self, state: str) -> None:
        super().__init__(
            _("This payment link can no longer be paid (%(state)s).") % {"state": state}
        )
        self.state = state


class PaymentDeclined(DomainRefused):
    """The provider declined the payment; the message is user-facing; nothing was charged."""


def payment_key(*, link: PaymentLink, number: int) -> str:
    return f"paylink-{link.pk}-{number}"


def payment_link_pay(*, token: str, form_data: Mapping[str, object]) -> Payment:
    """Charge the order's total once and place the order; idempotent per link and order.

    The amount is the order's stored total: whatever the form says is ignored. A double
    submit or a retry after a crash reuses the pending attempt and its key, so the provider
    charges once; a link already paid raises PaymentLinkUnavailable(PAID). A declined card
    fails the attempt, raises PaymentDeclined and changes nothing else.
    """
    link = payment_link_resolve(token=token)
    provider = get_payment_provider()
    with scope(manufacturer=link.manufacturer):
        attempt = _attempt_record(link=link, provider=provider)
        result = provider.charge(
            order=attempt.order,
            amount=attempt.amount,
            currency=attempt.currency,
            form_data=dict(form_data),
            idempotency_key=attempt.idempotency_key,
        )
        payment = payment_attempt_confirm(attempt_id=attempt.pk, result=result)
    if payment is None:
        raise PaymentDeclined(result.error or _("The payment did not go through."))
    return payment


@transaction.atomic
def _attempt_record(*, link: PaymentLink, provider: PaymentProvider) -> PaymentAttempt:
    """Step 1: the pending attempt to charge, committed before the provider is called."""
    order = Order.objects.select_for_update().get(pk=link.order_id)
    locked = PaymentLink.objects.select_for_update().get(pk=link.pk)
    state = payment_link_state(locked, order=order)
    if state != LinkState.VALID:
        raise PaymentLinkUnavailable(state)
    if Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).exists():
        raise PaymentLinkUnavailable(LinkState.PAID)  # paid some other way: never charge again
    pending = PaymentAttempt.objects.filter(order=order, status=AttemptStatus.PENDING).first()
    if pending is not None:
        pending.order = order
        return pending
    last = PaymentAttempt.objects.filter(link=locked).aggregate(last=Max("number"))["last"]
    number = (last or 0) + 1
    return PaymentAttempt.objects.create(
        manufacturer_id=order.manufacturer_id,
        order=order,
        link=locked,
        number=number,
        idempotency_key=payment_key(link=locked, number=number),
        provider=provider.name,
        amount=amount_due(order),  # orders.pricing: the customer's price, never the reseller's
        currency=order.currency,
        status=AttemptStatus.PENDING,
        created_at=timezone.now(),
    )


@transaction.atomic
def payment_attempt_confirm(*, attempt_id: int, result: PaymentResult) -> Payment | None:
    """Step 3: record the provider's outcome of an attempt; idempotent.

    Returns the attempt's payment, or None when it failed. An attempt already confirmed
    answers as it was confirmed, except a failed one that the provider says succeeded after
    all (its answer arrived after the reconciliation gave up): money moved, so it is recorded.
    """
    attempt = PaymentAttempt.objects.get(pk=attempt_id)
    order = Order.objects.select_for_update().get(pk=attempt.order_id)
    link = PaymentLink.objects.select_for_update().get(pk=attempt.link_id)
    attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
    if attempt.status == AttemptStatus.SUCCEEDED:
        return Payment.objects.filter(attempt=attempt).first()
    now = timezone.now()
    if not result.succeeded:
        if attempt.status == AttemptStatus.PENDING:
            attempt.status = AttemptStatus.FAILED
            attempt.error = (result.error or "")[:300]
            attempt.finished_at = now
            attempt.save(update_fields=["status", "error", "finished_at"])
        return None
    attempt.status = AttemptStatus.SUCCEEDED
    attempt.provider_reference = result.reference
    attempt.error = ""
    attempt.finished_at = now
    attempt.save(update_fields=["status", "provider_reference", "error", "finished_at"])
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                manufacturer_id=attempt.manufacturer_id,
                order=order,
                attempt=attempt,
                provider=attempt.provider,
                provider_reference=result.reference,
                amount=attempt.amount,
                currency=attempt.currency,
                status=PaymentStatus.SUCCEEDED,
            )
    except IntegrityError:
        # The order was paid some other way while this charge ran: the charge stands in the
        # attempt (and the log) for staff to refund; the customer sees the order paid.
        logger.error(
            "Order %s already paid; attempt %s charged %s as well",
            order.pk,
            attempt.idempotency_key,
            result.reference,
        )
        return Payment.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).first()
    if order.status == OrderStatus.AWAITING_PAYMENT:
        order_transition(
            order=order,
            to_status=OrderStatus.PLACED,
            side=workflow.SYSTEM,
            changed_by=None,
            reason=_("Paid by the customer through the payment link."),
            at=now,
        )
    if link.used_at is None:
        link.used_at = now
        link.save(update_fields=["used_at"])
        payment_receipt_send(payment=payment, link=link)
    return payment


def payment_attempts_reconcile(
    *, now: datetime | None = None, older_than: timedelta = RECONCILE_AFTER
) -> int:
    """Finish every attempt left pending for longer than `older_than`: ask the provider what
    became of its key, then confirm it (charged) or fail it (the provider never saw it).
    Returns how many attempts were finished; running it twice at once is harmless
    (payment_attempt_confirm locks and is idempotent)."""
    cutoff = (now or timezone.now()) - older_than
    provider = get_payment_provider()
    pending = (
        PaymentAttempt.objects.with_scopes_disabled()
        .filter(status=AttemptStatus.PENDING, created_at__lt=cutoff, provider=provider.name)
        .select_related("manufacturer")
        .order_by("pk")
    )
    finished = 0
    for attempt in pending:
        result = provider.find_charge(attempt.idempotency_key) or PaymentResult(
            succeeded=False, error=_("The payment was interrupted before the card was charged.")
        )
        with scope(manufacturer=attempt.manufacturer):
            payment_attempt_confirm(attempt_id=attempt.pk, result=result)
        finished += 1
    return finished


# --- hosted checkout (orders.payments_hosted) ------------------------------------------------


class WebhookRefused(DomainRefused):
    """The webhook's signature is wrong or stale: nothing was read from it."""


def payment_link_checkout(
    *, token: str, success_url: str, cancel_url: str, webhook_url: str, base_url: str
) -> str:
    """Record the attempt (step 1, as for a direct charge) and answer the provider's hosted
    page for its key. Two submits at once share the one pending attempt, so its key, so the
    provider's page: the customer can pay once."""
    link = payment_link_resolve(token=token)
    provider: Any = get_payment_provider()
    with scope(manufacturer=link.manufacturer):
        attempt = _attempt_record(link=link, provider=provider)
    return str(
        provider.checkout_start(
            attempt=attempt, success_url=success_url, cancel_url=cancel_url,
            webhook_url=webhook_url, base_url=base_url,
        )
    )  # fmt: skip


def payment_webhook_receive(*, body: bytes, signature: str) -> bool:
    """Confirm the attempt a signed provider event names (step 3); True when it was new.

    A forged or stale signature raises WebhookRefused. The event id is recorded in the same
    transaction as the confirmation, so a replayed event (or two deliveries at once) changes
    nothing, and a confirmation that fails leaves the event to be delivered again."""
    provider: Any = get_payment_provider()
    event = provider.parse_webhook(body, signature)
    if event is None:
        raise WebhookRefused(_("The webhook's signature is not valid."))
    attempt = (
        PaymentAttempt.objects.with_scopes_disabled()
        .select_related("manufacturer")
        .filter(idempotency_key=event.idempotency_key, provider=provider.name)
        .first()
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedWebhook.objects.create(provider=provider.name, event_id=event.event_id)
        except IntegrityError:
            return False
        if attempt is None:
            logger.warning("Webhook %s names no attempt of ours", event.event_id)
            return True
        with scope(manufacturer=attempt.manufacturer):
            payment_attempt_confirm(attempt_id=attempt.pk, result=event.result)
    return True
