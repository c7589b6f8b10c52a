"""Partner test data, built through the partners services where one writes the row."""

import factory
from django.utils import timezone

from partners.models import OrderRating, Scorecard
from partners.services.scorecards import order_rating_record
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
