"""Notifications and the outbox work in any tenant's scope and with none at all.

They belong to a user, not to one tenant (notifications.models: plain managers, every
query filters by the user or the email), because a worker delivers the outbox with no
tenant in scope and a user of several manufacturers reads all their notifications on one
page. So instead of a ScopeError, these tests assert that they work without a scope and
that one tenant's preference or email never changes another's.
"""

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from accounts.models import Role
from notifications.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    OutboxEmail,
    OutboxStatus,
)
from notifications.services import email_enqueue, notify
from tests.accounts.factories import MembershipFactory
from tests.notifications.factories import NotificationPreferenceFactory, OutboxEmailFactory
from tests.scoping import manufacturer_view_scope, reseller_partner_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def member_of_both(manager, other_manufacturer):
    """A manager of both tenants who turned new-message notifications off in the other one."""
    MembershipFactory(manufacturer=other_manufacturer, user=manager, role=Role.MANAGER)
    NotificationPreferenceFactory(
        manufacturer=other_manufacturer,
        user=manager,
        kind=NotificationKind.MESSAGE_RECEIVED,
        channel=NotificationChannel.OFF,
    )
    return manager


def test_notify_in_a_tenant_scope_and_without_one(
    manufacturer, other_manufacturer, partnership, member_of_both
):
    message = {"kind": NotificationKind.MESSAGE_RECEIVED, "title": "Soundhouse wrote"}
    with reseller_partner_view_scope(partnership):  # a reseller's message, as communications
        notify(users=[member_of_both], manufacturer=manufacturer, url="/m/acme/", **message)
    with worker_scope():
        notify(users=[member_of_both], manufacturer=other_manufacturer, **message)
        notify(
            users=[member_of_both],
            manufacturer=other_manufacturer,
            kind=NotificationKind.ORDER_STATUS,
            title="New order BOR-000001",
        )

    with scopes_disabled():
        assert sorted(
            Notification.objects.filter(user=member_of_both).values_list(
                "manufacturer", "kind", "channel"
            )
        ) == sorted(
            [
                (manufacturer.pk, NotificationKind.MESSAGE_RECEIVED, NotificationChannel.EMAIL),
                (other_manufacturer.pk, NotificationKind.ORDER_STATUS, NotificationChannel.IN_APP),
            ]
        )
        email = OutboxEmail.objects.get()
        assert (email.manufacturer, email.recipient) == (manufacturer, member_of_both.email)


def test_outbox_delivery_after_commit_runs_in_a_worker_with_no_scope(
    manufacturer, other_manufacturer, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        foreign = OutboxEmailFactory(manufacturer=other_manufacturer)

    with django_capture_on_commit_callbacks() as callbacks, manufacturer_view_scope(manufacturer):
        email = email_enqueue(
            recipient="owner@acme.example",
            subject="A new order",
            body="Order ACM-000001.",
            kind=NotificationKind.ORDER_STATUS,
            manufacturer=manufacturer,
        )
    assert len(callbacks) == 1
    # After the commit Celery delivers it: a worker has no tenant in scope.
    with worker_scope():
        callbacks[0]()

    with scopes_disabled():
        email.refresh_from_db()
        foreign.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["owner@acme.example"], "A new order")]
    assert (foreign.status, foreign.attempts) == (OutboxStatus.PENDING, 0)
