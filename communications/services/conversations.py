"""Everything that changes conversations: messages, events, comments, marks, deletions.

A refused change raises `CommunicationRefused` (a ValidationError whose message is shown to
the user) and writes nothing. Forms carry a one-time `submission_key`; a second submission
of the same form raises `DuplicateSubmission` and changes nothing.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, User
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
from notifications.models import NotificationKind
from notifications.services import notify
from orders.visibility import VIEW_PARTNERSHIP
from qualifications.models import Qualification, QualificationGrant
from qualifications.services import (
    QualificationRefused,
    qualification_grant,
    qualifying_status_set,
)
from resellers.models import Partnership, QualifyingStatus


class CommunicationRefused(ValidationError):
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


def _lock(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _recompute_mark(conversation: Conversation) -> None:
    """The conversation's mark follows its newest marked message; none left, no mark."""
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


# --- who hears about a reseller's message --------------------------------------------------


def staff_recipients(partnership: Partnership) -> list[User]:
    """Owners and managers, and the sales rep whose portfolio holds this customer."""
    return list(
        User.objects.filter(
            Q(
                manufacturer_memberships__manufacturer_id=partnership.manufacturer_id,
                manufacturer_memberships__role__in=STAFF_ROLES,
            )
            | Q(
                manufacturer_memberships__manufacturer_id=partnership.manufacturer_id,
                partnershipuserobjectpermission__content_object_id=partnership.pk,
                partnershipuserobjectpermission__permission__codename=VIEW_PARTNERSHIP,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _notify_staff(*, conversation: Conversation, message: Message, kind: str, title: str) -> None:
    partnership = conversation.partnership
    url = reverse(
        "communications:detail",
        kwargs={
            "manufacturer_slug": partnership.manufacturer.slug,
            "conversation_id": conversation.pk,
        },
    )
    notify(
        users=staff_recipients(partnership),
        manufacturer=partnership.manufacturer,
        kind=kind,
        title=title,
        body=message.body[:1000],
        url=url,
    )


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
) -> Message:
    """Add a message. One from the reseller's side (`reopens`, by default a reseller's own
    message) makes a marked conversation a new lead again."""
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
                event=event,
                submission_key=submission_key,
                created_at=now,
            )
    except IntegrityError as error:
        raise DuplicateSubmission(_("This was already sent; it was not sent twice.")) from error
    conversation.last_message_at = now
    fields = ["last_message_at"]
    if reopens and conversation.mark:
        # The reseller wrote again: the conversation is a new lead until staff triage it.
        conversation.mark = ""
        conversation.marked_at = None
        fields += ["mark", "marked_at"]
    elif emoji:
        conversation.mark = emoji
        conversation.marked_at = now
        fields += ["mark", "marked_at"]
    conversation.save(update_fields=fields)
    return message


def _check_duplicate(model, conversation: Conversation, submission_key) -> None:
    if (
        submission_key is not None
        and model.objects.filter(conversation=conversation, submission_key=submission_key).exists()
    ):
        raise DuplicateSubmission(_("This was already sent; it was not sent twice."))


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
    if submission_key is not None:
        existing = (
            Message.objects.filter(
                conversation__partnership=partnership, submission_key=submission_key
            )
            .select_related("conversation")
            .first()
        )
        if existing is not None:
            raise DuplicateSubmission(_("This was already sent; it was not sent twice."))
    conversation = Conversation.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        kind=kind,
        subject=(subject or "").strip()[:200],
        last_message_at=timezone.now(),
    )
    message = _add_message(
        conversation=conversation,
        kind=MessageKind.RESELLER,
        body=body,
        author=author,
        submission_key=submission_key,
    )
    _notify_staff(
        conversation=conversation,
        message=message,
        kind=NotificationKind.MESSAGE_RECEIVED,
        title=_("%(reseller)s started a conversation: %(type)s")
        % {"reseller": partnership.reseller.name, "type": conversation.get_kind_display()},
    )
    return conversation


@transaction.atomic
def reseller_reply(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    submission_key: uuid.UUID | None = None,
) -> Message:
    """A reseller user replies: the conversation becomes a new lead and staff are notified."""
    body = clean_body(body)
    conversation = _lock(conversation)
    _check_duplicate(Message, conversation, submission_key)
    message = _add_message(
        conversation=conversation,
        kind=MessageKind.RESELLER,
        body=body,
        author=author,
        submission_key=submission_key,
    )
    _notify_staff(
        conversation=conversation,
        message=message,
        kind=NotificationKind.MESSAGE_RECEIVED,
        title=_("%(reseller)s replied: %(type)s")
        % {
            "reseller": conversation.partnership.reseller.name,
            "type": conversation.get_kind_display(),
        },
    )
    return message


@transaction.atomic
def staff_reply(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    emoji: str = "",
    submission_key: uuid.UUID | None = None,
) -> Message:
    """Staff write in the conversation. With an emoji the message is done and stays internal:
    the reseller never sees a marked staff message."""
    body = clean_body(body)
    if emoji:
        clean_emoji(emoji)
    conversation = _lock(conversation)
    _check_duplicate(Message, conversation, submission_key)
    return _add_message(
        conversation=conversation,
        kind=MessageKind.STAFF,
        body=body,
        author=author,
        emoji=emoji,
        submission_key=submission_key,
    )


@transaction.atomic
def conversation_log_event(
    *,
    partnership: Partnership,
    event: str,
    body: str,
    kind: str = ConversationType.QUALIFICATION,
    actor: User | None = None,
    from_reseller: bool = False,
) -> Message:
    """Log something the system did (a qualification requested, granted, revoked; a
    qualifying status changed) in the partnership's latest conversation of that type,
    opening one if there is none. An event from the reseller's side (a request) makes the
    conversation a new lead again and notifies staff."""
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
            subject=ConversationType(kind).label,
            last_message_at=timezone.now(),
        )
    message = _add_message(
        conversation=conversation,
        kind=MessageKind.EVENT,
        body=body[:MAX_BODY_LENGTH],
        author=actor,
        event=event,
        reopens=from_reseller,
    )
    if from_reseller:
        _notify_staff(
            conversation=conversation,
            message=message,
            kind=NotificationKind.QUALIFICATION_REQUESTED,
            title=_("%(reseller)s: %(type)s")
            % {"reseller": partnership.reseller.name, "type": conversation.get_kind_display()},
        )
    return message


# --- staff triage --------------------------------------------------------------------------


@transaction.atomic
def comment_add(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    submission_key: uuid.UUID | None = None,
) -> StaffComment:
    """A staff note on the conversation; never shown to the reseller."""
    body = clean_body(body)
    conversation = _lock(conversation)
    _check_duplicate(StaffComment, conversation, submission_key)
    try:
        with transaction.atomic():
            return StaffComment.objects.create(
                manufacturer_id=conversation.manufacturer_id,
                conversation=conversation,
                author=author,
                body=body,
                submission_key=submission_key,
                created_at=timezone.now(),
            )
    except IntegrityError as error:
        raise DuplicateSubmission(_("This was already sent; it was not sent twice.")) from error


@transaction.atomic
def message_set_emoji(*, message: Message, emoji: str) -> Message:
    """Assign an emoji from the palette to a message ("" removes it); the conversation's
    mark follows."""
    if emoji:
        clean_emoji(emoji)
    conversation = _lock(message.conversation)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.emoji == emoji:
        raise CommunicationRefused(
            _("The message already has %(emoji)s.") % {"emoji": emoji}
            if emoji
            else _("The message has no emoji to remove.")
        )
    message.emoji = emoji
    message.save(update_fields=["emoji"])
    _recompute_mark(conversation)
    return message


@transaction.atomic
def message_delete(*, message: Message) -> None:
    conversation = _lock(message.conversation)
    deleted, _counts = Message.objects.filter(pk=message.pk).delete()
    if not deleted:
        raise CommunicationRefused(_("This message was already deleted."))
    _recompute_mark(conversation)


@transaction.atomic
def conversation_mark_done(*, conversation: Conversation) -> Conversation:
    """Assign ✅ in one click. It goes on the newest message from the reseller (or the
    system), never on a staff reply, which would then be hidden from the reseller."""
    conversation = _lock(conversation)
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
    conversation = _lock(conversation)
    if not conversation.mark and not conversation.messages.exclude(emoji="").exists():
        raise CommunicationRefused(_("This conversation is not marked."))
    Message.objects.filter(conversation=conversation).exclude(kind=MessageKind.STAFF).update(
        emoji=""
    )
    _recompute_mark(conversation)
    if conversation.mark:
        conversation.mark = ""
        conversation.marked_at = None
        conversation.save(update_fields=["mark", "marked_at"])
    return conversation


@transaction.atomic
def conversation_delete(*, conversation: Conversation) -> int:
    """Delete the conversation with all its messages and comments, permanently."""
    locked = Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    if locked is None:
        raise CommunicationRefused(_("This conversation was already deleted."))
    count = Message.objects.filter(conversation=locked).count()
    locked.delete()
    return count


# --- qualifying from the inbox -------------------------------------------------------------


def default_qualification(manufacturer) -> Qualification | None:
    return Qualification.objects.filter(manufacturer=manufacturer, is_default=True).first()


@transaction.atomic
def conversation_qualify(*, conversation: Conversation, user: User) -> str:
    """ "Qualify 👍": grant the default qualifying code and set the status to qualified.

    Returns a summary of what changed. Refuses (changing nothing) when there is no default
    qualification, or the reseller already holds it and is already qualified.
    """
    partnership = conversation.partnership
    qualification = default_qualification(partnership.manufacturer)
    if qualification is None:
        raise CommunicationRefused(
            _(
                "There is no default qualifying code. Mark one qualification as the default "
                "on the Qualifications page first."
            )
        )
    done = []
    try:
        qualification_grant(
            partnership=partnership,
            qualification=qualification,
            granted_by=user,
            reason=_("Qualified from the communications inbox"),
        )
        done.append(_("granted %(code)s") % {"code": qualification.code})
    except QualificationRefused:
        pass  # already held; the status may still need setting
    partnership.refresh_from_db(fields=["qualifying_status"])
    if partnership.qualifying_status != QualifyingStatus.QUALIFIED:
        qualifying_status_set(
            partnership=partnership,
            status=QualifyingStatus.QUALIFIED,
            changed_by=user,
            reason=_("Qualified from the communications inbox"),
        )
        done.append(_("set the status to qualified"))
    if not done:
        raise CommunicationRefused(
            _("%(reseller)s already holds %(code)s and is qualified.")
            % {"reseller": partnership.reseller.name, "code": qualification.code}
        )
    return ", ".join(done)


@transaction.atomic
def qualifying_update(
    *,
    partnership: Partnership,
    qualification: Qualification | None,
    status: str,
    user: User,
) -> str:
    """ "More actions": grant a qualifying code (if not held) and set the qualifying status.
    All or nothing; refuses when there is nothing to change."""
    done = []
    if (
        qualification is not None
        and not QualificationGrant.objects.filter(
            partnership=partnership, qualification=qualification, revoked_at__isnull=True
        ).exists()
    ):
        qualification_grant(partnership=partnership, qualification=qualification, granted_by=user)
        done.append(_("granted %(code)s") % {"code": qualification.code})
    partnership.refresh_from_db(fields=["qualifying_status"])
    if status != partnership.qualifying_status:
        qualifying_status_set(partnership=partnership, status=status, changed_by=user)
        done.append(
            _("qualifying status set to %(status)s") % {"status": QualifyingStatus(status).label}
        )
    if not done:
        raise CommunicationRefused(_("Nothing to change: the reseller already has that."))
    return ", ".join(done)
