"""The fake provider's own records: what a real provider keeps on its side."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.bounds import AMOUNT_DIGITS, MONEY_PLACES, amount_validators
from core.constraints import currency_code, one_of


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")


class FakeCheckoutSession(models.Model):
    """A hosted checkout: the customer pays on the provider's page, never on the portal's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    idempotency_key = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=MONEY_PLACES, validators=amount_validators()
    )
    currency = models.CharField(max_length=3)
    success_url = models.URLField(max_length=500)
    cancel_url = models.URLField(max_length=500)
    webhook_url = models.URLField(max_length=500)
    status = models.CharField(max_length=10, choices=SessionStatus, default=SessionStatus.OPEN)
    reference = models.CharField(max_length=60, blank=True)
    declines = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            one_of("status", SessionStatus, name="fakepay_session_status_valid"),
            currency_code("currency", name="fakepay_session_currency_valid"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fakepay_amount_ok"),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.status})"
