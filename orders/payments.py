"""The one seam to a payment provider.

A provider is any class with the `PaymentProvider` shape; `settings.PAYMENT_PROVIDER` names
it by dotted path and `get_payment_provider()` loads it. The built-in `TestPaymentProvider`
moves no money: it accepts the well-known test card numbers so the payment-link flow can be
used end to end, and the pay page says clearly that it is a test.

A real provider plugs in by implementing `charge` (and `form_class`, the fields its pay page
collects) and `find_charge`. `charge` is called outside any database transaction with an
idempotency key (orders.models.PaymentAttempt): the provider must charge a key at most once
and answer a repeated key with the first outcome (every real provider's API takes such a
key). `find_charge(key)` tells the reconciliation job what became of a key whose answer was
lost: the outcome, or None when the provider never saw it.
"""

import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, runtime_checkable

from django import forms
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from orders.models import TestProviderCharge


@dataclass(frozen=True)
class PaymentResult:
    succeeded: bool
    reference: str = ""
    # User-facing reason when the payment did not go through.
    error: str = ""


@runtime_checkable
class PaymentProvider(Protocol):
    name: str  # stored on Payment.provider
    label: str  # shown on the pay page
    is_test: bool  # the pay page shows a test-mode banner when True
    form_class: type[forms.Form]

    def charge(
        self, order, amount: Decimal, currency: str, form_data: dict, idempotency_key: str
    ) -> PaymentResult:  # pragma: no cover - protocol
        ...

    def find_charge(self, idempotency_key: str) -> PaymentResult | None:  # pragma: no cover
        ...


class TestCardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "cc-number",
                "inputmode": "numeric",
                "placeholder": "4242 4242 4242 4242",
            }
        ),
    )
    cardholder = forms.CharField(
        label=_("Name on card"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )

    def clean_card_number(self) -> str:
        digits = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if not digits.isdigit() or not 12 <= len(digits) <= 19:
            raise forms.ValidationError(_("Enter the card number as digits."))
        return digits


class TestPaymentProvider:
    """Accepts 4242 4242 4242 4242, declines 4000 0000 0000 0002; moves no money."""

    __test__ = False  # not a pytest test class

    name = "test"
    label = _("Test payments (no real money is charged)")
    is_test = True
    form_class = TestCardForm

    ACCEPTED_CARD = "4242424242424242"
    DECLINED_CARD = "4000000000000002"

    def charge(
        self, order, amount: Decimal, currency: str, form_data: dict, idempotency_key: str
    ) -> PaymentResult:
        card = re.sub(r"[\s-]", "", str(form_data.get("card_number", "")))
        if card == self.ACCEPTED_CARD:
            outcome = PaymentResult(succeeded=True, reference=f"test_{secrets.token_hex(8)}")
        elif card == self.DECLINED_CARD:
            outcome = PaymentResult(succeeded=False, error=gettext("The card was declined."))
        else:
            outcome = PaymentResult(
                succeeded=False,
                error=gettext(
                    "This is a test payment page: use the test card 4242 4242 4242 4242."
                ),
            )
        # A key already seen answers its first outcome: the same key never charges twice.
        charge, _created = TestProviderCharge.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "succeeded": outcome.succeeded,
                "reference": outcome.reference,
                "error": outcome.error,
                "amount": amount,
                "currency": currency,
            },
        )
        return _result_of(charge)

    def find_charge(self, idempotency_key: str) -> PaymentResult | None:
        charge = TestProviderCharge.objects.filter(idempotency_key=idempotency_key).first()
        return None if charge is None else _result_of(charge)


def _result_of(charge: TestProviderCharge) -> PaymentResult:
    return PaymentResult(succeeded=charge.succeeded, reference=charge.reference, error=charge.error)


def get_payment_provider() -> PaymentProvider:
    """The configured provider (settings.PAYMENT_PROVIDER), by default the fake hosted one."""
    path = getattr(settings, "PAYMENT_PROVIDER", "") or "orders.payments_hosted.FakepayProvider"
    return import_string(path)()
