"""Deleting a message (the conversation's mark follows) or a whole conversation, for good."""

from django.db import transaction
from django.utils.translation import gettext as _

from communications.models import Conversation, Message
from communications.services.conversations import CommunicationRefused, lock_conversation
from communications.services.marks import recompute_mark


@transaction.atomic
def message_delete(*, message: Message) -> None:
    conversation = lock_conversation(message.conversation)
    deleted, _counts = Message.objects.filter(pk=message.pk).delete()
    if not deleted:
        raise CommunicationRefused(_("This message was already deleted."))
    recompute_mark(conversation)


@transaction.atomic
def conversation_delete(*, conversation: Conversation) -> int:
    """Delete the conversation with all its messages and comments, permanently."""
    locked = Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    if locked is None:
        raise CommunicationRefused(_("This conversation was already deleted."))
    count = Message.objects.filter(conversation=locked).count()
    locked.delete()
    return count
