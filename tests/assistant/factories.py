"""Assistant factories: a request a member typed."""

import factory
from django.utils import timezone

from accounts.models import Role
from assistant.models import RecentRequest
from tests.accounts.factories import ManufacturerFactory, MembershipFactory
from tests.scoped_factories import ScopedModelFactory


class RecentRequestFactory(ScopedModelFactory):
    class Meta:
        model = RecentRequest

    manufacturer = factory.SubFactory(ManufacturerFactory)
    user = factory.LazyAttribute(
        lambda o: MembershipFactory(manufacturer=o.manufacturer, role=Role.MANAGER).user
    )
    text = factory.Sequence(lambda n: f"open orders of reseller {n}")
    intent = "orders.open"
    asked_at = factory.LazyFunction(timezone.now)
