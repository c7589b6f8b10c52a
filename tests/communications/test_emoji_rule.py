"""The emoji rule as the manual means it: an emoji marks a conversation done for the team and
answers nothing; a staff message written with an emoji is an internal answer; a staff message
once delivered (the reseller was told of it or read it) is never hidden from them again;
removing every emoji returns the conversation to New Leads unless it is done."""

import pytest

from communications.models import Conversation, Message, MessageKind
from communications.services.conversations import reseller_reply, staff_reply
from communications.services.marks import (
    conversation_mark_done,
    conversation_unmark,
    message_set_emoji,
)
from notifications.models import Notification, NotificationChannel, NotificationKind, OutboxEmail
from tests.communications.conftest import start
from tests.notifications.factories import NotificationPreferenceFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def conversation(inbox):
    return start(inbox.partnership, body="Is the AX-200 in stock?", author=inbox.reseller_user)


def reseller_sees(client, inbox, conversation) -> str:
    response = client.get(inbox.reseller_url("detail", conversation_id=conversation.pk))
    assert response.status_code == 200
    return response.content.decode()


def mark(conversation: Conversation) -> str:
    conversation.refresh_from_db()
    return conversation.mark


def test_an_undelivered_internal_answer_stays_hidden_and_tells_nobody(
    inbox, conversation, client_for
):
    staff_reply(conversation=conversation, author=inbox.manager, body="Called them.", emoji="👍")
    message = conversation.messages.get(kind=MessageKind.STAFF)
    assert message.delivered_at is None
    assert not Notification.objects.filter(kind=NotificationKind.STAFF_REPLIED).exists()
    assert "Called them." not in reseller_sees(client_for(inbox.reseller_user), inbox, conversation)
    # Reading the thread did not deliver what it did not show.
    message.refresh_from_db()
    assert message.delivered_at is None
    assert mark(conversation) == "👍"


def test_a_delivered_reply_stays_visible_whatever_emoji_it_gets(inbox, conversation, client_for):
    reply = staff_reply(conversation=conversation, author=inbox.manager, body="In stock Monday.")
    reply.refresh_from_db()
    assert reply.delivered_at is not None  # the reseller was told (in the portal and by email)
    assert OutboxEmail.objects.filter(
        kind=NotificationKind.STAFF_REPLIED, recipient=inbox.reseller_user.email
    ).exists()
    response = client_for(inbox.manager).post(
        inbox.url("message_emoji", message_id=reply.pk),
        {"emoji": "👍", "view": "detail"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "already delivered" in response.content.decode()
    assert mark(conversation) == "👍"  # done for the team
    assert "In stock Monday." in reseller_sees(client_for(inbox.reseller_user), inbox, conversation)


def test_a_reply_the_reseller_read_is_delivered_even_when_nobody_was_told(
    inbox, conversation, client_for
):
    NotificationPreferenceFactory(
        user=inbox.reseller_user,
        manufacturer=inbox.tenant,
        kind=NotificationKind.STAFF_REPLIED,
        channel=NotificationChannel.OFF,
    )
    reply = staff_reply(conversation=conversation, author=inbox.manager, body="Ships Tuesday.")
    reply.refresh_from_db()
    assert reply.delivered_at is None
    reseller = client_for(inbox.reseller_user)
    assert "Ships Tuesday." in reseller_sees(reseller, inbox, conversation)
    reply.refresh_from_db()
    assert reply.delivered_at is not None
    message_set_emoji(message=reply, emoji="🔥")
    assert "Ships Tuesday." in reseller_sees(reseller, inbox, conversation)


def test_a_reply_nobody_was_told_of_or_read_can_still_be_held_back(inbox, conversation, client_for):
    NotificationPreferenceFactory(
        user=inbox.reseller_user,
        manufacturer=inbox.tenant,
        kind=NotificationKind.STAFF_REPLIED,
        channel=NotificationChannel.OFF,
    )
    reply = staff_reply(conversation=conversation, author=inbox.manager, body="Wrong price list")
    message_set_emoji(message=reply, emoji="❗")
    assert "Wrong price list" not in reseller_sees(
        client_for(inbox.reseller_user), inbox, conversation
    )


def test_removing_the_emoji_of_an_internal_answer_sends_it_to_the_reseller(
    inbox, conversation, client_for
):
    internal = staff_reply(conversation=conversation, author=inbox.manager, body="Yes!", emoji="👍")
    response = client_for(inbox.manager).post(
        inbox.url("message_emoji", message_id=internal.pk), {"emoji": "", "view": "detail"}
    )
    assert response.status_code == 302
    internal.refresh_from_db()
    assert internal.delivered_at is not None
    assert Notification.objects.filter(
        user=inbox.reseller_user, kind=NotificationKind.STAFF_REPLIED
    ).exists()
    assert "Yes!" in reseller_sees(client_for(inbox.reseller_user), inbox, conversation)
    assert mark(conversation) == ""


def test_last_rounds_marks_never_re_mark_the_conversation(inbox, conversation):
    staff_reply(conversation=conversation, author=inbox.manager, body="Noted", emoji="👍")
    assert mark(conversation) == "👍"
    again = reseller_reply(conversation=conversation, author=inbox.reseller_user, body="And?")
    assert mark(conversation) == ""  # a new lead again
    message_set_emoji(message=again, emoji="🔥")
    assert mark(conversation) == "🔥"
    message_set_emoji(message=again, emoji="")
    assert mark(conversation) == ""  # not 👍 from the last round


def test_back_to_new_leads_stays_there_after_an_emoji_is_added_and_removed(inbox, conversation):
    staff_reply(conversation=conversation, author=inbox.manager, body="Internal", emoji="👍")
    conversation_unmark(conversation=conversation)
    assert mark(conversation) == ""
    first = conversation.messages.get(kind=MessageKind.RESELLER)
    message_set_emoji(message=first, emoji="🔥")
    assert mark(conversation) == "🔥"
    message_set_emoji(message=first, emoji="")
    assert mark(conversation) == ""
    # The internal answer stayed internal.
    assert conversation.messages.get(kind=MessageKind.STAFF).is_hidden_from_reseller


def test_a_done_conversation_stays_done_when_another_emoji_comes_and_goes(inbox, conversation):
    reply = staff_reply(conversation=conversation, author=inbox.manager, body="Done by phone")
    conversation_mark_done(conversation=conversation)
    assert mark(conversation) == "✅"
    message_set_emoji(message=reply, emoji="🔥")
    assert mark(conversation) == "✅"  # done wins
    message_set_emoji(message=reply, emoji="")
    assert mark(conversation) == "✅"
    # Removing ✅ itself: nothing marks it any more, so it is a new lead.
    done = conversation.messages.get(emoji="✅")
    message_set_emoji(message=done, emoji="")
    assert mark(conversation) == ""


def test_the_pages_say_what_the_reseller_will_see(inbox, conversation, client_for):
    delivered = staff_reply(conversation=conversation, author=inbox.manager, body="Sent")
    staff_reply(conversation=conversation, author=inbox.manager, body="Note", emoji="⭐")
    client = client_for(inbox.manager)
    page = client.get(inbox.url("detail", conversation_id=conversation.pk)).content.decode()
    assert "the reseller will not see this" in page  # the reply form's emoji choices
    assert 'data-testid="delivered"' in page
    assert 'data-testid="internal"' in page
    assert "Removing the emoji sends this message to the reseller." in page
    cards = client.get(inbox.url("inbox") + "?tab=marked").content.decode()
    assert f'id="message-{delivered.pk}"' in cards
    assert "Already delivered" in cards


@pytest.mark.parametrize("emoji", ["🦄", "x", "✅✅", "\x00"])
def test_an_unknown_emoji_is_refused_and_changes_nothing(inbox, conversation, client_for, emoji):
    message = conversation.messages.get()
    response = client_for(inbox.manager).post(
        inbox.url("message_emoji", message_id=message.pk), {"emoji": emoji}
    )
    assert response.status_code == 400
    assert "Unknown emoji" in response.content.decode()
    message.refresh_from_db()
    assert message.emoji == ""
    assert mark(conversation) == ""


@pytest.mark.parametrize("body", ["", "   ", "x" * 100_000])
def test_an_empty_or_100000_character_reply_is_refused(inbox, conversation, client_for, body):
    response = client_for(inbox.manager).post(
        inbox.url("reply", conversation_id=conversation.pk), {"body": body}, headers=HTMX
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "empty" in text or "too long" in text
    assert not Message.objects.filter(kind=MessageKind.STAFF).exists()
    assert not Notification.objects.filter(kind=NotificationKind.STAFF_REPLIED).exists()


def test_a_null_byte_in_the_inbox_search_is_no_500(inbox, conversation, client_for):
    response = client_for(inbox.manager).get(inbox.url("inbox"), {"q": "AX\x00-200"})
    assert response.status_code == 200
