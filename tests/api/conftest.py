"""Two tenants, each with an owner, a manager and two sales reps who hold one customer each;
resellers with users; orders; and a client that speaks to the API with a key."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from api.models import KeyAccess
from commissions.services.ledger import commission_adjust
from commissions.services.payouts import payout_request_create
from communications.models import ConversationType
from communications.services.conversations import conversation_start
from partners.selectors.tiers import tiers_of
from partners.services.offers import OfferValues, offer_publish, offer_save
from partners.services.tiers import tiers_create_defaults
from qualifications.services import qualification_create, qualification_grant
from salesreps.services import portfolio_assign
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
)
from tests.api.factories import ApiKeyFactory, ResellerApiKeyFactory
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.commissions.factories import PayoutDetailsFactory
from tests.orders.factories import make_end_customer, make_order
from tests.resellers.factories import PartnershipFactory


class ApiClient:
    """The test client, sending `Authorization: Bearer <key>` and JSON bodies."""

    def __init__(self, raw_key: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {raw_key}"} if raw_key else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path: str, data=None, *, raw: str | None = None):
        body = raw if raw is not None else __import__("json").dumps(data or {})
        return self.client.post(path, body, content_type="application/json", headers=self.headers)


@dataclass
class Tenant:
    manufacturer: object
    owner: object
    manager: object
    rep: object
    other_rep: object
    partnership: object  # rep's customer
    other_partnership: object  # other_rep's customer
    reseller_user: object
    other_reseller_user: object
    products: list
    orders: list  # orders of `partnership`
    other_orders: list  # orders of `other_partnership`
    qualification: object  # held by `partnership`
    other_qualification: object  # held by nobody
    conversation: object  # started by `partnership`'s reseller
    other_conversation: object  # started by `other_partnership`'s reseller
    customer: object  # an end customer of `partnership`'s reseller
    other_customer: object  # one of `other_partnership`'s reseller
    entry: object  # a commission entry of `partnership` (an adjustment, payable)
    other_entry: object  # one of `other_partnership`
    payout: object  # `partnership`'s payout request
    tier: object  # the entry tier
    offer: object  # published, selected for `partnership` only

    def member(self, role: str):
        return {"owner": self.owner, "manager": self.manager, "rep": self.rep}[role]


def build_tenant(name: str, slug: str) -> Tenant:
    manufacturer = ManufacturerFactory(name=name, slug=slug)
    owner = MembershipFactory(manufacturer=manufacturer, role=Role.OWNER)
    manager = MembershipFactory(manufacturer=manufacturer, role=Role.MANAGER)
    rep = MembershipFactory(manufacturer=manufacturer, role=Role.SELLER)
    other_rep = MembershipFactory(manufacturer=manufacturer, role=Role.SELLER)
    partnership = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
    other_partnership = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
    portfolio_assign(
        manufacturer=manufacturer, partnership=partnership, rep=rep.user, by=owner.user
    )
    portfolio_assign(
        manufacturer=manufacturer,
        partnership=other_partnership,
        rep=other_rep.user,
        by=owner.user,
    )
    category = CategoryFactory(manufacturer=manufacturer, name=f"{name} speakers")
    products = [
        ProductFactory(manufacturer=manufacturer, category=category, price=Decimal("100.00")),
        ProductFactory(manufacturer=manufacturer, category=category, price=Decimal("19.99")),
    ]
    orders = [make_order(partnership, products, quantities=[2, 1]) for _ in range(2)]
    other_orders = [make_order(other_partnership, products[:1])]
    qualification = qualification_create(
        manufacturer=manufacturer, code=f"{slug.upper()}-PRO", name="Pro installer"
    )
    qualification_grant(partnership=partnership, qualification=qualification, granted_by=owner.user)
    other_qualification = qualification_create(
        manufacturer=manufacturer, code=f"{slug.upper()}-AV", name="AV specialist"
    )
    reseller_user = ResellerUserFactory(reseller=partnership.reseller)
    other_reseller_user = ResellerUserFactory(reseller=other_partnership.reseller)
    conversations = [
        conversation_start(
            partnership=p, kind=ConversationType.GENERAL, subject="Stock", body="Any news?",
            author=user.user,
        )
        for p, user in [(partnership, reseller_user), (other_partnership, other_reseller_user)]
    ]  # fmt: skip
    entry, other_entry = (
        commission_adjust(
            partnership=p, amount=Decimal("80.00"), reason="Fair bonus", created_by=owner.user
        )
        for p in (partnership, other_partnership)
    )
    PayoutDetailsFactory(partnership=partnership)
    payout = payout_request_create(
        partnership=partnership, amount=Decimal("80.00"), requested_by=reseller_user.user
    )
    tiers = tiers_of(manufacturer) or tiers_create_defaults(manufacturer=manufacturer)
    offer = offer_save(
        manufacturer=manufacturer,
        offer=None,
        values=OfferValues(
            title=f"{name} winter bundle", price=Decimal("99.00"), visibility="selected",
            starts_on=timezone.localdate() - timedelta(days=1), recipient_ids=[partnership.pk],
        ),
    )  # fmt: skip
    offer_publish(offer=offer)
    return Tenant(
        entry=entry,
        other_entry=other_entry,
        payout=payout,
        tier=tiers[0],
        offer=offer,
        conversation=conversations[0],
        other_conversation=conversations[1],
        customer=make_end_customer(partnership.reseller),
        other_customer=make_end_customer(other_partnership.reseller),
        qualification=qualification,
        other_qualification=other_qualification,
        manufacturer=manufacturer,
        owner=owner,
        manager=manager,
        rep=rep,
        other_rep=other_rep,
        partnership=partnership,
        other_partnership=other_partnership,
        reseller_user=reseller_user,
        other_reseller_user=other_reseller_user,
        products=products,
        orders=orders,
        other_orders=other_orders,
    )


@pytest.fixture
def tenant(db) -> Tenant:
    return build_tenant("Acme Audio", "acme")


@pytest.fixture
def other_tenant(db) -> Tenant:
    return build_tenant("Borealis Lighting", "borealis")


@pytest.fixture
def key_for():
    """key_for(membership, access=write, **fields) -> a manufacturer key with `.raw`."""

    def make(membership, access=KeyAccess.WRITE, **fields):
        return ApiKeyFactory(membership=membership, access=access, **fields)

    return make


@pytest.fixture
def reseller_key_for():
    def make(reseller_membership, access=KeyAccess.WRITE, **fields):
        return ResellerApiKeyFactory(
            reseller_membership=reseller_membership, access=access, **fields
        )

    return make


@pytest.fixture
def api():
    """api(key_or_raw=None) -> an ApiClient."""

    def make(key=None) -> ApiClient:
        raw = getattr(key, "raw", key)
        return ApiClient(raw)

    return make
