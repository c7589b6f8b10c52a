"""Demo conversations: about 150 per manufacturer across every type, some triaged.

Historic conversations are written directly with back-dated timestamps (the services stamp
"now" and would email every staff member for each one); what they write is exactly what
the services would. Idempotent: a manufacturer that already has a message from a reseller
is left alone. A few recent messages leave unread in-app notifications for the staff.
"""

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    STAFF_ROLES,
    Manufacturer,
    ManufacturerMembership,
    ResellerMembership,
    User,
)
from channel.models import Partnership, PartnershipStatus
from communications.models import (
    DONE_EMOJI,
    EMOJI_PALETTE,
    Conversation,
    ConversationType,
    Message,
    MessageKind,
    StaffComment,
)
from notifications.models import Notification, NotificationChannel, NotificationKind

if TYPE_CHECKING:
    from demo.channel import DemoReport

PER_MANUFACTURER = 150
FLAGSHIP_RESELLER_ID = "36G8J2Z"

T = ConversationType
OPENERS: dict[str, list[tuple[str, str]]] = {
    T.QUALIFICATION: [
        ("Certification for our install team",
         "Two of our technicians finished the online training last week. What else do we need "
         "to become a certified partner?"),
        ("Qualifying code", "Could you check our qualifying status? We would like to order from "
         "the professional range for a hotel project."),
        ("Access to restricted categories", "We cannot see the installation products in the "
         "catalog. Is there a qualification we are missing?"),
    ],
    T.INVENTORY: [
        ("Stock for the spring campaign", "Do you have 40 units of the bookshelf speakers in "
         "stock for delivery before the end of the month?"),
        ("Back-order status", "Our order from last week shows two items on back-order. When "
         "will they ship?"),
        ("Demo units", "Can we get two demo units for our showroom at the dealer price?"),
    ],
    T.OPPORTUNITY: [
        ("Hotel refurbishment, 120 rooms", "We are bidding for a 120-room hotel refurbishment "
         "in the spring. Can you support us with project pricing?"),
        ("School auditorium tender", "A public tender for a school auditorium closes in three "
         "weeks. Would you register the opportunity for us?"),
        ("Restaurant chain roll-out", "A restaurant chain wants the same setup in eight "
         "locations. Is there a volume discount?"),
    ],
    T.PRODUCTS: [
        ("Product data update", "The dimensions on the product page of the wall bracket look "
         "wrong (it says 12 cm deep, our sample is 9 cm). Could you correct them?"),
        ("Images for our web shop", "Could you send high-resolution images and the EAN codes "
         "of the new range?"),
        ("Datasheet missing", "The datasheet PDF for the ceiling speaker is missing. Can you "
         "upload it?"),
    ],
    T.SHOPIFY: [
        ("Shopify integration", "We run our shop on Shopify. Is there a product feed or an app "
         "to sync your catalog and stock levels?"),
        ("Feed stopped updating", "Our Shopify stock sync has not updated since Monday. Did "
         "something change on your side?"),
        ("Order import", "Can orders placed in our Shopify store be sent to you automatically?"),
    ],
    T.GENERAL: [
        ("Trade fair", "Will you be at the trade fair in Frankfurt? We would like to meet your "
         "team."),
        ("New contact person", "Please note that Maria now handles purchasing for us."),
        ("Invoice address", "Our invoice address has changed; the new one is in our profile."),
    ],
}  # fmt: skip
FOLLOW_UPS = [
    "Thanks for the quick answer!",
    "Any news on this?",
    "Perfect, we will go ahead.",
    "Could you also send us the price list?",
    "Great, that works for us.",
]
STAFF_REPLIES = [
    "Thanks for reaching out. I have forwarded this to our product team and will get back to "
    "you by Friday.",
    "Good news: this is possible. I have updated your account.",
    "Could you send us a few more details, such as quantities and the planned date?",
    "We have stock in our central warehouse; I reserved the units for you.",
    "Done. You should see the change in the catalog now.",
]
INTERNAL_NOTES = [
    "Handled by phone, nothing more to send.",
    "Answered in person at the showroom.",
]
COMMENTS = [
    "Big account, keep an eye on this one.",
    "Asked the warehouse, waiting for the answer.",
    "Follow up next week if they do not reply.",
    "Check their credit limit before confirming.",
    "Possible candidate for the preferred tier.",
]


def build_demo_communications(
    manufacturer: Manufacturer, rng: random.Random, report: "DemoReport"
) -> None:
    if Message.objects.filter(manufacturer=manufacturer, kind=MessageKind.RESELLER).exists():
        return
    partnerships = list(
        Partnership.objects.filter(manufacturer=manufacturer, status=PartnershipStatus.ACTIVE)
        .select_related("reseller")
        .order_by("pk")
    )
    if not partnerships:
        return
    staff = [
        m.user
        for m in ManufacturerMembership.objects.filter(
            manufacturer=manufacturer, role__in=STAFF_ROLES
        ).select_related("user")
    ]
    reseller_users: dict[int, list[User]] = {}
    for membership in ResellerMembership.objects.filter(
        reseller__in=[p.reseller for p in partnerships]
    ).select_related("user"):
        reseller_users.setdefault(membership.reseller_id, []).append(membership.user)

    flagship = [p for p in partnerships if p.reseller.public_id == FLAGSHIP_RESELLER_ID]
    kinds = list(ConversationType.values)
    weights = [3, 3, 2, 2, 2, 2]
    now = timezone.now()
    made = []
    for n in range(PER_MANUFACTURER):
        partnership = flagship[0] if flagship and n < 6 else rng.choice(partnerships)
        kind = kinds[n % len(kinds)] if n < 12 else rng.choices(kinds, weights)[0]
        subject, opener = rng.choice(OPENERS[kind])
        started = now - timedelta(days=rng.uniform(0.05, 120), minutes=n)
        # A reseller without users still writes: its messages have no author.
        authors: list[User | None] = list(reseller_users.get(partnership.reseller_id, [])) or [None]
        conversation = Conversation.objects.create(
            manufacturer=manufacturer,
            partnership=partnership,
            kind=kind,
            subject=subject,
            last_message_at=started,
        )
        moment = started
        messages = [
            Message(
                manufacturer=manufacturer,
                conversation=conversation,
                kind=MessageKind.RESELLER,
                author=rng.choice(authors),
                body=opener,
                created_at=moment,
            )
        ]
        for turn in range(rng.choice([0, 1, 1, 2, 3])):
            moment = min(moment + timedelta(hours=rng.uniform(1, 48)), now)
            if turn % 2 == 0 and staff:
                internal = rng.random() < 0.15
                messages.append(
                    Message(
                        manufacturer=manufacturer,
                        conversation=conversation,
                        kind=MessageKind.STAFF,
                        author=rng.choice(staff),
                        body=rng.choice(INTERNAL_NOTES if internal else STAFF_REPLIES),
                        emoji=rng.choice(EMOJI_PALETTE) if internal else "",
                        created_at=moment,
                    )
                )
            else:
                messages.append(
                    Message(
                        manufacturer=manufacturer,
                        conversation=conversation,
                        kind=MessageKind.RESELLER,
                        author=rng.choice(authors),
                        body=rng.choice(FOLLOW_UPS),
                        created_at=moment,
                    )
                )
        # Triage: about a third marked (✅ most often), on the newest non-staff message.
        mark = ""
        if rng.random() < 0.35 and started < now - timedelta(days=2):
            mark = DONE_EMOJI if rng.random() < 0.6 else rng.choice(EMOJI_PALETTE)
            target = next(m for m in reversed(messages) if m.kind != MessageKind.STAFF)
            target.emoji = mark
        else:
            staff_marks = [m.emoji for m in messages if m.emoji]
            mark = staff_marks[-1] if staff_marks else ""
        Message.objects.bulk_create(messages)
        conversation.last_message_at = moment
        conversation.mark = mark
        conversation.marked_at = moment if mark else None
        conversation.save(update_fields=["last_message_at", "mark", "marked_at"])
        if staff and rng.random() < 0.2:
            StaffComment.objects.create(
                manufacturer=manufacturer,
                conversation=conversation,
                author=rng.choice(staff),
                body=rng.choice(COMMENTS),
                created_at=min(moment + timedelta(minutes=30), now),
            )
            report.count("staff comments")
        made.append(conversation)
        report.count("conversations")
        report.count("messages", len(messages))

    # The newest unmarked conversations leave unread notifications in the bell.
    recent = sorted((c for c in made if not c.mark), key=lambda c: c.last_message_at)[-5:]
    for conversation in recent:
        url = reverse(
            "communications_manufacturer:detail",
            kwargs={"manufacturer_slug": manufacturer.slug, "conversation_id": conversation.pk},
        )
        Notification.objects.bulk_create(
            Notification(
                user=user,
                manufacturer=manufacturer,
                kind=NotificationKind.MESSAGE_RECEIVED,
                channel=NotificationChannel.IN_APP,
                title=f"{conversation.partnership.reseller.name}: {conversation.subject}",
                body=conversation.get_kind_display(),
                url=url,
            )
            for user in staff
        )
        report.count("notifications", len(staff))
