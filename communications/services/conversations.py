"""Conversations and their messages: a reseller opens one or replies, staff reply, the system
logs events. The rules every change of a conversation follows live here too: what a message
body may be, the emoji palette, the row lock, and one submission per form.

A refused change raises `CommunicationRefused` (a ValidationError whose message is shown to
the user) and writes nothing. Forms carry a one-time `submission_key`; a second submission
of the same form raises `DuplicateSubmission` and changes nothing.

The other changes sit beside this module: marks.py (emoji marks, done, unmark),
comments.py (staff comments), deletion.py, qualifying.py (qualifying from the inbox) and
notifications.py (who hears about a reseller's message).
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from channel.models import Partnership
from communications import hooks
from communications.models import (
    DONE_EMOJI,
    EMOJI_PALETTE,
    MAX_BODY_LENGTH,
    Conversation,
    ConversationType,
    Message,
    MessageKind,
    StaffComment,
)
from communications.services.notifications import notify_reseller_of_reply, notify_staff
from core.exceptions import DomainRefused
from notifications.models import NotificationKind
from qualifications.models import QualificationRequest

# The conversation a staff action was clicked in: the events it causes are logged there.
_acting_in: ContextVar[int | None] = ContextVar("communications_acting_in", default=None)


@contextmanager
def logging_into(conversation: Conversation) -> Iterator[None]:
    """Log the events of what runs inside (a grant, a status change) into `conversation`
    (when it belongs to the partnership they are about), not the latest one of its type."""
    token = _acting_in.set(conversation.pk)
    try:
        yield
    finally:
        _acting_in.reset(token)


class CommunicationRefused(DomainRefused):
    """The change breaks a rule; the message says which, and nothing was changed."""


class DuplicateSubmission(CommunicationRefused):
    """The same form was submitted twice; the first submission stands."""


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommunicationRefused(_("Write a message first: it is empty."))
    if len(body) > MAX_BODY_LENGTH:
        raise CommunicationRefused(
            _("The message is too long: at most %(max)d characters, this one has %(n)d.")
            % {"max": MAX_BODY_LENGTH, "n": len(body)}
        )
    return body


def clean_emoji(emoji: str) -> str:
    if emoji not in EMOJI_PALETTE:
        raise CommunicationRefused(
            _("Unknown emoji. Choose one of %(palette)s.") % {"palette": " ".join(EMOJI_PALETTE)}
        )
    return emoji


class ConversationGone(Http404):
    """The conversation was deleted after the page read it (a reply racing a delete): the
    same 404 as a conversation that never existed."""


def lock_conversation(conversation: Conversation) -> Conversation:
    """The conversation row, locked until the transaction ends (call inside one); raises
    ConversationGone when it was deleted meanwhile."""
    locked = Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    if locked is None:
        raise ConversationGone
    return locked


def refuse_duplicate(
    model: type[Message] | type[StaffComment],
    conversation: Conversation,
    submission_key: uuid.UUID | None,
) -> None:
    """Refuse a form submitted a second time (its `submission_key` is already stored)."""
    if (
        submission_key is not None
        and model.objects.filter(conversation=conversation, submission_key=submission_key).exists()
    ):
        raise DuplicateSubmission(_("This was already sent; it was not sent twice."))


# --- messages ------------------------------------------------------------------------------


def _add_message(
    *,
    conversation: Conversation,
    kind: str,
    body: str,
    author: User | None = None,
    emoji: str = "",
    event: str = "",
    submission_key: uuid.UUID | None = None,
    reopens: bool | None = None,
    qualification_request: QualificationRequest | None = None,
) -> Message:
    """Add a message. One from the reseller's side (`reopens`, by default a reseller's own
    message) makes a marked conversation a new lead again and starts a new round of triage:
    the marks given before it no longer count."""
    if reopens is None:
        reopens = kind == MessageKind.RESELLER
    now = timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                manufacturer_id=conversation.manufacturer_id,
                conversation=conversation,
                kind=kind,
                author=author,
                body=body,
                emoji=emoji,
                marked_at=now if emoji else None,
                event=event,
                qualification_request=qualification_request,
                submission_key=submission_key,
                created_at=now,
            )
    except IntegrityError as error:
        raise DuplicateSubmission(_("This was already sent; it was not sent twice.")) from error
    conversation.last_message_at = now
    fields = ["last_message_at"]
    if reopens and conversation.awaiting_since is None:
        conversation.awaiting_since = now
        fields.append("awaiting_since")
    elif kind == MessageKind.STAFF and not emoji and conversation.awaiting_since is not None:
        # A reply the reseller reads answers the wait: its length is the response time.
        message.answered_after = now - conversation.awaiting_since
        message.save(update_fields=["answered_after"])
        conversation.awaiting_since = None
        fields.append("awaiting_since")
    if reopens:
        # The reseller wrote again: the conversation is a new lead until staff triage it.
        conversation.reopened_at = now
        conversation.mark = ""
        conversation.marked_at = None
        fields += ["reopened_at", "mark", "marked_at"]
    elif emoji and conversation.mark != DONE_EMOJI:
        conversation.mark = emoji
        conversation.marked_at = now
        fields += ["mark", "marked_at"]
    conversation.save(update_fields=fields)
    return message


@transaction.atomic
def conversation_start(
    *,
    partnership: Partnership,
    kind: str,
    subject: str,
    body: str,
    author: User,
    submission_key: uuid.UUID | None = None,
) -> Conversation:
    """A reseller user opens a conversation; the staff who want it are notified."""
    body = clean_body(body)
    if kind not in ConversationType.values:
        raise CommunicationRefused(_("Unknown conversation type."))
    duplicate = DuplicateSubmission(_("This was already sent; it was not sent twice."))
    if (
        submission_key is not None
        and Conversation.objects.filter(
            manufacturer_id=partnership.manufacturer_id, submission_key=submission_key
        ).exists()
    ):
        raise duplicate
    try:
        # A twin submitted at the same moment waits here on the unique key until the first
        # commits, then fails: one conversation, one notification.
        with transaction.atomic():
            conversation = Conversation.objects.create(
                manufacturer_id=partnership.manufacturer_id,
                partnership=partnership,
                kind=kind,
                subject=(subject or "").strip()[:200],
                last_message_at=timezone.now(),
                submission_key=submission_key,
            )
    except IntegrityError as error:
        raise duplicate from error
    message = _add_message(
        conversation=conversation,
        kind=MessageKind.RESELLER,
        body=body,
        author=author,
        submission_key=submission_key,
    )
    notify_staff(
        conversation=conversation,
        message=message,
        kind=NotificationKind.MESSAGE_RECEIVED,
        title=lambda: (
            _("%(reseller)s started a conversation: %(type)s")
            % {"reseller": partnership.reseller.name, "type": str(conversation.get_kind_display())}
        ),
    )
    hooks.message_received.send(conversation=conversation, message=message, started=True)
    return conversation


@transaction.atomic
def reseller_reply(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    submission_key: uuid.UUID | None = None,
    files: "list[tuple[UploadedFile, str]] | None" = None,
) -> Message:
    """A reseller user replies: the conversation becomes a new lead and staff are notified."""
    body = clean_body(body)
    conversation = lock_conversation(conversation)
    refuse_duplicate(Message, conversation, submission_key)
    message = _add_message(
        conversation=conversation,
        kind=MessageKind.RESELLER,
        body=body,
        author=author,
        submission_key=submission_key,
    )
    if files:
        _attach(message, files)
    notify_staff(
        conversation=conversation,
        message=message,
        kind=NotificationKind.MESSAGE_RECEIVED,
        title=lambda: (
            _("%(reseller)s replied: %(type)s")
            % {
                "reseller": conversation.partnership.reseller.name,
                "type": conversation.get_kind_display(),
            }
        ),
    )
    hooks.message_received.send(conversation=conversation, message=message, started=False)
    return message


@transaction.atomic
def staff_reply(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    emoji: str = "",
    submission_key: uuid.UUID | None = None,
    files: "list[tuple[UploadedFile, str]] | None" = None,
) -> Message:
    """Staff write in the conversation. With an emoji the message is done and stays internal:
    the reseller never sees a marked staff message."""
    body = clean_body(body)
    if emoji:
        clean_emoji(emoji)
    conversation = lock_conversation(conversation)
    refuse_duplicate(Message, conversation, submission_key)
    message = _add_message(
        conversation=conversation,
        kind=MessageKind.STAFF,
        body=body,
        author=author,
        emoji=emoji,
        submission_key=submission_key,
    )
    if files:
        _attach(message, files)
    if not emoji:
        message_deliver(conversation=conversation, message=message)
    return message


def _attach(message: Message, files: "list[tuple[UploadedFile, str]]") -> None:
    from communications.services.team import attachments_add

    attachments_add(message=message, files=files)


def message_deliver(*, conversation: Conversation, message: Message) -> None:
    """A staff message the reseller can read: tell their users; once anyone was told, it is
    delivered and no emoji hides it again. (Nobody told: it is delivered when they read it.)"""
    if notify_reseller_of_reply(conversation=conversation, message=message):
        message.delivered_at = timezone.now()
        Message.objects.filter(pk=message.pk).update(delivered_at=message.delivered_at)


def messages_mark_delivered(*, message_ids: list[int]) -> int:
    """The reseller's thread showed these staff messages: they are delivered from now on."""
    return Message.objects.filter(
        pk__in=message_ids, kind=MessageKind.STAFF, delivered_at__isnull=True
    ).update(delivered_at=timezone.now())


@transaction.atomic
def conversation_log_event(
    *,
    partnership: Partnership,
    event: str,
    body: str,
    kind: str = ConversationType.QUALIFICATION,
    actor: User | None = None,
    from_reseller: bool = False,
    qualification_request: QualificationRequest | None = None,
) -> Message:
    """Log something the system did (a qualification requested, granted, revoked; a
    qualifying status changed) in the conversation the action was taken in
    (`logging_into`), else the partnership's latest conversation of that type, opening one
    if there is none. An event from the reseller's side (a request) makes the conversation
    a new lead again and notifies staff."""
    conversation = None
    acting_in = _acting_in.get()
    if acting_in is not None:
        conversation = (
            Conversation.objects.select_for_update()
            .filter(pk=acting_in, partnership=partnership)
            .first()
        )
    if conversation is None:
        conversation = (
            Conversation.objects.select_for_update()
            .filter(partnership=partnership, kind=kind)
            .order_by("-last_message_at", "-pk")
            .first()
        )
    if conversation is None:
        conversation = Conversation.objects.create(
            manufacturer_id=partnership.manufacturer_id,
            partnership=partnership,
            kind=kind,
            subject=str(ConversationType(kind).label),
            last_message_at=timezone.now(),
        )
    message = _add_message(
        conversation=conversation,
        kind=MessageKind.EVENT,
        body=body[:MAX_BODY_LENGTH],
        author=actor,
        event=event,
        reopens=from_reseller,
        qualification_request=qualification_request,
    )
    if from_reseller:
        notify_staff(
            conversation=conversation,
            message=message,
            kind=NotificationKind.QUALIFICATION_REQUESTED,
            title=lambda: (
                _("%(reseller)s: %(type)s")
                % {
                    "reseller": partnership.reseller.name,
                    "type": str(conversation.get_kind_display()),
                }
            ),
        )
    return message
