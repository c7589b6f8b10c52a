"""Staff triage: emoji marks on messages, "mark as done" and back to New Leads.

A conversation's mark follows its newest marked message (`recompute_mark`); marked staff
messages stay hidden from the reseller.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communications.models import DONE_EMOJI, Conversation, Message, MessageKind
from communications.services.conversations import (
    CommunicationRefused,
    clean_emoji,
    lock_conversation,
)


def recompute_mark(conversation: Conversation) -> None:
    """The conversation's mark follows its newest marked message; none left, no mark.
    Call with the conversation locked (`lock_conversation`)."""
    latest = (
        Message.objects.filter(conversation=conversation)
        .exclude(emoji="")
        .order_by("-created_at", "-pk")
        .values_list("emoji", flat=True)
        .first()
    )
    has_messages = Message.objects.filter(conversation=conversation).exists()
    if latest:
        conversation.mark = latest
    elif has_messages:
        conversation.mark = ""
    # A conversation without messages keeps a mark set on the conversation itself.
    conversation.marked_at = timezone.now() if conversation.mark else None
    conversation.save(update_fields=["mark", "marked_at"])


@transaction.atomic
def message_set_emoji(*, message: Message, emoji: str) -> Message:
    """Assign an emoji from the palette to a message ("" removes it); the conversation's
    mark follows."""
    if emoji:
        clean_emoji(emoji)
    conversation = lock_conversation(message.conversation)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.emoji == emoji:
        raise CommunicationRefused(
            _("The message already has %(emoji)s.") % {"emoji": emoji}
            if emoji
            else _("The message has no emoji to remove.")
        )
    message.emoji = emoji
    message.save(update_fields=["emoji"])
    recompute_mark(conversation)
    return message


@transaction.atomic
def conversation_mark_done(*, conversation: Conversation) -> Conversation:
    """Assign ✅ in one click. It goes on the newest message from the reseller (or the
    system), never on a staff reply, which would then be hidden from the reseller."""
    conversation = lock_conversation(conversation)
    if conversation.mark == DONE_EMOJI:
        raise CommunicationRefused(_("This conversation is already marked as done."))
    target = (
        Message.objects.filter(conversation=conversation)
        .exclude(kind=MessageKind.STAFF)
        .order_by("-created_at", "-pk")
        .first()
    )
    now = timezone.now()
    if target is not None:
        target.emoji = DONE_EMOJI
        target.save(update_fields=["emoji"])
    conversation.mark = DONE_EMOJI
    conversation.marked_at = now
    conversation.save(update_fields=["mark", "marked_at"])
    return conversation


@transaction.atomic
def conversation_unmark(*, conversation: Conversation) -> Conversation:
    """Back to New Leads: the marks on the conversation and its messages are removed,
    so marked staff messages become visible to the reseller again."""
    conversation = lock_conversation(conversation)
    if not conversation.mark and not conversation.messages.exclude(emoji="").exists():
        raise CommunicationRefused(_("This conversation is not marked."))
    Message.objects.filter(conversation=conversation).exclude(kind=MessageKind.STAFF).update(
        emoji=""
    )
    recompute_mark(conversation)
    if conversation.mark:
        conversation.mark = ""
        conversation.marked_at = None
        conversation.save(update_fields=["mark", "marked_at"])
    return conversation
