"""Every kind of notification the product sends, under every preference its recipient can
choose: off tells nothing, in the portal only makes no email, by email sends one at once
with a link on the configured base URL, the digest bundles it into the daily email. Each
notification links to its object, and the link opens for its recipient.

Staff (owners, managers, the customer's rep) and the reseller's users are both recipients;
each trigger below runs the real service and names who must hear of it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role, User
from channel.models import Partnership
from commissions.services.payouts import payout_details_save, payout_request_create
from communications.services.conversations import conversation_start, staff_reply
from communications.services.team import conversation_assign
from notifications.models import (
    RESELLER_KINDS,
    STAFF_KINDS,
    Notification,
    NotificationChannel,
    NotificationKind,
    OutboxEmail,
)
from notifications.services import digest_send, outbox_flush
from orders.models import OrderReturn, OrderStatus
from orders.services.orders import ReturnLineRequest, order_return_create, order_transition
from orders.services.payment_links import payment_links_expired_notify
from orders.services.reseller_moves import order_reseller_move
from orders.workflow import MANUFACTURER, SYSTEM
from partners.models import Meeting, Tier
from partners.services.meetings import meetings_schedule_all
from partners.services.offers import OfferValues, offer_publish, offer_save
from partners.services.tiers import partner_account_manager_set, partner_tier_set
from qualifications.services import (
    qualification_grant,
    qualification_request_create,
    qualification_request_decide,
    qualification_revoke,
)
from salesreps.services import member_remove, portfolio_assign
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
)
from tests.catalog.factories import ProductFactory
from tests.commissions.factories import CommissionEntryFactory
from tests.notifications.factories import NotificationPreferenceFactory, OutboxEmailFactory
from tests.orders.factories import OrderFactory, PaymentLinkFactory, force_status
from tests.qualifications.factories import QualificationFactory
from tests.resellers.factories import PartnershipFactory

BASE = "https://portal.example.test"


@dataclass
class World:
    owner: User
    manager: User
    rep: User
    other_rep: User
    reseller_user: User
    partnership: Partnership

    @property
    def tenant(self):
        return self.partnership.manufacturer


@pytest.fixture
def world(db) -> World:
    tenant = ManufacturerFactory(slug="acme-k")
    owner = MembershipFactory(manufacturer=tenant, role=Role.OWNER, user=UserFactory()).user
    manager = MembershipFactory(manufacturer=tenant, role=Role.MANAGER, user=UserFactory()).user
    rep = MembershipFactory(manufacturer=tenant, role=Role.SELLER, user=UserFactory()).user
    other_rep = MembershipFactory(manufacturer=tenant, role=Role.SELLER, user=UserFactory()).user
    reseller = ResellerFactory(name="Soundhouse")
    reseller_user = ResellerUserFactory(reseller=reseller).user
    partnership = PartnershipFactory(manufacturer=tenant, reseller=reseller)
    portfolio_assign(manufacturer=tenant, partnership=partnership, rep=rep, by=owner)
    return World(owner, manager, rep, other_rep, reseller_user, partnership)


def _order(world: World, **kwargs):
    return OrderFactory(partnership=world.partnership, created_by=world.reseller_user, **kwargs)


# --- one trigger per kind: runs the service, answers who must hear of it ------------------


def message_received(world: World) -> User:
    conversation_start(
        partnership=world.partnership,
        kind="general",
        subject="",
        body="Hi",
        author=world.reseller_user,
    )
    return world.owner


def qualification_requested(world: World) -> User:
    qualification_request_create(
        partnership=world.partnership,
        qualification=QualificationFactory(manufacturer=world.tenant),
        requested_by=world.reseller_user,
    )
    return world.manager


def order_created(world: World) -> User:
    _order(world)
    return world.rep


def order_moved(world: World) -> User:
    order_reseller_move(
        order=_order(world), to_status=OrderStatus.CANCELLED, user=world.reseller_user, reason="x"
    )
    return world.owner


def order_status(world: World) -> User:
    order_transition(
        order=_order(world),
        to_status=OrderStatus.ACCEPTED,
        side=MANUFACTURER,
        changed_by=world.owner,
    )
    return world.reseller_user


def order_status_for_the_rep(world: World) -> User:
    order_status(world)
    return world.rep


def order_paid(world: World) -> User:
    order = _order(world, status=OrderStatus.AWAITING_PAYMENT)
    order_transition(order=order, to_status=OrderStatus.PLACED, side=SYSTEM, changed_by=None)
    return world.reseller_user


def order_returned(world: World) -> User:
    order = force_status(_order(world), OrderStatus.FULFILLED)
    line = order.lines.get()
    order_return_create(
        order=order, lines=[ReturnLineRequest(line.pk, 1)], created_by=world.owner, reason="Dented"
    )
    assert OrderReturn.objects.filter(order=order).exists()
    return world.reseller_user


def order_cancelled(world: World) -> User:
    order_transition(
        order=_order(world),
        to_status=OrderStatus.CANCELLED,
        side=MANUFACTURER,
        changed_by=world.manager,
        reason="Out of stock",
    )
    return world.reseller_user


def payment_link(world: World) -> User:
    PaymentLinkFactory(
        order=_order(world, status=OrderStatus.AWAITING_PAYMENT),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    assert payment_links_expired_notify() == 1
    return world.reseller_user


def email_failed(world: World) -> User:
    from django.conf import settings

    from tests.notifications.mail_backends import state

    state.reset()
    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.Refusing"
    now = timezone.now()
    OutboxEmailFactory(
        manufacturer=world.tenant,
        next_attempt_at=now - timedelta(seconds=1),
        retry_until=now - timedelta(seconds=1),
    )
    try:
        outbox_flush()
    finally:
        settings.EMAIL_BACKEND = previous
    return world.owner


def portfolio_received(world: World) -> User:
    membership = world.tenant.memberships.get(user=world.rep)
    member_remove(
        manufacturer=world.tenant, membership=membership, to_rep=world.other_rep, by=world.owner
    )
    return world.other_rep


def staff_replied(world: World) -> User:
    conversation = conversation_start(
        partnership=world.partnership,
        kind="general",
        subject="",
        body="Hi",
        author=world.reseller_user,
    )
    staff_reply(conversation=conversation, author=world.manager, body="In stock on Monday.")
    return world.reseller_user


def qualification_granted(world: World) -> User:
    qualification_grant(
        partnership=world.partnership,
        qualification=QualificationFactory(manufacturer=world.tenant),
        granted_by=world.owner,
    )
    return world.reseller_user


def qualification_revoked(world: World) -> User:
    qualification = QualificationFactory(manufacturer=world.tenant)
    qualification_grant(partnership=world.partnership, qualification=qualification, granted_by=None)
    qualification_revoke(
        partnership=world.partnership,
        qualification=qualification,
        revoked_by=world.owner,
        reason="Certificate lapsed",
    )
    return world.reseller_user


def qualification_answered(world: World) -> User:
    request = qualification_request_create(
        partnership=world.partnership,
        qualification=QualificationFactory(manufacturer=world.tenant),
        requested_by=world.reseller_user,
    )
    qualification_request_decide(request=request, grant=False, decided_by=world.owner, reason="No")
    return world.reseller_user


def conversation_assigned(world: World) -> User:
    conversation = conversation_start(
        partnership=world.partnership,
        kind="general",
        subject="",
        body="Hi",
        author=world.reseller_user,
    )
    conversation_assign(conversation=conversation, assignee=world.rep, by=world.manager)
    return world.rep


def payout(world: World) -> User:
    CommissionEntryFactory(
        partnership=world.partnership,
        eligible_from=timezone.localdate() - timedelta(days=1),
        pay_by=timezone.localdate() + timedelta(weeks=6),
    )
    payout_details_save(
        partnership=world.partnership,
        account_holder="Soundhouse",
        iban="DE89370400440532013000",
        updated_by=world.reseller_user,
    )
    payout_request_create(
        partnership=world.partnership, amount=Decimal("120.00"), requested_by=world.reseller_user
    )
    return world.manager


def tier_changed(world: World) -> User:
    gold = Tier.objects.filter(manufacturer=world.tenant).order_by("-rank").first()
    partner_tier_set(partnership=world.partnership, tier=gold, by=world.manager, reason="Top sales")
    return world.reseller_user


def meeting_due(world: World) -> User:
    gold = Tier.objects.filter(manufacturer=world.tenant).order_by("-rank").first()
    partner_tier_set(partnership=world.partnership, tier=gold, by=world.owner, reason="Top sales")
    partner_account_manager_set(partnership=world.partnership, user=world.manager, by=world.owner)
    Meeting.objects.filter(partnership=world.partnership).update(due_on=timezone.localdate())
    meetings_schedule_all()
    return world.manager


def partner_announcement(world: World) -> User:
    offer = offer_save(
        manufacturer=world.tenant,
        offer=None,
        values=OfferValues(
            title="Spring bundle",
            price=Decimal("499.00"),
            visibility="selected",
            starts_on=timezone.localdate(),
            items={ProductFactory(manufacturer=world.tenant).pk: 1},
            recipient_ids=[world.partnership.pk],
        ),
    )
    offer_publish(offer=offer)
    return world.reseller_user


TRIGGERS: dict[str, Callable[[World], User]] = {
    NotificationKind.MESSAGE_RECEIVED: message_received,
    NotificationKind.QUALIFICATION_REQUESTED: qualification_requested,
    NotificationKind.ORDER_CREATED: order_created,
    NotificationKind.ORDER_MOVED: order_moved,
    NotificationKind.ORDER_STATUS: order_status,
    NotificationKind.ORDER_PAID: order_paid,
    NotificationKind.ORDER_RETURNED: order_returned,
    NotificationKind.ORDER_CANCELLED: order_cancelled,
    NotificationKind.PAYMENT_LINK: payment_link,
    NotificationKind.EMAIL_FAILED: email_failed,
    NotificationKind.PORTFOLIO_RECEIVED: portfolio_received,
    NotificationKind.STAFF_REPLIED: staff_replied,
    NotificationKind.QUALIFICATION_GRANTED: qualification_granted,
    NotificationKind.QUALIFICATION_REVOKED: qualification_revoked,
    NotificationKind.QUALIFICATION_ANSWERED: qualification_answered,
    NotificationKind.CONVERSATION_ASSIGNED: conversation_assigned,
    NotificationKind.PAYOUT: payout,
    NotificationKind.TIER_CHANGED: tier_changed,
    NotificationKind.PARTNER_ANNOUNCEMENT: partner_announcement,
    NotificationKind.MEETING_DUE: meeting_due,
}
CASES = [*TRIGGERS.items(), (NotificationKind.ORDER_STATUS, order_status_for_the_rep)]


def test_every_kind_a_service_sends_is_tested_here():
    assert set(TRIGGERS) == set(NotificationKind.values)
    # Every kind is offered on somebody's preferences page.
    assert set(STAFF_KINDS) | set(RESELLER_KINDS) == set(NotificationKind.values)


@pytest.mark.parametrize("channel", NotificationChannel.values)
@pytest.mark.parametrize(("kind", "trigger"), CASES, ids=[c[1].__name__ for c in CASES])
@override_settings(PORTAL_BASE_URL=BASE + "/")
def test_each_kind_honours_each_preference(
    world, kind, trigger, channel, client_for, django_capture_on_commit_callbacks
):
    # The recipient's choice for this kind only, in this tenant; another tenant's choice
    # of "off" must not matter.
    recipients = [world.owner, world.manager, world.rep, world.other_rep, world.reseller_user]
    other = ManufacturerFactory(slug="elsewhere")
    for user in recipients:
        NotificationPreferenceFactory(
            user=user, manufacturer=world.tenant, kind=kind, channel=channel
        )
        NotificationPreferenceFactory(
            user=user, manufacturer=other, kind=kind, channel=NotificationChannel.OFF
        )
    with django_capture_on_commit_callbacks(execute=True):
        recipient = trigger(world)
    notes = list(Notification.objects.filter(user=recipient, kind=kind))
    emails = OutboxEmail.objects.filter(recipient=recipient.email, kind=kind)
    if channel == NotificationChannel.OFF:
        assert notes == []
        assert not emails.exists()
        return
    (note,) = notes
    assert (note.channel, note.manufacturer) == (channel, world.tenant)
    # The link opens the object for the person told.
    assert note.url.startswith("/")
    assert client_for(recipient).get(note.url).status_code == 200
    if channel == NotificationChannel.IN_APP:
        assert note.email is None
        assert not emails.exists()
    elif channel == NotificationChannel.EMAIL:
        (email,) = emails
        assert note.email == email
        assert f"{BASE}{note.url}" in email.body
        assert "127.0.0.1" not in email.body
    else:
        assert note.email is None
        assert not emails.exists()
        digest = digest_send(user_id=recipient.pk)
        assert digest is not None
        assert note.title in digest.body
        assert f"{BASE}{note.url}" in digest.body
