"""Communication services run inside the scope their real caller sets, or fail closed.

A reseller starts and answers conversations on its page for one manufacturer
(`reseller_partner_view`); staff reply, mark as done and "Qualify" in the inbox
(`manufacturer_view`). The same reseller talks to the other tenant too, which also has a
default qualifying code: its conversation, qualifications and staff must stay untouched.
Forms carry a one-time submission key, and the tests pass one as the views do.
"""

import uuid

import pytest
from django_scopes import ScopeError, scopes_disabled

from channel.models import QualifyingStatus
from communications.models import DONE_EMOJI, Conversation, ConversationType, Message, MessageKind
from communications.services.conversations import (
    ConversationGone,
    conversation_start,
    reseller_reply,
    staff_reply,
)
from communications.services.marks import conversation_mark_done
from communications.services.qualifying import conversation_qualify
from notifications.models import Notification, NotificationKind, OutboxEmail
from qualifications.models import QualificationGrant
from tests.communications.conftest import Inbox, start
from tests.qualifications.factories import QualificationFactory
from tests.scoping import manufacturer_view_scope, reseller_partner_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def conversation(inbox: Inbox) -> Conversation:
    return start(inbox.partnership, author=inbox.reseller_user)


@pytest.fixture
def foreign_conversation(inbox: Inbox) -> Conversation:
    return start(inbox.foreign_partnership, body="And yours?", author=inbox.reseller_user)


@pytest.fixture
def default_codes(inbox: Inbox):
    """Each tenant's default qualifying code, with the same ID."""
    return [
        QualificationFactory(manufacturer=tenant, code="PRO-AV-CERTIFIED", is_default=True)
        for tenant in (inbox.tenant, inbox.other)
    ]


def assert_other_tenant_untouched(inbox: Inbox, foreign_conversation=None) -> None:
    with scopes_disabled():
        conversations = Conversation.objects.filter(manufacturer=inbox.other)
        if foreign_conversation is None:
            assert not conversations.exists()
        else:
            assert list(conversations) == [foreign_conversation]
            foreign = conversations.get()
            assert (foreign.mark, foreign.marked_at) == ("", None)
            assert list(
                Message.objects.filter(conversation=foreign).values_list("body", "emoji")
            ) == [("And yours?", "")]
        foreign_partnership = inbox.foreign_partnership
        foreign_partnership.refresh_from_db()
        assert foreign_partnership.qualifying_status != QualifyingStatus.QUALIFIED
        assert not QualificationGrant.objects.filter(partnership=foreign_partnership).exists()
        # The other tenant's manager heard of its own conversation only.
        expected = 0 if foreign_conversation is None else 1
        assert Notification.objects.filter(user=inbox.other_manager).count() == expected


def test_new_conversation_and_reply_in_the_reseller_partner_view_scope(inbox: Inbox):
    with reseller_partner_view_scope(inbox.partnership):
        conversation = conversation_start(
            partnership=inbox.partnership,
            kind=ConversationType.INVENTORY,
            subject="AX-200",
            body="Do you have the AX-200 in stock?",
            author=inbox.reseller_user,
            submission_key=uuid.uuid4(),
        )
        reseller_reply(
            conversation=conversation,
            author=inbox.reseller_user,
            body="We need twelve.",
            submission_key=uuid.uuid4(),
        )

    with scopes_disabled():
        assert conversation.manufacturer == inbox.tenant
        assert list(
            Message.objects.filter(conversation=conversation)
            .order_by("created_at", "pk")
            .values_list("body", flat=True)
        ) == ["Do you have the AX-200 in stock?", "We need twelve."]
        notified = list(
            Notification.objects.filter(kind=NotificationKind.MESSAGE_RECEIVED).values_list(
                "user", flat=True
            )
        )
        assert sorted(notified) == sorted([inbox.owner.pk, inbox.manager.pk] * 2)
        assert set(OutboxEmail.objects.values_list("manufacturer", "recipient")) == {
            (inbox.tenant.pk, inbox.owner.email),
            (inbox.tenant.pk, inbox.manager.email),
        }
    assert_other_tenant_untouched(inbox)


def test_staff_reply_and_mark_done_in_the_manufacturer_view_scope(
    inbox: Inbox, conversation, foreign_conversation
):
    with manufacturer_view_scope(inbox.tenant):
        staff_reply(conversation=conversation, author=inbox.manager, body="Back next week.")
        conversation_mark_done(conversation=conversation)

    with scopes_disabled():
        conversation.refresh_from_db()
        assert conversation.mark == DONE_EMOJI
        assert list(
            Message.objects.filter(conversation=conversation)
            .order_by("created_at", "pk")
            .values_list("kind", "emoji")
        ) == [(MessageKind.RESELLER, DONE_EMOJI), (MessageKind.STAFF, "")]
    assert_other_tenant_untouched(inbox, foreign_conversation)


def test_mark_done_in_one_tenants_scope_cannot_reach_another_tenants_conversation(
    inbox: Inbox, foreign_conversation
):
    with manufacturer_view_scope(inbox.tenant), pytest.raises(ConversationGone):
        conversation_mark_done(conversation=foreign_conversation)
    assert_other_tenant_untouched(inbox, foreign_conversation)


def test_inbox_qualify_in_the_manufacturer_view_scope(
    inbox: Inbox, conversation, foreign_conversation, default_codes
):
    with manufacturer_view_scope(inbox.tenant):
        summary = conversation_qualify(conversation=conversation, user=inbox.manager)

    assert "PRO-AV-CERTIFIED" in summary
    with scopes_disabled():
        inbox.partnership.refresh_from_db()
        assert inbox.partnership.qualifying_status == QualifyingStatus.QUALIFIED
        assert QualificationGrant.objects.filter(
            partnership=inbox.partnership, qualification=default_codes[0], revoked_at__isnull=True
        ).exists()
    assert_other_tenant_untouched(inbox, foreign_conversation)


def test_communication_services_with_no_tenant_in_scope_raise(
    inbox: Inbox, conversation, foreign_conversation, default_codes
):
    with scopes_disabled():
        before = list(Message.objects.order_by("pk").values_list("pk", "emoji"))

    with worker_scope():
        with pytest.raises(ScopeError):
            conversation_start(
                partnership=inbox.partnership,
                kind=ConversationType.GENERAL,
                subject="",
                body="Hello?",
                author=inbox.reseller_user,
                submission_key=uuid.uuid4(),
            )
        with pytest.raises(ScopeError):
            reseller_reply(conversation=conversation, author=inbox.reseller_user, body="Hello?")
        with pytest.raises(ScopeError):
            conversation_mark_done(conversation=conversation)
        with pytest.raises(ScopeError):
            conversation_qualify(conversation=conversation, user=inbox.manager)

    with scopes_disabled():
        assert list(Message.objects.order_by("pk").values_list("pk", "emoji")) == before
        assert Conversation.objects.filter(manufacturer=inbox.tenant).count() == 1
        inbox.partnership.refresh_from_db()
        assert inbox.partnership.qualifying_status != QualifyingStatus.QUALIFIED
        assert not QualificationGrant.objects.exists()
    assert_other_tenant_untouched(inbox, foreign_conversation)
