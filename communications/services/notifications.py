"""Who hears about a reseller's message: its staff recipients are told the way each chose
(notifications.services.notify), in the same transaction as the message."""

from django.urls import reverse

from communications.models import Conversation, Message
from communications.selectors import staff_recipients
from notifications.services import notify


def conversation_topic(conversation_id: int) -> str:
    """What the notifications and emails about a conversation name it by, to withdraw them."""
    return f"conversation:{conversation_id}"


def notify_staff(*, conversation: Conversation, message: Message, kind: str, title: str) -> None:
    """Notify the owners, managers and the customer's sales rep of `message`."""
    partnership = conversation.partnership
    url = reverse(
        "communications_manufacturer:detail",
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
        topic=conversation_topic(conversation.pk),
    )
