"""Two complete tenants for the form walker (tests/test_form_walker.py), built through services.

Each `TenantWorld` holds one row of every kind a URL of the project names by id, so the
walker can fill every URL keyword with a real value of tenant A, or of tenant B to check
that it answers 404 under tenant A's prefix.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.http import urlsafe_base64_encode

from accounts.models import Manufacturer, Reseller, Role, User
from api.services import api_key_create, reseller_api_key_create
from catalog.models import Category, PriceList, Product
from catalog.services import price_list_item_set, retail_price_set
from channel.models import EndCustomer, Partnership
from channel.services import partnership_update_conditions
from commissions.models import CommissionEntry, PayoutBatch
from commissions.services.ledger import commission_adjust
from commissions.services.payouts import (
    payout_batch_approve,
    payout_details_save,
    payout_request_create,
)
from communications.models import Attachment, Conversation, ConversationType, Message
from communications.services.conversations import conversation_start
from communications.services.team import saved_view_save, staff_conversation_start
from notifications.models import Notification, NotificationKind, OutboxEmail
from notifications.services import notify
from orders.models import Order, OrderStatus
from orders.services.carts import cart_add_line, cart_get_or_create, cart_set_end_customer
from orders.services.orders import LineRequest, order_create, order_transition
from orders.services.payment_links import checkout_with_payment_link
from orders.workflow import MANUFACTURER
from partners.models import Meeting, PartnerTier, Tier, TierProposal
from partners.services.announcements import AnnouncementValues, announcement_save
from partners.services.incidents import incident_raise, incident_step_take
from partners.services.meetings import FollowUpValues, meeting_hold, meetings_schedule
from partners.services.offers import OfferValues, offer_publish, offer_save
from qualifications.models import QualificationRequest
from qualifications.services import qualification_create, qualification_request_create
from resellers.services import affiliate_link_get_or_create, interaction_add
from salesreps.services import portfolio_assign, rep_invite
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
    UserSessionFactory,
)
from tests.api.factories import WebhookDeliveryFactory, WebhookEndpointFactory
from tests.catalog.factories import CategoryFactory, PriceListFactory, ProductFactory
from tests.orders.factories import make_end_customer
from tests.resellers.factories import PartnershipFactory


@dataclass
class TenantWorld:
    manufacturer: Manufacturer
    owner: User
    seller: User
    reseller: Reseller
    reseller_user: User
    partnership: Partnership
    category: Category
    product: Product
    price_list: PriceList
    order: Order  # fulfilled: it can take a return and be completed
    checkout_order: Order  # awaiting payment, made from a cart
    pay_token: str
    qualification_id: int
    request: QualificationRequest
    conversation: Conversation
    message: Message
    customer: EndCustomer
    affiliate_token: str
    notification: Notification
    email: OutboxEmail  # pending: "send again" refuses it without a change
    invite_uidb64: str
    invite_token: str
    accrual: CommissionEntry  # pending: its window can be extended
    batch: PayoutBatch  # approved, not paid yet
    owner_session_id: int  # another browser of the owner's, for "end this session"
    tier_id: int
    proposal_id: int
    offer_id: int
    incident_id: int
    block_id: int
    saved_view_id: int
    attachment_id: int
    api_key_id: int
    reseller_api_key_id: int
    webhook_endpoint_id: int
    webhook_delivery_id: int
    meeting_id: int  # open: it can be held
    follow_up_id: int
    announcement_id: int  # a draft: it can be edited

    def url_kwargs(self) -> dict[str, object]:
        """A value for every URL keyword of the project (`token` depends on the route)."""
        return {
            "manufacturer_slug": self.manufacturer.slug,
            "reseller_public_id": self.reseller.public_id,
            "public_id": self.reseller.public_id,
            "user_id": self.seller.pk,
            "product_id": self.product.pk,
            "category_id": self.category.pk,
            "price_list_id": self.price_list.pk,
            "pk": self.order.pk,
            "order_id": self.checkout_order.pk,
            "qualification_id": self.qualification_id,
            "request_id": self.request.pk,
            "conversation_id": self.conversation.pk,
            "message_id": self.message.pk,
            "partnership_id": self.partnership.pk,
            "customer_id": self.customer.pk,
            "notification_id": self.notification.pk,
            "email_id": self.email.pk,
            "uidb64": self.invite_uidb64,
            "entry_id": self.accrual.pk,
            "batch_id": self.batch.pk,
            "session_id": self.owner_session_id,
            "tier_id": self.tier_id,
            "proposal_id": self.proposal_id,
            "offer_id": self.offer_id,
            "incident_id": self.incident_id,
            "block_id": self.block_id,
            "view_id": self.saved_view_id,
            "attachment_id": self.attachment_id,
            "key_id": self.api_key_id,
            "reseller_key_id": self.reseller_api_key_id,
            "endpoint_id": self.webhook_endpoint_id,
            "delivery_id": self.webhook_delivery_id,
            "meeting_id": self.meeting_id,
            "follow_up_id": self.follow_up_id,
            "announcement_id": self.announcement_id,
        }

    def token_for(self, route: str) -> str:
        if route.startswith("pay/"):
            return self.pay_token
        if route.startswith("join/"):
            return self.affiliate_token
        return self.invite_token  # invitations and password resets: the same generator

    def choice_ids(self) -> dict[str, object]:
        """Ids a form's choice field may name, by field name (the walker posts B's to A)."""
        return {
            "end_customer": self.customer.pk,
            "customer": self.customer.pk,
            "product": self.product.pk,
            "category": self.category.pk,
            "price_list": self.price_list.pk,
            "rep": self.seller.pk,
            "to_rep": self.seller.pk,
            "customers": self.partnership.pk,
            "partnership": self.partnership.pk,
            "reseller": self.reseller.pk,
            "manufacturer": self.manufacturer.pk,
            "qualification": self.qualification_id,
            "required_qualification": self.qualification_id,
            "tier": self.tier_id,
            "account_manager": self.owner.pk,
            "min_tier": self.tier_id,
            "offer": self.offer_id,
            "products": self.product.pk,
            "recipients": self.partnership.pk,
            "owner": self.owner.pk,
        }


def build_world(slug: str, name: str) -> TenantWorld:
    manufacturer = ManufacturerFactory(name=name, slug=slug)
    owner = MembershipFactory(manufacturer=manufacturer, role=Role.OWNER).user
    seller = MembershipFactory(manufacturer=manufacturer, role=Role.SELLER).user
    reseller = ResellerFactory(name=f"{name} Reseller")
    partnership = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
    reseller_user = ResellerUserFactory(reseller=reseller).user
    portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=seller, by=owner)

    category = CategoryFactory(manufacturer=manufacturer, name=f"{name} speakers")
    product = ProductFactory(
        manufacturer=manufacturer, category=category, sku=f"{slug.upper()}-1",
        price=Decimal("100.00"),
    )  # fmt: skip
    ProductFactory(manufacturer=manufacturer, category=category, sku=f"{slug.upper()}-2")
    price_list = PriceListFactory(manufacturer=manufacturer, name=f"{name} dealers")
    price_list_item_set(price_list=price_list, product=product, price=Decimal("90.00"))
    partnership_update_conditions(
        partnership=partnership,
        price_list=price_list,
        discount_percent=Decimal("5.00"),
        payment_method=partnership.payment_method,
        shipping_method=partnership.shipping_method,
    )
    partnership.refresh_from_db()

    retail_price_set(product=product, market="Germany", price=Decimal("129.00"))
    customer = make_end_customer(reseller, name=f"{name} customer", country="Germany")
    interaction_add(customer=customer, author=reseller_user, kind="note", body="Called.")
    order = order_create(
        partnership=partnership,
        lines=[LineRequest(product_id=product.pk, quantity=3)],
        created_by=reseller_user,
        end_customer=customer,
    )
    for step in (OrderStatus.ACCEPTED, OrderStatus.FULFILLED):
        order = order_transition(order=order, to_status=step, side=MANUFACTURER, changed_by=owner)

    cart = cart_get_or_create(partnership=partnership, user=reseller_user)
    cart_set_end_customer(cart=cart, end_customer=customer)
    cart_add_line(cart=cart, product_id=product.pk, quantity=2)
    checkout = checkout_with_payment_link(
        cart=cart,
        recipient=customer.email,
        created_by=reseller_user,
        pay_url=lambda token: f"http://testserver/pay/{token}/",
    )
    cart_add_line(cart=cart, product_id=product.pk, quantity=1)  # a cart to walk, too

    qualification = qualification_create(
        manufacturer=manufacturer, code=f"{slug.upper()}-PRO", name="Pro installer"
    )
    request = qualification_request_create(
        partnership=partnership, qualification=qualification, requested_by=reseller_user
    )
    conversation = conversation_start(
        partnership=partnership,
        kind=ConversationType.GENERAL,
        subject="Stock question",
        body="Do you have the speakers in stock?",
        author=reseller_user,
    )
    message = conversation.messages.order_by("pk").first()
    assert message is not None
    # Staff write first, with a file: a conversation of its own, so `conversation` keeps
    # the reseller's one message.
    with_file = staff_conversation_start(
        partnership=partnership,
        kind=ConversationType.PRODUCTS,
        subject="Price list",
        body="The price list is attached.",
        author=owner,
        files=[(SimpleUploadedFile("prices.pdf", b"%PDF-1.4 prices"), "application/pdf")],
    )
    attachment = Attachment.objects.get(message__conversation=with_file)
    saved_view = saved_view_save(
        membership=owner.manufacturer_memberships.get(manufacturer=manufacturer),
        name="Mine",
        query="assignee=me",
    )
    affiliate = affiliate_link_get_or_create(partnership=partnership)
    notification = notify(
        users=[owner],
        manufacturer=manufacturer,
        kind=NotificationKind.ORDER_CREATED,
        title="A new order",
        url=f"/m/{slug}/orders/{order.pk}/",
    )[0]
    invited = rep_invite(
        manufacturer=manufacturer,
        email=f"invited@{slug}.example",
        invited_by=owner,
        base_url="http://testserver/",
    ).user
    from django.contrib.auth.tokens import default_token_generator

    # Commissions: an accrual in its holding period, and a batch approved, not paid.
    earning = order_create(
        partnership=partnership,
        lines=[LineRequest(product_id=product.pk, quantity=1)],
        created_by=reseller_user,
        end_customer=customer,
    )
    for step in (OrderStatus.ACCEPTED, OrderStatus.FULFILLED, OrderStatus.COMPLETED):
        earning = order_transition(
            order=earning, to_status=step, side=MANUFACTURER, changed_by=owner
        )
    accrual = CommissionEntry.objects.get(order=earning)
    bonus = commission_adjust(
        partnership=partnership, amount=Decimal("60.00"), reason="Launch bonus", created_by=owner
    )
    payout_details_save(
        partnership=partnership,
        account_holder=reseller.name,
        iban="DE89370400440532013000",
        updated_by=reseller_user,
    )
    payout = payout_request_create(
        partnership=partnership, amount=bonus.credit, requested_by=reseller_user
    )
    batch = payout_batch_approve(
        manufacturer=manufacturer, request_ids=[payout.pk], approved_by=owner
    )
    tiers = list(Tier.objects.filter(manufacturer=manufacturer).order_by("rank"))
    proposal = TierProposal.objects.create(
        manufacturer=manufacturer,
        partnership=partnership,
        from_tier=tiers[0],
        to_tier=tiers[1],
        reasons=["Met the criteria of Silver in each month."],
        created_at=order.created_at,
    )
    offer = offer_save(
        manufacturer=manufacturer,
        offer=None,
        values=OfferValues(
            title=f"{name} bundle",
            price=Decimal("499.00"),
            visibility="selected",
            starts_on=order.created_at.date(),
            items={product.pk: 2},
            regions=["north"],
            recipient_ids=[partnership.pk],
        ),
    )
    offer_publish(offer=offer)
    incident = incident_raise(
        partnership=partnership, kind="complaints", summary="Complaints in March", by=owner
    )
    incident_step_take(incident=incident, step="friendly_contact", notes="Called.", by=owner)
    incident_step_take(
        incident=incident, step="blocked_offers", notes="Blocked.", by=owner, offer=offer
    )
    webhook = WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(manufacturer=manufacturer, created_by=owner)
    )
    PartnerTier.objects.create(
        manufacturer=manufacturer, partnership=partnership, tier=tiers[1], since=timezone.now()
    )
    meetings_schedule(manufacturer=manufacturer, partnership_ids=[partnership.pk])
    held = meeting_hold(
        meeting=Meeting.objects.get(partnership=partnership, held_at__isnull=True),
        by=owner,
        notes="First check-in.",
        follow_ups=[FollowUpValues(description="Send the price sheet", owner=owner)],
    )

    return TenantWorld(
        manufacturer=manufacturer,
        owner=owner,
        seller=seller,
        reseller=reseller,
        reseller_user=reseller_user,
        partnership=partnership,
        category=category,
        product=product,
        price_list=price_list,
        order=order,
        checkout_order=checkout.order,
        pay_token=checkout.url.rstrip("/").rsplit("/", 1)[-1],
        qualification_id=qualification.pk,
        request=request,
        conversation=conversation,
        message=message,
        customer=customer,
        affiliate_token=affiliate.token,
        notification=notification,
        email=OutboxEmail.objects.filter(manufacturer=manufacturer).order_by("pk").first(),
        invite_uidb64=urlsafe_base64_encode(str(invited.pk).encode()),
        invite_token=default_token_generator.make_token(invited),
        accrual=accrual,
        batch=batch,
        owner_session_id=UserSessionFactory(user=owner).pk,
        tier_id=tiers[1].pk,
        proposal_id=proposal.pk,
        offer_id=offer.pk,
        incident_id=incident.pk,
        block_id=incident.blocks.get().pk,
        saved_view_id=saved_view.pk,
        attachment_id=attachment.pk,
        api_key_id=api_key_create(
            manufacturer=manufacturer,
            membership=owner.manufacturer_memberships.with_scopes_disabled().get(
                manufacturer=manufacturer
            ),
            name="ERP",
            access="write",
        )[0].pk,
        reseller_api_key_id=reseller_api_key_create(
            reseller=reseller, user=reseller_user, name="Shop", access="write"
        )[0].pk,
        webhook_endpoint_id=webhook.endpoint_id,
        webhook_delivery_id=webhook.pk,
        meeting_id=Meeting.objects.get(partnership=partnership, held_at__isnull=True).pk,
        follow_up_id=held.follow_ups.get().pk,
        announcement_id=announcement_save(
            manufacturer=manufacturer,
            announcement=None,
            values=AnnouncementValues(kind="new_service", title="Installation", body="New."),
            by=owner,
        ).pk,
    )


def build_worlds() -> tuple[TenantWorld, TenantWorld]:
    UserFactory()  # user ids of the two tenants differ from their other ids
    return build_world("acme", "Acme Audio"), build_world("borealis", "Borealis Lighting")
