"""The hosted-checkout seam (the Stripe Checkout shape): the portal never sees a card.

A hosted provider has `hosted = True` and:
- `checkout_start(...)`: a hosted payment page for an attempt's idempotency key (the same
  key answers the same page, so a double submit pays once), returned as its URL;
- `parse_webhook(body, signature)`: the provider's signed event, or None when the signature
  is wrong or stale; the event names the key and the outcome;
- `find_charge(key)`: for the reconciliation job, the outcome, or None after closing an
  unpaid page for good (so it cannot be paid once the portal gave up on it).

`FakepayProvider` talks to the fake provider app (fakepay/), which the tests and the demo
run: set PAYMENT_PROVIDER=orders.payments_hosted.FakepayProvider.
"""

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fakepay import api
from fakepay.models import SessionStatus
from orders.payments import PaymentResult


class NoCardFieldsForm(forms.Form):
    """The pay page of a hosted provider asks for nothing: the provider's page does."""


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    idempotency_key: str
    result: PaymentResult


class FakepayProvider:
    name = "fakepay"
    label = _("Fakepay test checkout (no real money is charged)")
    is_test = True
    hosted = True
    form_class = NoCardFieldsForm
    signature_header = api.SIGNATURE_HEADER

    def checkout_start(self, *, attempt: Any, success_url: str, cancel_url: str,
                       webhook_url: str, base_url: str) -> str:  # fmt: skip
        session = api.session_create(
            idempotency_key=attempt.idempotency_key,
            amount=attempt.amount,
            currency=attempt.currency,
            success_url=success_url,
            cancel_url=cancel_url,
            webhook_url=webhook_url,
            base_url=base_url,
        )
        return session.url

    def parse_webhook(self, body: bytes, signature: str) -> WebhookEvent | None:
        if not api.signature_valid(body, signature):
            return None
        try:
            event = json.loads(body)
            data = event["data"]
            paid = data["status"] == SessionStatus.PAID
            return WebhookEvent(
                event_id=str(event["id"])[:100],
                idempotency_key=str(data["idempotency_key"]),
                result=PaymentResult(
                    succeeded=paid,
                    reference=str(data.get("reference", ""))[:120],
                    error="" if paid else gettext("The payment did not go through."),
                ),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def charge(self, *args: Any, **kwargs: Any) -> PaymentResult:
        raise NotImplementedError("a hosted provider is paid on its own page")

    def find_charge(self, idempotency_key: str) -> PaymentResult | None:
        session = api.session_find(idempotency_key)
        if session is not None and session.status == SessionStatus.OPEN:
            session = api.session_expire(idempotency_key)
        if session is None or session.status != SessionStatus.PAID:
            return None
        return PaymentResult(succeeded=True, reference=session.reference)
