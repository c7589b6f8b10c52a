"""Communications factories; every row agrees with its conversation's manufacturer."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from communications.models import (
    Attachment,
    Conversation,
    ConversationRead,
    ConversationType,
    Message,
    MessageKind,
    SavedView,
    StaffComment,
)
from tests.accounts.factories import ManufacturerFactory, MembershipFactory, ResellerUserFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoped_factories import ScopedModelFactory


class ConversationFactory(ScopedModelFactory):
    class Meta:
        model = Conversation

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    kind = ConversationType.INVENTORY
    subject = "Stock of the studio monitors"
    last_message_at = factory.LazyFunction(timezone.now)


class MessageFactory(ScopedModelFactory):
    """A reseller's message, written by a user of the conversation's reseller."""

    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    manufacturer = factory.SelfAttribute("conversation.manufacturer")
    kind = MessageKind.RESELLER
    author = factory.LazyAttribute(
        lambda o: ResellerUserFactory(reseller=o.conversation.partnership.reseller).user
    )
    body = "Hello, when will the studio monitors be back in stock?"
    emoji = ""
    created_at = factory.LazyFunction(timezone.now)


class StaffCommentFactory(ScopedModelFactory):
    """An internal note by a staff member of the conversation's manufacturer."""

    class Meta:
        model = StaffComment

    conversation = factory.SubFactory(ConversationFactory)
    manufacturer = factory.SelfAttribute("conversation.manufacturer")
    author = factory.LazyAttribute(lambda o: MembershipFactory(manufacturer=o.manufacturer).user)
    body = "Good lead: they sold 40 units last quarter."
    created_at = factory.LazyFunction(timezone.now)


class ConversationReadFactory(ScopedModelFactory):
    """A staff member of the conversation's manufacturer read it just now."""

    class Meta:
        model = ConversationRead

    conversation = factory.SubFactory(ConversationFactory)
    manufacturer = factory.SelfAttribute("conversation.manufacturer")
    user = factory.LazyAttribute(lambda o: MembershipFactory(manufacturer=o.manufacturer).user)
    read_at = factory.LazyFunction(timezone.now)


class SavedViewFactory(ScopedModelFactory):
    class Meta:
        model = SavedView

    manufacturer = factory.SubFactory(ManufacturerFactory)
    user = factory.LazyAttribute(lambda o: MembershipFactory(manufacturer=o.manufacturer).user)
    name = factory.Sequence(lambda n: f"View {n}")
    query = "assignee=me"


class AttachmentFactory(ScopedModelFactory):
    """A small PDF on a staff reply of the conversation's manufacturer."""

    class Meta:
        model = Attachment

    message = factory.SubFactory(MessageFactory)
    manufacturer = factory.SelfAttribute("message.manufacturer")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="test.pdf"))
    name = "test.pdf"
    size = 13
    content_type = "application/pdf"
