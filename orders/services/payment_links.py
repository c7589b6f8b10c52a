"""Checkout by payment link: a reseller's cart becomes an order awaiting payment, and the
customer is emailed a single-use link to /pay/<token>/, where they pay without an account
(orders.services.payments). Each service changes state in one transaction.

Payment-link tokens: `secrets.token_urlsafe(32)` (256 bits), shown once in the email and
never stored; the database keeps only their SHA-256 (PaymentLink.token_hash, see
`orders.selectors.payment_links.hash_token`). A link is single-use (used_at), expires
(settings.PAYMENT_LINK_VALID_DAYS) and explains itself (`payment_link_state`).
"""

import secrets
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.i18n import supported_language
from accounts.models import User
from notifications.services import email_enqueue
from orders.models import Cart, CartLine, Order, OrderStatus, Payment, PaymentLink
from orders.selectors.orders import order_notes_for_customer
from orders.selectors.payment_links import hash_token
from orders.services.carts import CheckoutRefused, cart_clear
from orders.services.notices import payment_link_expired_notify
from orders.services.orders import LineRequest, order_create
from orders.services.submissions import order_submission_claim, order_submission_record


@dataclass(frozen=True)
class CheckoutResult:
    order: Order
    link: PaymentLink
    url: str  # the only place the token exists besides the email ("" for a repeated form)
    created: bool = True  # False: the same checkout form was submitted before


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


def _customers_language(order: Order) -> AbstractContextManager[None]:
    """The end customer's emails are in the language of the reseller's record of them; without
    one, in the language of whoever sends the link (the reseller's user, usually theirs)."""
    customer = order.end_customer
    language = supported_language(customer.language) if customer is not None else None
    return translation.override(language) if language else nullcontext()


@transaction.atomic
def checkout_with_payment_link(
    *,
    cart: Cart,
    recipient: str,
    created_by: User,
    pay_url: Callable[[str], str],
    submission_key: uuid.UUID | None = None,
) -> CheckoutResult:
    """Turn the cart into an order awaiting payment, make its payment link, write the email
    to the outbox (sent after commit) and empty the cart: all or nothing.

    `pay_url(token)` builds the absolute /pay/<token>/ URL (the view knows the host). The
    checkout form's `submission_key` makes a double submit answer the first one's order
    (orders.services.submissions), with no second link or email.
    """
    earlier = order_submission_claim(
        manufacturer_id=cart.manufacturer_id, submission_key=submission_key
    )
    if earlier is not None:
        link = earlier.payment_links.order_by("-created_at", "-pk").first()
        if link is None:
            raise CheckoutRefused(_("This order form was already sent; it was not sent twice."))
        return CheckoutResult(order=earlier, link=link, url="", created=False)
    cart = (
        Cart.objects.select_for_update(of=("self",))
        .select_related("partnership__manufacturer", "partnership__reseller", "end_customer")
        .get(pk=cart.pk)
    )
    partnership = cart.partnership
    if not partnership.is_active:
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
        customer_pays=True,
        status=OrderStatus.AWAITING_PAYMENT,
    )
    order_submission_record(order=order, submission_key=submission_key)
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
        "customer_notes": order_notes_for_customer(order),
    }
    with _customers_language(order):
        subject = _("Your order %(number)s from %(reseller)s: payment link") % {
            "number": order.number,
            "reseller": partnership.reseller.name,
        }
        body = render_to_string("orders/pay/email.txt", context)
    email_enqueue(
        recipient=recipient,
        subject=subject,
        body=body,
        kind="payment_link",
        manufacturer=partnership.manufacturer,
        secrets=[url],
    )
    return link, url


@transaction.atomic
def payment_link_resend(
    *, order: Order, recipient: str, pay_url: Callable[[str], str], now: datetime | None = None
) -> CheckoutResult:
    """Send a fresh link for an order still awaiting payment; earlier links stop working.

    For the customer who lost the email, or a wrong address: the old links are expired, not
    deleted, so a customer who opens one is told it expired rather than that it never existed.
    Locks the order, then its links: the lock order of every payment-link service
    (orders.services.payments), so paying and resending at once never deadlock.
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
    # Replaced, not expired unpaid: nobody is told about these links.
    PaymentLink.objects.filter(order=locked, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now, expiry_notified_at=now
    )
    link, url = _send_payment_link(order=locked, recipient=recipient, pay_url=pay_url)
    return CheckoutResult(order=locked, link=link, url=url)


@transaction.atomic
def payment_receipt_send(*, payment: Payment, link: PaymentLink) -> None:
    """Write the customer's receipt to the outbox (sent after commit), to the link's address:
    the amount paid at the customer's prices, the lines and the reseller's notes for them."""
    order = payment.order
    partnership = order.partnership
    context = {
        "order": order,
        "order_lines": list(order.lines.all()),
        "payment": payment,
        "reseller": partnership.reseller,
        "customer": order.end_customer,
        "customer_notes": order_notes_for_customer(order),
    }
    with _customers_language(order):
        subject = _("Receipt for your order %(number)s from %(reseller)s") % {
            "number": order.number,
            "reseller": partnership.reseller.name,
        }
        body = render_to_string("orders/pay/receipt_email.txt", context)
    email_enqueue(
        recipient=link.recipient,
        subject=subject,
        body=body,
        kind="payment_receipt",
        manufacturer=partnership.manufacturer,
    )


def payment_links_expired_notify(*, now: datetime | None = None, limit: int = 500) -> int:
    """Periodic: tell the reseller and rep of each link that expired unpaid, once.

    A link is claimed under a row lock (skip_locked) and stamped in the same transaction as
    its notifications, so two runs at once never tell twice. Returns how many were told.
    """
    now = now or timezone.now()
    due = (
        PaymentLink.objects.with_scopes_disabled()
        .filter(
            used_at__isnull=True,
            expiry_notified_at__isnull=True,
            expires_at__lte=now,
        )
        .order_by("expires_at", "pk")
        .values_list("pk", "manufacturer_id")[:limit]
    )
    told = 0
    for link_id, manufacturer_id in list(due):
        with scope(manufacturer=manufacturer_id), transaction.atomic():
            link = (
                PaymentLink.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("order__partnership__reseller", "order__manufacturer")
                .filter(pk=link_id, expiry_notified_at__isnull=True)
                .first()
            )
            if link is None:
                continue
            link.expiry_notified_at = now
            link.save(update_fields=["expiry_notified_at"])
            if link.order.status == OrderStatus.AWAITING_PAYMENT:
                payment_link_expired_notify(link=link)
                told += 1
    return told
