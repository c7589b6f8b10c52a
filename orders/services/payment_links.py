"""Carts and checkout by payment link: a reseller builds a cart for one of their customers,
the system creates the order (awaiting payment) and emails the customer a single-use link
to /pay/<token>/, where the customer pays without an account.

Services here change state in one transaction each; the `cart_priced` / `payment_link_state`
readers sit beside them because the pages and the services share them.

Payment-link tokens: `secrets.token_urlsafe(32)` (256 bits), shown once in the email and
never stored; the database keeps only their SHA-256 (PaymentLink.token_hash). A link is
single-use (used_at), expires (settings.PAYMENT_LINK_VALID_DAYS) and explains itself.
"""

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import User
from catalog.gate import orderable_products
from catalog.models import Product
from catalog.pricing import quantize_money, reseller_unit_prices
from notifications.services import email_enqueue
from orders import workflow
from orders.models import (
    Cart,
    CartLine,
    Order,
    OrderStatus,
    Payment,
    PaymentLink,
    PaymentStatus,
)
from orders.payments import get_payment_provider
from orders.services import LineRequest, OrderRefused, order_create, order_transition

MAX_LINE_QUANTITY = 9999
PARTNERSHIP_ACTIVE = "active"  # resellers.models.PartnershipStatus.ACTIVE (a higher app)


class CheckoutRefused(OrderRefused):
    """The cart change or checkout breaks a rule; the message says which, nothing changed."""


class PaymentLinkInvalid(Exception):
    """No payment link has this token (unknown, mistyped or tampered with)."""


class PaymentLinkUnavailable(Exception):
    """The link exists but cannot be paid: `state` says why (see LinkState)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


class PaymentDeclined(Exception):
    """The provider declined the payment; the message is user-facing; nothing changed."""


class LinkState:
    VALID = "valid"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- carts ---------------------------------------------------------------------------------


def cart_find(*, partnership, user: User) -> Cart | None:
    """The user's cart with this manufacturer (one per reseller user and partnership)."""
    return (
        Cart.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership, created_by=user
        )
        .select_related("end_customer")
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def cart_get_or_create(*, partnership, user: User) -> Cart:
    cart = cart_find(partnership=partnership, user=user)
    if cart is None:
        cart = Cart.objects.create(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership, created_by=user
        )
    return cart


@transaction.atomic
def cart_set_end_customer(*, cart: Cart, end_customer) -> Cart:
    """`end_customer` is a resellers.EndCustomer of the cart's reseller (or None)."""
    if end_customer is not None and end_customer.reseller_id != cart.partnership.reseller_id:
        raise CheckoutRefused(_("That customer does not belong to this reseller."))
    cart.end_customer = end_customer
    cart.save(update_fields=["end_customer", "updated_at"])
    return cart


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise CheckoutRefused(
            _("Quantities must be between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY}
        )


@transaction.atomic
def cart_add_line(*, cart: Cart, product_id: int, quantity: int) -> CartLine:
    """Add a product the reseller may order, or raise its quantity if already in the cart."""
    _check_quantity(quantity)
    partnership = cart.partnership
    product = (
        orderable_products(manufacturer=partnership.manufacturer, reseller=partnership.reseller)
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise CheckoutRefused(_("This product is not available to you."))
    Cart.objects.select_for_update().filter(pk=cart.pk).first()
    line = CartLine.objects.filter(cart=cart, product=product).first()
    if line is None:
        line = CartLine.objects.create(
            manufacturer_id=cart.manufacturer_id, cart=cart, product=product, quantity=quantity
        )
    else:
        line.quantity = min(line.quantity + quantity, MAX_LINE_QUANTITY)
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def cart_update(*, cart: Cart, quantities: Mapping[int, int]) -> None:
    """Set the quantity per product id; 0 removes the line. Products not in the cart are
    ignored (a stale form cannot add what the reseller may not order)."""
    for quantity in quantities.values():
        if quantity != 0:
            _check_quantity(quantity)
    lines = {line.product_id: line for line in CartLine.objects.filter(cart=cart)}
    for product_id, quantity in quantities.items():
        line = lines.get(product_id)
        if line is None:
            continue
        if quantity == 0:
            line.delete()
        elif line.quantity != quantity:
            line.quantity = quantity
            line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_remove_line(*, cart: Cart, product_id: int) -> None:
    CartLine.objects.filter(cart=cart, product_id=product_id).delete()


@transaction.atomic
def cart_clear(*, cart: Cart) -> None:
    """Empty the cart and forget its customer."""
    CartLine.objects.filter(cart=cart).delete()
    cart.end_customer = None
    cart.save(update_fields=["end_customer", "updated_at"])


@dataclass(frozen=True)
class PricedLine:
    product: Product
    quantity: int
    unit_price: Decimal | None  # None: the product is no longer available to the reseller
    line_total: Decimal | None

    @property
    def available(self) -> bool:
        return self.unit_price is not None


@dataclass
class CartSummary:
    currency: str
    lines: list[PricedLine] = field(default_factory=list)
    subtotal: Decimal = Decimal("0.00")  # at list prices
    discount: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")

    @property
    def has_unavailable(self) -> bool:
        return any(not line.available for line in self.lines)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def cart_priced(*, cart: Cart | None, partnership) -> CartSummary:
    """The cart's lines at the reseller's prices now, computed the way order_create does.

    Prices always come from the catalog and the partnership, never from a form.
    """
    summary = CartSummary(currency=partnership.manufacturer.currency)
    if cart is None:
        return summary
    lines = list(
        CartLine.objects.filter(cart=cart).select_related("product").order_by("product__name")
    )
    if not lines:
        return summary
    available = list(
        orderable_products(
            manufacturer=partnership.manufacturer, reseller=partnership.reseller
        ).filter(pk__in=[line.product_id for line in lines])
    )
    prices = reseller_unit_prices(
        products=available,
        price_list=partnership.price_list,
        discount_percent=partnership.discount_percent,
    )
    for line in lines:
        unit = prices.get(line.product_id)
        total = unit * line.quantity if unit is not None else None
        summary.lines.append(PricedLine(line.product, line.quantity, unit, total))
        if unit is not None:
            summary.subtotal += quantize_money(line.product.price * line.quantity)
            summary.total += total
    summary.discount = max(summary.subtotal - summary.total, Decimal("0.00"))
    return summary


# --- checkout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    link: PaymentLink
    url: str  # the only place the token exists besides the email


def payment_link_create(
    *, order: Order, recipient: str, valid_days: int | None = None, now: datetime | None = None
) -> tuple[PaymentLink, str]:
    """A new link for the order; returns (link, token). Only the token's hash is stored."""
    days = valid_days if valid_days is not None else settings.PAYMENT_LINK_VALID_DAYS
    token = secrets.token_urlsafe(32)
    link = PaymentLink.objects.create(
        manufacturer_id=order.manufacturer_id,
        order=order,
        token_hash=hash_token(token),
        recipient=recipient,
        expires_at=(now or timezone.now()) + timedelta(days=days),
    )
    return link, token


@transaction.atomic
def checkout_with_payment_link(
    *,
    cart: Cart,
    recipient: str,
    created_by: User,
    pay_url: Callable[[str], str],
) -> CheckoutResult:
    """Turn the cart into an order awaiting payment, make its payment link, write the email
    to the outbox (sent after commit) and empty the cart: all or nothing.

    `pay_url(token)` builds the absolute /pay/<token>/ URL (the view knows the host).
    """
    cart = (
        Cart.objects.select_for_update(of=("self",))
        .select_related("partnership__manufacturer", "partnership__reseller", "end_customer")
        .get(pk=cart.pk)
    )
    partnership = cart.partnership
    if partnership.status != PARTNERSHIP_ACTIVE:
        raise CheckoutRefused(_("This partnership is not active, so it cannot place orders."))
    end_customer = cart.end_customer
    if end_customer is None:
        raise CheckoutRefused(_("Choose the customer who will pay."))
    if end_customer.reseller_id != partnership.reseller_id:
        raise CheckoutRefused(_("That customer does not belong to this reseller."))
    lines = [
        LineRequest(product_id=line.product_id, quantity=line.quantity)
        for line in CartLine.objects.filter(cart=cart).order_by("pk")
    ]
    if not lines:
        raise CheckoutRefused(_("The cart is empty."))

    order = order_create(
        partnership=partnership,
        lines=lines,
        created_by=created_by,
        end_customer=end_customer,
        status=OrderStatus.AWAITING_PAYMENT,
    )
    link, url = _send_payment_link(order=order, recipient=recipient, pay_url=pay_url)
    cart_clear(cart=cart)
    return CheckoutResult(order=order, link=link, url=url)


def _send_payment_link(
    *, order: Order, recipient: str, pay_url: Callable[[str], str]
) -> tuple[PaymentLink, str]:
    """Make a link for the order and write its email to the outbox (sent after commit)."""
    link, token = payment_link_create(order=order, recipient=recipient)
    url = pay_url(token)
    partnership = order.partnership
    context = {
        "order": order,
        "order_lines": list(order.lines.all()),
        "link": link,
        "url": url,
        "manufacturer": partnership.manufacturer,
        "reseller": partnership.reseller,
        "customer": order.end_customer,
    }
    email_enqueue(
        recipient=recipient,
        subject=_("Your order %(number)s from %(reseller)s: payment link")
        % {"number": order.number, "reseller": partnership.reseller.name},
        body=render_to_string("orders/pay/email.txt", context),
        kind="payment_link",
        manufacturer=partnership.manufacturer,
    )
    return link, url


@transaction.atomic
def payment_link_resend(
    *, order: Order, recipient: str, pay_url: Callable[[str], str], now: datetime | None = None
) -> CheckoutResult:
    """Send a fresh link for an order still awaiting payment; earlier links stop working.

    For the customer who lost the email, or a wrong address: the old links are expired, not
    deleted, so a customer who opens one is told it expired rather than that it never existed.
    """
    locked = (
        Order.objects.select_for_update(of=("self",))
        .select_related("partnership__manufacturer", "partnership__reseller", "end_customer")
        .get(pk=order.pk)
    )
    if locked.status != OrderStatus.AWAITING_PAYMENT:
        raise CheckoutRefused(
            _("Order %(number)s is no longer awaiting payment, so no new link was sent.")
            % {"number": locked.number}
        )
    now = now or timezone.now()
    PaymentLink.objects.filter(order=locked, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    link, url = _send_payment_link(order=locked, recipient=recipient, pay_url=pay_url)
    return CheckoutResult(order=locked, link=link, url=url)


def pending_payment_link(order: Order) -> PaymentLink | None:
    """The newest link of an order still awaiting payment (the one the customer should use)."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return None
    return order.payment_links.order_by("-created_at", "-pk").first()


def access_checkout_order(*, partnership, order_id: int) -> Order:
    """An order of this partnership (for the checkout confirmation), or Http404."""
    order = (
        Order.objects.filter(
            manufacturer_id=partnership.manufacturer_id, partnership=partnership, pk=order_id
        )
        .select_related("end_customer")
        .first()
    )
    if order is None:
        raise Http404(_("No such order."))
    return order


# --- paying through the link (public, no account) ------------------------------------------


def payment_link_resolve(*, token: str) -> PaymentLink:
    """The link for this token, or PaymentLinkInvalid.

    DANGER, unscoped: this is the single lookup of the public pay page that runs without a
    tenant in scope, because the token is what identifies the tenant. It matches only the
    SHA-256 of the token (a unique, indexed column); the caller must run every further query
    inside `django_scopes.scope(manufacturer=link.manufacturer)`.
    """
    if not token or len(token) > 128:
        raise PaymentLinkInvalid
    link = (
        PaymentLink.objects.with_scopes_disabled()
        .select_related(
            "manufacturer", "order", "order__reseller", "order__end_customer", "order__partnership"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise PaymentLinkInvalid
    return link


def payment_link_state(link: PaymentLink, *, order: Order | None = None, now=None) -> str:
    order = order or link.order
    if link.used_at is not None:
        return LinkState.PAID
    if order.status == OrderStatus.CANCELLED:
        return LinkState.CANCELLED
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return LinkState.PAID  # e.g. marked as paid by the manufacturer, or paid elsewhere
    if (now or timezone.now()) >= link.expires_at:
        return LinkState.EXPIRED
    return LinkState.VALID


def payment_link_pay(*, token: str, form_data: Mapping) -> Payment:
    """Charge the order's total once and place the order; idempotent per link and order.

    The amount is the order's stored total: whatever the form says is ignored. The link and
    the order are locked (select_for_update) for the whole attempt, so a double submit waits
    and then finds the link used (PaymentLinkUnavailable(PAID)); the partial unique
    constraint "one succeeded payment per order" is the last line of defence.
    A declined card raises PaymentDeclined and changes nothing.
    """
    link = payment_link_resolve(token=token)
    provider = get_payment_provider()
    with scope(manufacturer=link.manufacturer), transaction.atomic():
        locked = PaymentLink.objects.select_for_update().get(pk=link.pk)
        order = Order.objects.select_for_update().get(pk=locked.order_id)
        state = payment_link_state(locked, order=order)
        if state != LinkState.VALID:
            raise PaymentLinkUnavailable(state)
        result = provider.charge(
            order=order, amount=order.total, currency=order.currency, form_data=dict(form_data)
        )
        if not result.succeeded:
            raise PaymentDeclined(result.error or _("The payment did not go through."))
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    manufacturer_id=order.manufacturer_id,
                    order=order,
                    provider=provider.name,
                    provider_reference=result.reference,
                    amount=order.total,
                    currency=order.currency,
                    status=PaymentStatus.SUCCEEDED,
                )
        except IntegrityError as error:  # another payment for this order succeeded first
            raise PaymentLinkUnavailable(LinkState.PAID) from error
        now = timezone.now()
        order_transition(
            order=order,
            to_status=OrderStatus.PLACED,
            side=workflow.SYSTEM,
            changed_by=None,
            reason=_("Paid by the customer through the payment link."),
            at=now,
        )
        locked.used_at = now
        locked.save(update_fields=["used_at"])
        return payment


def payment_for_link(link: PaymentLink) -> Payment | None:
    """The succeeded payment of the link's order (for the receipt); call inside the scope."""
    return (
        Payment.objects.filter(
            manufacturer_id=link.manufacturer_id,
            order_id=link.order_id,
            status=PaymentStatus.SUCCEEDED,
        )
        .order_by("-pk")
        .first()
    )
