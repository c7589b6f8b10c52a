"""Each inbox action: its effect, plain and htmx, and its refusal for the wrong user or input."""

import uuid

import pytest
from django.core import mail
from django.utils import timezone

from channel.models import QualifyingStatus
from communications.models import Conversation, Message, MessageKind, StaffComment
from communications.services.comments import comment_add
from communications.services.conversations import reseller_reply, staff_reply
from communications.services.marks import conversation_mark_done
from notifications.models import Notification, OutboxEmail, OutboxStatus
from notifications.services import outbox_flush
from notifications.tasks import email_deliver_task
from qualifications.models import QualificationGrant
from tests.communications.conftest import start
from tests.qualifications.factories import QualificationFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def conversation(inbox):
    return start(inbox.partnership, body="Can we become a certified partner?")


def test_reply_reaches_the_reseller_without_emoji(inbox, client_for, conversation):
    response = client_for(inbox.manager).post(
        inbox.url("reply", conversation_id=conversation.pk), {"body": "Sure, here is how."}
    )
    assert response.status_code == 302
    message = conversation.messages.get(kind=MessageKind.STAFF)
    assert message.emoji == ""
    assert message.author == inbox.manager


def test_reply_with_emoji_stays_internal_and_marks(inbox, client_for, conversation):
    client_for(inbox.manager).post(
        inbox.url("reply", conversation_id=conversation.pk),
        {"body": "handled by phone", "emoji": "👍"},
    )
    message = conversation.messages.get(kind=MessageKind.STAFF)
    assert message.is_hidden_from_reseller
    conversation.refresh_from_db()
    assert conversation.mark == "👍"


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_empty_or_oversized_reply_is_refused_and_changes_nothing(
    inbox, client_for, conversation, body
):
    client = client_for(inbox.manager)
    response = client.post(inbox.url("reply", conversation_id=conversation.pk), {"body": body})
    assert response.status_code == 400
    text = response.content.decode()
    assert "empty" in text or "too long" in text
    response = client.post(
        inbox.url("reply", conversation_id=conversation.pk),
        {"body": body, "view": "card"},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert conversation.messages.count() == 1


def test_a_double_submission_changes_nothing(inbox, client_for, conversation):
    client = client_for(inbox.manager)
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(
            inbox.url("reply", conversation_id=conversation.pk),
            {"body": "Once only", "submission_key": key},
            follow=True,
        )
        assert response.status_code == 200
    assert "already sent" in response.content.decode()
    assert conversation.messages.filter(kind=MessageKind.STAFF).count() == 1
    for _ in range(2):
        client.post(
            inbox.url("comment", conversation_id=conversation.pk),
            {"body": "Note once", "submission_key": key},
        )
    assert StaffComment.objects.filter(conversation=conversation).count() == 1


def test_comment_is_added_and_shown_to_staff(inbox, client_for, conversation):
    client = client_for(inbox.manager)
    response = client.post(
        inbox.url("comment", conversation_id=conversation.pk),
        {"body": "Call them Tuesday", "view": "card"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "conversationsChanged" in response["HX-Trigger"]
    assert f'id="conversation-{conversation.pk}"' in response.content.decode()
    assert StaffComment.objects.get(conversation=conversation).author == inbox.manager
    detail = client.get(inbox.url("detail", conversation_id=conversation.pk)).content.decode()
    assert "Call them Tuesday" in detail


def test_emoji_palette_and_unknown_emoji(inbox, client_for, conversation):
    message = conversation.messages.get()
    client = client_for(inbox.manager)
    response = client.post(
        inbox.url("message_emoji", message_id=message.pk),
        {"emoji": "⭐", "view": "card"},
        headers=HTMX,
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.emoji == "⭐"

    response = client.post(inbox.url("message_emoji", message_id=message.pk), {"emoji": "💩"})
    assert response.status_code == 400
    assert "Unknown emoji" in response.content.decode()
    message.refresh_from_db()
    assert message.emoji == "⭐"


def test_foreign_message_ids_are_404(inbox, client_for):
    foreign = start(inbox.foreign_partnership).messages.get()
    client = client_for(inbox.manager)
    assert (
        client.post(inbox.url("message_emoji", message_id=foreign.pk), {"emoji": "⭐"}).status_code
        == 404
    )
    assert client.post(inbox.url("message_delete", message_id=foreign.pk)).status_code == 404
    assert (
        client.post(inbox.url("message_emoji", message_id=987654), {"emoji": "⭐"}).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.emoji == ""


def test_delete_a_message(inbox, client_for, conversation):
    staff_reply(conversation=conversation, author=inbox.manager, body="oops", emoji="👀")
    staff = conversation.messages.get(kind=MessageKind.STAFF)
    client = client_for(inbox.owner)
    response = client.post(inbox.url("message_delete", message_id=staff.pk))
    assert response.status_code == 302
    assert not Message.objects.filter(pk=staff.pk).exists()
    conversation.refresh_from_db()
    assert conversation.mark == "", "the mark follows the messages that remain"
    assert client.post(inbox.url("message_delete", message_id=staff.pk)).status_code == 404


def test_mark_done_twice_answers_clearly(inbox, client_for, conversation):
    client = client_for(inbox.manager)
    response = client.post(
        inbox.url("mark_done", conversation_id=conversation.pk), {"view": "card"}, headers=HTMX
    )
    assert response.status_code == 200
    conversation.refresh_from_db()
    assert conversation.mark == "✅"
    assert conversation.messages.get().emoji == "✅"
    response = client.post(inbox.url("mark_done", conversation_id=conversation.pk))
    assert response.status_code == 400
    assert "already marked as done" in response.content.decode()

    client.post(inbox.url("unmark", conversation_id=conversation.pk))
    conversation.refresh_from_db()
    assert conversation.mark == ""


def test_mark_done_never_hides_a_staff_reply(inbox, conversation):
    staff_reply(conversation=conversation, author=inbox.manager, body="Answer")
    conversation_mark_done(conversation=conversation)
    assert conversation.messages.get(kind=MessageKind.STAFF).emoji == ""


def test_qualify_grants_the_default_and_sets_qualified(inbox, client_for, conversation):
    client = client_for(inbox.manager)
    response = client.post(inbox.url("qualify", conversation_id=conversation.pk))
    assert response.status_code == 400
    assert "no default qualifying code" in response.content.decode()

    default = QualificationFactory(manufacturer=inbox.tenant, code="PARTNER", is_default=True)
    response = client.post(
        inbox.url("qualify", conversation_id=conversation.pk), {"view": "card"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "qualified-border" in response.content.decode()
    assert QualificationGrant.objects.filter(
        partnership=inbox.partnership, qualification=default, revoked_at__isnull=True
    ).exists()
    inbox.partnership.refresh_from_db()
    assert inbox.partnership.qualifying_status == QualifyingStatus.QUALIFIED
    # both changes were logged in the qualification conversation
    assert Message.objects.filter(event="qualification_granted").count() == 1
    assert Message.objects.filter(event="qualifying_status_changed").count() == 1

    response = client.post(inbox.url("qualify", conversation_id=conversation.pk))
    assert response.status_code == 400
    assert "already holds PARTNER" in response.content.decode()
    assert QualificationGrant.objects.filter(partnership=inbox.partnership).count() == 1


def test_change_qualifying_code_and_status(inbox, client_for, conversation):
    code = QualificationFactory(manufacturer=inbox.tenant, code="PRO-AV")
    foreign_code = QualificationFactory(manufacturer=inbox.other, code="FOREIGN")
    client = client_for(inbox.owner)
    response = client.post(
        inbox.url("qualifying", conversation_id=conversation.pk),
        {"qualification": foreign_code.pk, "status": "qualified"},
    )
    assert response.status_code == 400
    assert not QualificationGrant.objects.exists()

    response = client.post(
        inbox.url("qualifying", conversation_id=conversation.pk),
        {"qualification": code.pk, "status": "not_qualified"},
    )
    assert response.status_code == 302
    assert QualificationGrant.objects.filter(qualification=code).count() == 1
    inbox.partnership.refresh_from_db()
    assert inbox.partnership.qualifying_status == QualifyingStatus.NOT_QUALIFIED


def test_delete_the_conversation_deletes_all_its_messages(inbox, client_for, conversation):
    staff_reply(conversation=conversation, author=inbox.manager, body="x")
    comment_add(conversation=conversation, author=inbox.manager, body="y")
    client = client_for(inbox.owner)
    detail = client.get(inbox.url("detail", conversation_id=conversation.pk)).content.decode()
    assert "deleted permanently" in detail

    response = client.post(inbox.url("delete", conversation_id=conversation.pk), follow=True)
    assert response.status_code == 200
    assert "its 2 messages were deleted" in response.content.decode()
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert not Message.objects.filter(conversation_id=conversation.pk).exists()
    assert not StaffComment.objects.exists()
    assert client.post(inbox.url("delete", conversation_id=conversation.pk)).status_code == 404


def test_htmx_delete_removes_the_card(inbox, client_for, conversation):
    response = client_for(inbox.owner).post(
        inbox.url("delete", conversation_id=conversation.pk), {"view": "card"}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.content == b""
    assert "conversationsChanged" in response["HX-Trigger"]


def test_a_seller_may_not_qualify_or_delete(inbox, client_for, conversation):
    from salesreps.services import portfolio_assign

    portfolio_assign(
        manufacturer=inbox.tenant, partnership=inbox.partnership, rep=inbox.seller, by=inbox.owner
    )
    client = client_for(inbox.seller)
    assert client.post(inbox.url("qualify", conversation_id=conversation.pk)).status_code == 403
    assert client.post(inbox.url("delete", conversation_id=conversation.pk)).status_code == 403
    message = conversation.messages.get()
    assert client.post(inbox.url("message_delete", message_id=message.pk)).status_code == 403
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    # a rep triages their own customers
    assert client.post(inbox.url("mark_done", conversation_id=conversation.pk)).status_code == 302


def test_a_reseller_user_cannot_use_staff_actions(inbox, client_for, conversation):
    client = client_for(inbox.reseller_user)
    message = conversation.messages.get()
    assert client.post(inbox.url("mark_done", conversation_id=conversation.pk)).status_code == 404
    assert (
        client.post(
            inbox.url("comment", conversation_id=conversation.pk), {"body": "hi"}
        ).status_code
        == 404
    )
    assert (
        client.post(inbox.url("message_emoji", message_id=message.pk), {"emoji": "✅"}).status_code
        == 404
    )
    conversation.refresh_from_db()
    assert conversation.mark == ""
    assert not StaffComment.objects.exists()


def test_another_manufacturer_gets_404_on_every_action(inbox, client_for, conversation):
    client = client_for(inbox.other_manager)
    for name in ("reply", "comment", "mark_done", "unmark", "qualify", "qualifying", "delete"):
        response = client.post(
            inbox.url(name, tenant=inbox.other, conversation_id=conversation.pk), {"body": "x"}
        )
        assert response.status_code == 404, name
    assert Conversation.objects.filter(pk=conversation.pk, mark="").exists()
    assert conversation.messages.count() == 1


def test_actions_are_post_only(inbox, client_for, conversation):
    client = client_for(inbox.manager)
    assert client.get(inbox.url("mark_done", conversation_id=conversation.pk)).status_code == 405
    assert client.get(inbox.url("delete", conversation_id=conversation.pk)).status_code == 405


def test_deleting_a_conversation_withdraws_its_notifications_and_pending_emails(
    inbox, client_for, monkeypatch
):
    # The broker is down: the emails stay pending in the outbox, as after a slow commit.
    monkeypatch.setattr(email_deliver_task, "delay", lambda *args, **kwargs: None)
    doomed = start(inbox.partnership, author=inbox.reseller_user)
    reseller_reply(conversation=doomed, author=inbox.reseller_user, body="Any news?")
    kept = start(inbox.partnership, body="And the AX-300?", author=inbox.reseller_user)
    elsewhere = start(inbox.foreign_partnership, author=inbox.reseller_user)
    topic = f"conversation:{doomed.pk}"
    assert Notification.objects.filter(topic=topic).count() == 4  # 2 messages x 2 staff
    assert OutboxEmail.objects.filter(topic=topic, status=OutboxStatus.PENDING).count() == 4
    already_sent = OutboxEmail.objects.filter(topic=topic).order_by("pk").first()
    OutboxEmail.objects.filter(pk=already_sent.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now()
    )

    response = client_for(inbox.owner).post(inbox.url("delete", conversation_id=doomed.pk))

    assert response.status_code == 302
    assert not Notification.objects.filter(topic=topic).exists()
    statuses = list(OutboxEmail.objects.filter(topic=topic).values_list("status", flat=True))
    assert sorted(statuses) == [OutboxStatus.CANCELLED] * 3 + [OutboxStatus.SENT]
    for other in (kept, elsewhere):
        other_topic = f"conversation:{other.pk}"
        assert Notification.objects.filter(topic=other_topic).exists()
        assert (
            not OutboxEmail.objects.filter(topic=other_topic)
            .exclude(status=OutboxStatus.PENDING)
            .exists()
        )

    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    outbox_flush()
    assert not any(f"/communications/{doomed.pk}/" in m.body for m in mail.outbox)
    assert any(f"/communications/{kept.pk}/" in m.body for m in mail.outbox)
