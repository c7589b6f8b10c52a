"""Staff comments: internal notes on a conversation, never shown to the reseller."""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from communications.models import Conversation, StaffComment
from communications.services.conversations import (
    DuplicateSubmission,
    clean_body,
    lock_conversation,
    refuse_duplicate,
)


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
    conversation = lock_conversation(conversation)
    refuse_duplicate(StaffComment, conversation, submission_key)
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
