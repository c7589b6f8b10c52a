"""A tenant with resellers talking to it, a reseller user, and another tenant."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import Manufacturer, Role, User
from channel.models import Partnership
from communications.models import Conversation, ConversationType
from communications.services.conversations import conversation_start
from tests.accounts.factories import (
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
)
from tests.resellers.factories import PartnershipFactory


@dataclass
class Inbox:
    tenant: Manufacturer
    other: Manufacturer
    owner: User
    manager: User
    seller: User
    reseller_user: User
    partnership: Partnership
    foreign_partnership: Partnership
    other_manager: User

    def url(self, name: str, tenant: Manufacturer | None = None, **kwargs) -> str:
        slug = (tenant or self.tenant).slug
        return reverse(
            f"communications_manufacturer:{name}", kwargs={"manufacturer_slug": slug, **kwargs}
        )

    def reseller_url(self, name: str, partnership: Partnership | None = None, **kwargs) -> str:
        partnership = partnership or self.partnership
        return reverse(
            f"communications_reseller:{name}",
            kwargs={
                "reseller_public_id": partnership.reseller.public_id,
                "manufacturer_slug": partnership.manufacturer.slug,
                **kwargs,
            },
        )


def start(
    partnership: Partnership,
    body: str = "Do you have the AX-200 in stock?",
    kind: str = ConversationType.GENERAL,
    author: User | None = None,
) -> Conversation:
    author = author or UserFactory()
    return conversation_start(
        partnership=partnership, kind=kind, subject="", body=body, author=author
    )


@pytest.fixture
def inbox(manufacturer, other_manufacturer, owner, manager, seller) -> Inbox:
    reseller = ResellerFactory(
        name="Soundhouse GmbH",
        public_email="hello@soundhouse.example",
        website="https://soundhouse.example",
    )
    reseller_user = ResellerUserFactory(reseller=reseller).user
    partnership = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
    foreign = PartnershipFactory(manufacturer=other_manufacturer, reseller=reseller)
    other_manager = MembershipFactory(
        manufacturer=other_manufacturer, role=Role.MANAGER, user=UserFactory()
    ).user
    return Inbox(
        tenant=manufacturer,
        other=other_manufacturer,
        owner=owner,
        manager=manager,
        seller=seller,
        reseller_user=reseller_user,
        partnership=partnership,
        foreign_partnership=foreign,
        other_manager=other_manager,
    )
