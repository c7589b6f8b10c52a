"""Notification factories: outbox emails, preferences and in-app notifications."""

import factory

from notifications.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    OutboxEmail,
    OutboxStatus,
)
from tests.accounts.factories import ManufacturerFactory, MembershipFactory
from tests.scoped_factories import ScopedModelFactory


def _staff_user(manufacturer):
    return MembershipFactory(manufacturer=manufacturer).user


class OutboxEmailFactory(ScopedModelFactory):
    class Meta:
        model = OutboxEmail

    manufacturer = factory.SubFactory(ManufacturerFactory)
    recipient = factory.Sequence(lambda n: f"recipient{n}@example.test")
    subject = factory.Sequence(lambda n: f"New order ORD-{n:05d}")
    body = "A reseller placed a new order. Open the portal to review it."
    kind = NotificationKind.ORDER_CREATED
    status = OutboxStatus.PENDING


class NotificationPreferenceFactory(ScopedModelFactory):
    """A staff member's choice for one kind of event (the user is a member of the tenant)."""

    class Meta:
        model = NotificationPreference

    manufacturer = factory.SubFactory(ManufacturerFactory)
    user = factory.LazyAttribute(lambda o: _staff_user(o.manufacturer))
    kind = NotificationKind.MESSAGE_RECEIVED
    channel = NotificationChannel.DIGEST


class NotificationFactory(ScopedModelFactory):
    class Meta:
        model = Notification

    manufacturer = factory.SubFactory(ManufacturerFactory)
    user = factory.LazyAttribute(lambda o: _staff_user(o.manufacturer))
    kind = NotificationKind.MESSAGE_RECEIVED
    channel = NotificationChannel.IN_APP
    title = factory.Sequence(lambda n: f"Reseller {n} GmbH wrote a message")
    body = "Do you have the new speakers in stock?"
    url = "/"
    read_at = None
    email = None
