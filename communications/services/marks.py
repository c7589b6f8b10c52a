"""Staff triage: emoji marks on messages, "mark as done" and back to New Leads.

An emoji marks the conversation done for the team and answers nothing. The conversation's
mark follows the marks of the current round (`recompute_mark`: the marks given since the
reseller's side last wrote or staff sent it back to New Leads, `Conversation.reopened_at`),
✅ winning; a round without marks
is a new lead again, unless it was marked done. A staff message that carries an emoji and
was never delivered stays internal; a delivered one stays visible to the reseller, whatever
emoji it gets.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communications.models import DONE_EMOJI, Conversation, Message, MessageKind
from communications.services.conversations import (
    CommunicationRefused,
    clean_emoji,
    lock_conversation,
    message_deliver,
)


def current_marks(conversation: Conversation) -> QuerySet[Message]:
    """The conversation's messages marked in the current round, that is since the
    reseller's side last wrote or staff sent it back to New Leads (all if never)."""
    rows = Message.objects.filter(conversation=conversation).exclude(emoji="")
    if conversation.reopened_at is not None:
        rows = rows.filter(marked_at__gte=conversation.reopened_at)
    return rows


def recompute_mark(conversation: Conversation, *, keep_done: bool = True) -> None:
    """The conversation's mark follows the current round's marks (✅ first, else the newest
    one). With none left it is a new lead again, unless it is done and `keep_done` (the
    mark removed was not ✅ itself). Call with the conversation locked."""
    marks = list(
        current_marks(conversation).order_by("-marked_at", "-pk").values_list("emoji", flat=True)
    )
    if DONE_EMOJI in marks:
        mark = DONE_EMOJI
    elif marks:
        mark = marks[0]
    elif keep_done and conversation.mark == DONE_EMOJI:
        mark = DONE_EMOJI
    else:
        mark = ""
    if mark != conversation.mark:
        conversation.mark = mark
        conversation.marked_at = timezone.now() if mark else None
        conversation.save(update_fields=["mark", "marked_at"])


@transaction.atomic
def message_set_emoji(*, message: Message, emoji: str) -> Message:
    """Assign an emoji from the palette to a message ("" removes it); the conversation's
    mark follows. An undelivered staff message whose emoji is removed becomes a reply the
    reseller reads, and they are told of it."""
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
    previous = message.emoji
    message.emoji = emoji
    message.marked_at = timezone.now() if emoji else None
    message.save(update_fields=["emoji", "marked_at"])
    if (
        not emoji
        and message.kind == MessageKind.STAFF
        and message.delivered_at is None
        and message.event == ""
    ):
        message_deliver(conversation=conversation, message=message)
    recompute_mark(conversation, keep_done=previous != DONE_EMOJI)
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
        target.marked_at = now
        target.save(update_fields=["emoji", "marked_at"])
    conversation.mark = DONE_EMOJI
    conversation.marked_at = now
    conversation.save(update_fields=["mark", "marked_at"])
    return conversation


@transaction.atomic
def conversation_unmark(*, conversation: Conversation) -> Conversation:
    """Back to New Leads: the marks of the reseller's and the system's messages are removed
    and a new round begins, so no older mark re-marks the conversation. Internal staff
    answers (never delivered) stay internal; delivered ones stay visible, as always."""
    conversation = lock_conversation(conversation)
    if not conversation.mark:
        raise CommunicationRefused(_("This conversation is not marked."))
    Message.objects.filter(conversation=conversation).exclude(kind=MessageKind.STAFF).update(
        emoji="", marked_at=None
    )
    conversation.mark = ""
    conversation.marked_at = None
    conversation.reopened_at = timezone.now()
    conversation.save(update_fields=["mark", "marked_at", "reopened_at"])
    return conversation
