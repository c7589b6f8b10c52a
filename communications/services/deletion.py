"""Deleting a message (the conversation's mark follows) or a whole conversation, for good."""

from django.db import transaction
from django.utils.translation import gettext as _

from communications.models import DONE_EMOJI, Conversation, Message
from communications.services.conversations import CommunicationRefused, lock_conversation
from communications.services.marks import recompute_mark
from communications.services.notifications import conversation_topic
from notifications.services import notifications_withdraw


@transaction.atomic
def message_delete(*, message: Message) -> None:
    conversation = lock_conversation(message.conversation)
    deleted, _counts = Message.objects.filter(pk=message.pk).delete()
    if not deleted:
        raise CommunicationRefused(_("This message was already deleted."))
    recompute_mark(conversation, keep_done=message.emoji != DONE_EMOJI)


@transaction.atomic
def conversation_delete(*, conversation: Conversation) -> int:
    """Delete the conversation with all its messages and comments, permanently.

    Its notifications go too, and its emails not yet sent are cancelled: they would link to
    a page that no longer exists.
    """
    locked = Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    if locked is None:
        raise CommunicationRefused(_("This conversation was already deleted."))
    count = Message.objects.filter(conversation=locked).count()
    notifications_withdraw(
        manufacturer_id=locked.manufacturer_id, topic=conversation_topic(locked.pk)
    )
    locked.delete()
    return count
