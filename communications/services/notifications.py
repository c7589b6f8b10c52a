"""Who hears about a message: a reseller's reaches its staff recipients, a staff reply the
reseller's users, each the way they chose (notifications.services.notify), in the same
transaction as the message."""

from django.urls import reverse
from django.utils.translation import gettext as _

from communications.models import Conversation, Message
from communications.selectors import staff_recipients
from notifications.models import NotificationKind
from notifications.services import Text, notify, notify_reseller


def conversation_topic(conversation_id: int) -> str:
    """What the notifications and emails about a conversation name it by, to withdraw them."""
    return f"conversation:{conversation_id}"


def notify_staff(*, conversation: Conversation, message: Message, kind: str, title: Text) -> None:
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


def reseller_conversation_path(conversation: Conversation) -> str:
    partnership = conversation.partnership
    return reverse(
        "communications_reseller:detail",
        kwargs={
            "reseller_public_id": partnership.reseller.public_id,
            "manufacturer_slug": partnership.manufacturer.slug,
            "conversation_id": conversation.pk,
        },
    )


def notify_reseller_of_reply(*, conversation: Conversation, message: Message) -> bool:
    """Tell the reseller's users of a staff message they can read; True when anyone was told
    (in the portal or by email), which delivers the message to them."""
    partnership = conversation.partnership
    told = notify_reseller(
        reseller_id=partnership.reseller_id,
        manufacturer=partnership.manufacturer,
        kind=NotificationKind.STAFF_REPLIED,
        title=lambda: (
            _("%(manufacturer)s wrote to you: %(subject)s")
            % {
                "manufacturer": partnership.manufacturer.name,
                "subject": conversation.subject or str(conversation.get_kind_display()),
            }
        ),
        body=message.body[:1000],
        url=reseller_conversation_path(conversation),
        topic=conversation_topic(conversation.pk),
    )
    return bool(told)
