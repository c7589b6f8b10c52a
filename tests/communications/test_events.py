"""Qualification changes are logged as events in the qualification conversation."""

from communications.models import Conversation, ConversationType, MessageKind
from notifications.models import Notification
from qualifications.services import (
    qualification_grant,
    qualification_request_create,
    qualification_revoke,
    qualifying_status_set,
)
from tests.communications.conftest import start
from tests.qualifications.factories import QualificationFactory


def test_a_request_opens_a_qualification_conversation_and_is_a_new_lead(inbox):
    code = QualificationFactory(manufacturer=inbox.tenant, code="PRO-AV")
    qualification_request_create(
        partnership=inbox.partnership,
        qualification=code,
        requested_by=inbox.reseller_user,
        message="We finished the training.",
    )
    conversation = Conversation.objects.get(partnership=inbox.partnership)
    assert conversation.kind == ConversationType.QUALIFICATION
    assert conversation.mark == ""
    event = conversation.messages.get()
    assert event.kind == MessageKind.EVENT
    assert event.event == "qualification_requested"
    assert "PRO-AV" in event.body and "We finished the training." in event.body
    assert Notification.objects.filter(user=inbox.manager, kind="qualification_requested").exists()


def test_grant_revoke_and_status_append_to_the_same_conversation(inbox):
    existing = start(inbox.partnership, kind=ConversationType.QUALIFICATION)
    code = QualificationFactory(manufacturer=inbox.tenant, code="PRO-AV")
    qualification_grant(partnership=inbox.partnership, qualification=code, granted_by=inbox.owner)
    qualification_revoke(
        partnership=inbox.partnership, qualification=code, revoked_by=inbox.owner, reason="lapsed"
    )
    qualifying_status_set(partnership=inbox.partnership, status="qualified", changed_by=None)
    events = list(existing.messages.filter(kind=MessageKind.EVENT).values_list("event", flat=True))
    assert events == ["qualification_granted", "qualification_revoked", "qualifying_status_changed"]
    assert Conversation.objects.count() == 1
    revoked = existing.messages.get(event="qualification_revoked")
    assert "lapsed" in revoked.body
