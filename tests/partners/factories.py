"""Partner test data, built through the partners services where one writes the row."""

import factory
from django.utils import timezone

from partners.models import OrderRating, PartnerTier, Scorecard, Tier, TierChange, TierProposal
from partners.services.scorecards import order_rating_record
from tests.accounts.factories import ManufacturerFactory
from tests.orders.factories import OrderFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoped_factories import ScopedModelFactory


class OrderRatingFactory(factory.Factory):
    class Meta:
        model = OrderRating

    order = factory.SubFactory(OrderFactory)
    satisfaction = 4
    address_accurate = True
    by = None

    @classmethod
    def _create(cls, model_class, **kwargs) -> OrderRating:
        return order_rating_record(**kwargs)


class ScorecardFactory(ScopedModelFactory):
    class Meta:
        model = Scorecard

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    computed_at = factory.LazyFunction(timezone.now)


class TierFactory(ScopedModelFactory):
    """A tier above the guide's three that every manufacturer starts with."""

    class Meta:
        model = Tier

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"Platinum {n}")
    rank = factory.Sequence(lambda n: 10 + n % 80)
    min_monthly_orders = 30
    months_held = 2


def tier_named(manufacturer, name: str) -> Tier:
    return Tier.objects.get(manufacturer=manufacturer, name=name)


class PartnerTierFactory(ScopedModelFactory):
    class Meta:
        model = PartnerTier

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    tier = factory.LazyAttribute(lambda o: tier_named(o.manufacturer, "Silver"))
    since = factory.LazyFunction(timezone.now)


class TierProposalFactory(ScopedModelFactory):
    class Meta:
        model = TierProposal

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    from_tier = factory.LazyAttribute(lambda o: tier_named(o.manufacturer, "Bronze"))
    to_tier = factory.LazyAttribute(lambda o: tier_named(o.manufacturer, "Silver"))
    created_at = factory.LazyFunction(timezone.now)


class TierChangeFactory(ScopedModelFactory):
    class Meta:
        model = TierChange

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    from_tier = factory.LazyAttribute(lambda o: tier_named(o.manufacturer, "Bronze"))
    to_tier = factory.LazyAttribute(lambda o: tier_named(o.manufacturer, "Silver"))
    # Filled, so the tenant-guard walk need not build a proposal of another tenant's tiers.
    proposal = factory.SubFactory(
        TierProposalFactory, partnership=factory.SelfAttribute("..partnership")
    )
    reason = "Met the criteria."
    created_at = factory.LazyFunction(timezone.now)
