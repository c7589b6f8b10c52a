"""The team inbox: staff start conversations, assign them, read them (unread is per user),
act on many at once, save their views, and attach files to replies.

Bulk actions take the conversations the member may see (the caller resolves the ids through
`selectors.visible_conversations`); one id that is not among them refuses the whole action.
"""

import mimetypes
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ManufacturerMembership, User
from channel.models import Partnership
from communications.models import (
    DONE_EMOJI,
    Attachment,
    Conversation,
    ConversationRead,
    ConversationType,
    Message,
    MessageKind,
    SavedView,
)
from communications.selectors import assignable_members
from communications.services.conversations import (
    CommunicationRefused,
    DuplicateSubmission,
    _add_message,
    clean_body,
    clean_emoji,
    lock_conversation,
    message_deliver,
)
from communications.services.marks import conversation_mark_done, recompute_mark
from communications.services.notifications import conversation_topic
from notifications.models import NotificationKind
from notifications.services import notify

# What a reply may carry: a few files of common office and image types, each bounded.
ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ATTACHMENTS = 5
MAX_BULK = 100


def attachment_max_bytes() -> int:
    return int(settings.COMMUNICATIONS_ATTACHMENT_MAX_BYTES)


def clean_attachments(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Each file with its content type, or a refusal naming the first file that breaks a
    rule (too many, too large, empty, or of a type not accepted)."""
    if len(files) > MAX_ATTACHMENTS:
        raise CommunicationRefused(
            _("At most %(max)d files can go with one message.") % {"max": MAX_ATTACHMENTS}
        )
    cleaned = []
    limit = attachment_max_bytes()
    for upload in files:
        name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if extension not in ATTACHMENT_TYPES:
            raise CommunicationRefused(
                _("%(name)s is of a type that cannot be attached. Accepted: %(types)s.")
                % {"name": name or _("The file"), "types": ", ".join(sorted(ATTACHMENT_TYPES))}
            )
        if not upload.size:
            raise CommunicationRefused(_("%(name)s is empty.") % {"name": name})
        if upload.size > limit:
            raise CommunicationRefused(
                _("%(name)s is too large: at most %(max)s per file.")
                % {"name": name, "max": filesizeformat(limit)}
            )
        upload.name = name
        cleaned.append((upload, ATTACHMENT_TYPES[extension]))
    return cleaned


def attachments_add(*, message: Message, files: list[tuple[UploadedFile, str]]) -> list[Attachment]:
    """Store cleaned files with the message through the default storage."""
    return [
        Attachment.objects.create(
            manufacturer_id=message.manufacturer_id,
            message=message,
            file=upload,
            name=upload.name or "",
            size=upload.size or 0,
            content_type=content_type or mimetypes.guess_type(upload.name or "")[0] or "",
        )
        for upload, content_type in files
    ]


# --- starting a conversation from the manufacturer's side ----------------------------------


@transaction.atomic
def staff_conversation_start(
    *,
    partnership: Partnership,
    kind: str,
    subject: str,
    body: str,
    author: User,
    submission_key: uuid.UUID | None = None,
    files: list[tuple[UploadedFile, str]] | None = None,
) -> Conversation:
    """A team member writes to a partner first: the reseller is told, and the conversation
    waits for their answer (it is not a lead until they write)."""
    body = clean_body(body)
    if kind not in ConversationType.values:
        raise CommunicationRefused(_("Unknown conversation type."))
    if (
        submission_key is not None
        and Conversation.objects.filter(
            manufacturer_id=partnership.manufacturer_id, submission_key=submission_key
        ).exists()
    ):
        raise DuplicateSubmission(_("This was already sent; it was not sent twice."))
    now = timezone.now()
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                manufacturer_id=partnership.manufacturer_id,
                partnership=partnership,
                kind=kind,
                subject=(subject or "").strip()[:200],
                last_message_at=now,
                submission_key=submission_key,
                assignee=author,
            )
    except IntegrityError as error:
        raise DuplicateSubmission(_("This was already sent; it was not sent twice.")) from error
    message = _add_message(
        conversation=conversation, kind=MessageKind.STAFF, body=body, author=author
    )
    if files:
        attachments_add(message=message, files=files)
    message_deliver(conversation=conversation, message=message)
    conversation_mark_read(conversation=conversation, user=author)
    return conversation


# --- assignment ------------------------------------------------------------------------------


def _assignee_allowed(conversation: Conversation, assignee: User) -> bool:
    return any(
        member.user_id == assignee.pk
        for member in assignable_members(
            manufacturer_id=conversation.manufacturer_id, partnership_id=conversation.partnership_id
        )
    )


@transaction.atomic
def conversation_assign(
    *, conversation: Conversation, assignee: User | None, by: User, notify_assignee: bool = True
) -> bool:
    """Give the conversation to a team member who can see it (None: to nobody); the
    assignee is told unless they assigned it to themselves. False when nothing changed."""
    conversation = lock_conversation(conversation)
    if assignee is not None and not _assignee_allowed(conversation, assignee):
        raise CommunicationRefused(
            _("%(name)s cannot see this reseller's conversations, so it cannot be theirs.")
            % {"name": assignee.display_name}
        )
    if conversation.assignee_id == (assignee.pk if assignee else None):
        return False
    conversation.assignee = assignee
    conversation.save(update_fields=["assignee"])
    if assignee is not None and assignee.pk != by.pk and notify_assignee:
        partnership = conversation.partnership
        notify(
            users=[assignee],
            manufacturer=partnership.manufacturer,
            kind=NotificationKind.CONVERSATION_ASSIGNED,
            title=lambda: (
                _("%(by)s assigned you a conversation with %(reseller)s")
                % {"by": by.display_name, "reseller": partnership.reseller.name}
            ),
            body=lambda: conversation.subject or str(conversation.get_kind_display()),
            url=reverse(
                "communications_manufacturer:detail",
                kwargs={
                    "manufacturer_slug": partnership.manufacturer.slug,
                    "conversation_id": conversation.pk,
                },
            ),
            topic=conversation_topic(conversation.pk),
        )
    return True


# --- read state, per user --------------------------------------------------------------------


def conversation_mark_read(*, conversation: Conversation, user: User) -> None:
    ConversationRead.objects.update_or_create(
        conversation=conversation,
        user=user,
        defaults={"manufacturer_id": conversation.manufacturer_id, "read_at": timezone.now()},
    )


def conversation_mark_unread(*, conversation: Conversation, user: User) -> bool:
    deleted, _counts = ConversationRead.objects.filter(
        conversation=conversation, user=user
    ).delete()
    return bool(deleted)


# --- bulk actions ----------------------------------------------------------------------------


class BulkAction:
    DONE = "done"
    ASSIGN = "assign"
    EMOJI = "emoji"
    READ = "read"
    UNREAD = "unread"
    ALL = (DONE, ASSIGN, EMOJI, READ, UNREAD)


@dataclass(frozen=True)
class BulkResult:
    changed: int
    unchanged: int


def conversation_set_mark(*, conversation: Conversation, emoji: str) -> bool:
    """Mark the conversation with `emoji` as one click does: on its newest message from the
    reseller's side (never a staff reply, which it would hide). False when it already has it."""
    if emoji == DONE_EMOJI:
        if conversation.mark == DONE_EMOJI:
            return False
        conversation_mark_done(conversation=conversation)
        return True
    conversation = lock_conversation(conversation)
    target = (
        Message.objects.filter(conversation=conversation)
        .exclude(kind=MessageKind.STAFF)
        .order_by("-created_at", "-pk")
        .first()
    )
    if target is None:
        if conversation.mark == emoji:
            return False
        conversation.mark = emoji
        conversation.marked_at = timezone.now()
        conversation.save(update_fields=["mark", "marked_at"])
        return True
    if target.emoji == emoji:
        return False
    previous = target.emoji
    target.emoji = emoji
    target.marked_at = timezone.now()
    target.save(update_fields=["emoji", "marked_at"])
    recompute_mark(conversation, keep_done=previous != DONE_EMOJI)
    return True


@transaction.atomic
def conversations_bulk(
    *,
    conversations: list[Conversation],
    action: str,
    by: User,
    assignee: User | None = None,
    emoji: str = "",
) -> BulkResult:
    """One action on every selected conversation, all or nothing."""
    if action not in BulkAction.ALL:
        raise CommunicationRefused(_("Choose what to do with the selected conversations."))
    if not conversations:
        raise CommunicationRefused(_("Select at least one conversation first."))
    if len(conversations) > MAX_BULK:
        raise CommunicationRefused(
            _("Select at most %(max)d conversations at once.") % {"max": MAX_BULK}
        )
    if action == BulkAction.EMOJI:
        clean_emoji(emoji)
    changed = 0
    for conversation in sorted(conversations, key=lambda c: c.pk):  # one lock order
        if action == BulkAction.DONE:
            did = conversation_set_mark(conversation=conversation, emoji=DONE_EMOJI)
        elif action == BulkAction.EMOJI:
            did = conversation_set_mark(conversation=conversation, emoji=emoji)
        elif action == BulkAction.ASSIGN:
            did = conversation_assign(conversation=conversation, assignee=assignee, by=by)
        elif action == BulkAction.READ:
            conversation_mark_read(conversation=conversation, user=by)
            did = True
        else:
            did = conversation_mark_unread(conversation=conversation, user=by)
        changed += int(did)
    return BulkResult(changed=changed, unchanged=len(conversations) - changed)


# --- saved views -----------------------------------------------------------------------------


def saved_view_save(*, membership: ManufacturerMembership, name: str, query: str) -> SavedView:
    """Save (or overwrite, by name) the member's view of the inbox."""
    name = " ".join((name or "").split())[:60]
    if not name:
        raise CommunicationRefused(_("Name the view first."))
    view, _created = SavedView.objects.update_or_create(
        manufacturer_id=membership.manufacturer_id,
        user_id=membership.user_id,
        name=name,
        defaults={"query": query[:500]},
    )
    return view


def saved_view_delete(*, view: SavedView) -> None:
    view.delete()


def file_response(attachment: Attachment) -> FileResponse:
    """The file as a download, never rendered in the page's origin (a saved .html or .svg
    could otherwise run as the portal)."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
