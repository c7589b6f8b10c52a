"""Commission test data: ledger rows through the services where one writes them alone."""

import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from commissions.models import (
    CommissionEntry,
    CommissionFree,
    CommissionJobRun,
    CommissionRate,
    CommissionSettings,
    EntryKind,
    PartnershipPayoutTerms,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutDetails,
    PayoutItem,
    PayoutRequest,
    PayoutRequestStatus,
    RateRule,
    RateScope,
    WindowExtension,
)
from tests.accounts.factories import ManufacturerFactory
from tests.catalog.factories import ProductFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoped_factories import ScopedModelFactory


class CommissionSettingsFactory(ScopedModelFactory):
    class Meta:
        model = CommissionSettings

    manufacturer = factory.SubFactory(ManufacturerFactory)
    minimum_payout = Decimal("50.00")


class CommissionRateFactory(ScopedModelFactory):
    class Meta:
        model = CommissionRate

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    scope = RateScope.PARTNERSHIP
    rate = Decimal("12.50")
    effective_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class CommissionFreeFactory(ScopedModelFactory):
    class Meta:
        model = CommissionFree

    product = factory.SubFactory(ProductFactory)
    manufacturer = factory.SelfAttribute("product.manufacturer")


class PartnershipPayoutTermsFactory(ScopedModelFactory):
    class Meta:
        model = PartnershipPayoutTerms

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    holding_weeks = 1
    reason = "Ten years of clean orders."


class PayoutDetailsFactory(ScopedModelFactory):
    class Meta:
        model = PayoutDetails

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    account_holder = "Soundhouse GmbH"
    iban = "DE89370400440532013000"
    bic = "COBADEFFXXX"


class PayoutBatchFactory(ScopedModelFactory):
    class Meta:
        model = PayoutBatch

    manufacturer = factory.SubFactory(ManufacturerFactory)
    status = PayoutBatchStatus.APPROVED
    currency = "EUR"
    approved_at = factory.LazyFunction(timezone.now)


class PayoutRequestFactory(ScopedModelFactory):
    """An approved request in a batch of the same tenant (so every relation is filled)."""

    class Meta:
        model = PayoutRequest

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    batch = factory.SubFactory(
        PayoutBatchFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    status = PayoutRequestStatus.APPROVED
    amount = Decimal("120.00")
    currency = "EUR"
    created_at = factory.LazyFunction(timezone.now)


class CommissionEntryFactory(ScopedModelFactory):
    """An accrual of 10% on 1,200.00."""

    class Meta:
        model = CommissionEntry

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    kind = EntryKind.ACCRUAL
    credit = Decimal("120.00")
    currency = "EUR"
    base = Decimal("1200.00")
    rate = Decimal("10.00")
    rule = RateRule.DEFAULT
    eligible_from = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=4))
    pay_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=10))
    business_key = factory.LazyFunction(lambda: f"test:{uuid.uuid4().hex}")
    created_at = factory.LazyFunction(timezone.now)


class PayoutItemFactory(ScopedModelFactory):
    class Meta:
        model = PayoutItem

    entry = factory.SubFactory(CommissionEntryFactory)
    manufacturer = factory.SelfAttribute("entry.manufacturer")
    request = factory.SubFactory(
        PayoutRequestFactory, partnership=factory.SelfAttribute("..entry.partnership")
    )


class WindowExtensionFactory(ScopedModelFactory):
    class Meta:
        model = WindowExtension

    entry = factory.SubFactory(CommissionEntryFactory)
    manufacturer = factory.SelfAttribute("entry.manufacturer")
    pay_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=14))
    reason = "Customer pays in instalments."


class CommissionJobRunFactory(ScopedModelFactory):
    class Meta:
        model = CommissionJobRun

    manufacturer = factory.SubFactory(ManufacturerFactory)
    run_date = factory.Sequence(lambda n: timezone.localdate() - timedelta(days=n))
