"""Factories for the fake provider, through its API (fakepay.api)."""

from decimal import Decimal

import factory

from fakepay import api
from fakepay.models import FakeCheckoutSession


class FakeCheckoutSessionFactory(factory.Factory):
    class Meta:
        model = FakeCheckoutSession

    idempotency_key = factory.Sequence(lambda n: f"paylink-test-{n}")

    @classmethod
    def _create(cls, model_class, idempotency_key: str) -> FakeCheckoutSession:
        session = api.session_create(
            idempotency_key=idempotency_key,
            amount=Decimal("10.00"),
            currency="EUR",
            success_url="https://portal.example/done/",
            cancel_url="https://portal.example/back/",
            webhook_url="https://portal.example/pay/webhook/",
            base_url="https://portal.example/",
        )
        return FakeCheckoutSession.objects.get(pk=session.id)
