"""Partner test data, built through the partners services where one writes the row."""

from decimal import Decimal

import factory
from django.utils import timezone

from partners.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementKind,
    AnnouncementRecipient,
    AnnouncementStatus,
    AreaKind,
    Audience,
    Exclusive,
    ExclusiveKind,
    FollowUp,
    Incident,
    IncidentKind,
    IncidentStep,
    IncidentThresholds,
    Meeting,
    MeetingKind,
    Offer,
    OfferAnnouncement,
    OfferArea,
    OfferItem,
    OfferRecipient,
    OrderRating,
    PartnerBlock,
    PartnerNote,
    PartnerTier,
    Scorecard,
    Step,
    Tier,
    TierChange,
    TierProposal,
    Visibility,
)
from partners.services.scorecards import order_rating_record
from tests.accounts.factories import ManufacturerFactory
from tests.catalog.factories import ProductFactory
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


class IncidentThresholdsFactory(ScopedModelFactory):
    class Meta:
        model = IncidentThresholds

    manufacturer = factory.SubFactory(ManufacturerFactory)


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


class OfferFactory(ScopedModelFactory):
    class Meta:
        model = Offer

    manufacturer = factory.SubFactory(ManufacturerFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")
    price = Decimal("499.00")
    visibility = Visibility.PUBLIC
    starts_on = factory.LazyFunction(timezone.localdate)
    is_published = True


class OfferItemFactory(ScopedModelFactory):
    class Meta:
        model = OfferItem

    offer = factory.SubFactory(OfferFactory)
    manufacturer = factory.SelfAttribute("offer.manufacturer")
    product = factory.SubFactory(
        ProductFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    quantity = 2


class OfferAreaFactory(ScopedModelFactory):
    class Meta:
        model = OfferArea

    offer = factory.SubFactory(OfferFactory)
    manufacturer = factory.SelfAttribute("offer.manufacturer")
    kind = AreaKind.REGION
    value = "north"


class OfferRecipientFactory(ScopedModelFactory):
    class Meta:
        model = OfferRecipient

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    offer = factory.SubFactory(
        OfferFactory,
        manufacturer=factory.SelfAttribute("..manufacturer"),
        visibility=Visibility.SELECTED,
    )


class OfferAnnouncementFactory(ScopedModelFactory):
    class Meta:
        model = OfferAnnouncement

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    offer = factory.SubFactory(OfferFactory, manufacturer=factory.SelfAttribute("..manufacturer"))
    announced_at = factory.LazyFunction(timezone.now)


class AnnouncementFactory(ScopedModelFactory):
    class Meta:
        model = Announcement

    manufacturer = factory.SubFactory(ManufacturerFactory)
    kind = AnnouncementKind.NEW_SERVICE
    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "A new service for our partners."
    audience = Audience.ALL


class AnnouncementRecipientFactory(ScopedModelFactory):
    class Meta:
        model = AnnouncementRecipient

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    announcement = factory.SubFactory(
        AnnouncementFactory,
        manufacturer=factory.SelfAttribute("..manufacturer"),
        audience=Audience.NAMED,
    )


class AnnouncementDeliveryFactory(ScopedModelFactory):
    class Meta:
        model = AnnouncementDelivery

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    announcement = factory.SubFactory(
        AnnouncementFactory,
        manufacturer=factory.SelfAttribute("..manufacturer"),
        status=AnnouncementStatus.PUBLISHED,
        published_at=factory.LazyFunction(timezone.now),
    )
    delivered_at = factory.LazyFunction(timezone.now)


class IncidentFactory(ScopedModelFactory):
    class Meta:
        model = Incident

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    kind = IncidentKind.HIGH_CANCELLATIONS
    summary = "Too many cancellations in March."
    created_at = factory.LazyFunction(timezone.now)


class IncidentStepFactory(ScopedModelFactory):
    class Meta:
        model = IncidentStep

    incident = factory.SubFactory(IncidentFactory)
    manufacturer = factory.SelfAttribute("incident.manufacturer")
    step = Step.FRIENDLY_CONTACT
    notes = "Called the owner."
    created_at = factory.LazyFunction(timezone.now)


class PartnerBlockFactory(ScopedModelFactory):
    class Meta:
        model = PartnerBlock

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    # Filled, so the tenant-guard walk need not build these optional parents itself.
    offer = factory.SubFactory(OfferFactory, manufacturer=factory.SelfAttribute("..manufacturer"))
    incident = factory.SubFactory(
        IncidentFactory, partnership=factory.SelfAttribute("..partnership")
    )
    reason = "Repeated cancellations."
    created_at = factory.LazyFunction(timezone.now)


class PartnerNoteFactory(ScopedModelFactory):
    class Meta:
        model = PartnerNote

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    body = "Quarterly call: plans a second shop."


class ExclusiveFactory(ScopedModelFactory):
    class Meta:
        model = Exclusive

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    offer = factory.SubFactory(
        OfferFactory,
        manufacturer=factory.SelfAttribute("..manufacturer"),
        visibility=Visibility.SELECTED,
    )
    kind = ExclusiveKind.REGIONAL
    scope = "north"
    min_monthly_orders = 20
    min_completion_rate = Decimal("95.00")
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))


class MeetingFactory(ScopedModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    kind = MeetingKind.CHECK_IN
    due_on = factory.LazyFunction(timezone.localdate)
    period_start = factory.LazyAttribute(lambda m: m.due_on.replace(day=1))
    period_end = factory.LazyAttribute(lambda m: m.due_on)


class FollowUpFactory(ScopedModelFactory):
    class Meta:
        model = FollowUp

    meeting = factory.SubFactory(MeetingFactory)
    manufacturer = factory.SelfAttribute("meeting.manufacturer")
    description = factory.Sequence(lambda n: f"Send the price sheet {n}")
