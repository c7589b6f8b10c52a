"""The fake provider's API, shaped like Stripe Checkout: a hosted session per idempotency key
and a signed webhook when it is paid. The portal (orders.payments_hosted) calls these
functions as it would a provider's HTTP API; nothing here knows the portal's models.

Webhook signature: header `Fakepay-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" with the shared secret>`; the receiver checks it in constant time and refuses
a timestamp more than `SIGNATURE_TOLERANCE` seconds old.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac

from fakepay.models import FakeCheckoutSession, SessionStatus

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Fakepay-Signature"
SIGNATURE_TOLERANCE = 300
ACCEPTED_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


def webhook_secret() -> str:
    configured = getattr(settings, "FAKEPAY_WEBHOOK_SECRET", "")
    return configured or salted_hmac("fakepay.webhook", "secret").hexdigest()


def sign(body: bytes, *, timestamp: int | None = None, secret: str | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new((secret or webhook_secret()).encode(), f"{stamp}.".encode() + body,
                   hashlib.sha256).hexdigest()  # fmt: skip
    return f"t={stamp},v1={mac}"


def signature_valid(body: bytes, header: str, *, now: int | None = None) -> bool:
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        stamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs((int(time.time()) if now is None else now) - stamp) > SIGNATURE_TOLERANCE:
        return False
    expected = sign(body, timestamp=stamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)


@dataclass(frozen=True)
class Session:
    id: str
    url: str


def session_create(
    *, idempotency_key: str, amount: Decimal, currency: str, success_url: str,
    cancel_url: str, webhook_url: str, base_url: str,
) -> Session:  # fmt: skip
    """The hosted page for this key: the same key answers the same session (idempotent)."""
    session, _created = FakeCheckoutSession.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "amount": amount,
            "currency": currency,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "webhook_url": webhook_url,
        },
    )
    path = reverse("fakepay_public:checkout", kwargs={"session_id": session.pk})
    return Session(id=str(session.pk), url=base_url.rstrip("/") + path)


def session_find(idempotency_key: str) -> FakeCheckoutSession | None:
    return FakeCheckoutSession.objects.filter(idempotency_key=idempotency_key).first()


def session_expire(idempotency_key: str) -> FakeCheckoutSession | None:
    """Close an unpaid session for good (what the portal's reconciliation asks before it
    gives an attempt up), so it can never be paid after the portal stopped waiting."""
    with transaction.atomic():
        session = (
            FakeCheckoutSession.objects.select_for_update()
            .filter(idempotency_key=idempotency_key)
            .first()
        )
        if session is not None and session.status == SessionStatus.OPEN:
            session.status = SessionStatus.EXPIRED
            session.save(update_fields=["status"])
        return session


def session_pay(*, session_id: str, card_number: str) -> FakeCheckoutSession | None:
    """The customer pays on the hosted page; None when the card is declined. Paying a paid
    session again changes nothing (and charges nothing)."""
    with transaction.atomic():
        session = FakeCheckoutSession.objects.select_for_update().get(pk=session_id)
        if session.status == SessionStatus.PAID:
            return session
        if session.status == SessionStatus.EXPIRED:
            return None
        if card_number != ACCEPTED_CARD:
            session.declines += 1
            session.save(update_fields=["declines"])
            return None
        session.status = SessionStatus.PAID
        session.reference = f"fp_{secrets.token_hex(8)}"
        session.save(update_fields=["status", "reference"])
        transaction.on_commit(lambda: webhook_send(session))
        return session


def webhook_payload(session: FakeCheckoutSession, *, event_id: str | None = None) -> bytes:
    event = {
        "id": event_id or f"evt_{session.pk}_{session.status}",
        "type": "checkout.session.completed",
        "data": {
            "idempotency_key": session.idempotency_key,
            "status": session.status,
            "reference": session.reference,
            "amount": str(session.amount),
            "currency": session.currency,
        },
    }
    return json.dumps(event, sort_keys=True).encode()


def webhook_send(session: FakeCheckoutSession) -> bool:
    """POST the signed event to the portal. A lost webhook is not lost money: the portal's
    reconciliation asks `session_find` about every attempt left pending."""
    body = webhook_payload(session)
    request = urllib.request.Request(  # noqa: S310 - the portal's own configured address
        session.webhook_url,
        data=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5):  # noqa: S310
            return True
    except OSError as error:
        logger.warning("Webhook to %s failed: %s", session.webhook_url, error)
        return False
