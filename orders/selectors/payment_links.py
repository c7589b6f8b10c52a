"""Reads of payment links: resolving a token (the one unscoped lookup of the pay page), a
link's state, the link an order awaiting payment should be paid with, and its payment."""

import hashlib
from datetime import datetime

from django.http import Http404
from django.utils import timezone

from orders.models import Order, OrderStatus, Payment, PaymentLink, PaymentStatus


class PaymentLinkInvalid(Http404):
    """No payment link has this token (unknown, mistyped or tampered with): a 404, which the
    pay pages render as their own 'invalid link' page."""


class LinkState:
    VALID = "valid"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def payment_link_resolve(*, token: str) -> PaymentLink:
    """The link for this token, or PaymentLinkInvalid.

    DANGER, unscoped: this is the single lookup of the public pay page that runs without a
    tenant in scope, because the token is what identifies the tenant. It matches only the
    SHA-256 of the token (a unique, indexed column); the caller must run every further query
    inside `django_scopes.scope(manufacturer=link.manufacturer)`.
    """
    if not token or len(token) > 128:
        raise PaymentLinkInvalid
    # `with_scopes_disabled` is typed Any (see [tool.mypy]); the annotation restores the type.
    link: PaymentLink | None = (
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


def payment_link_state(
    link: PaymentLink, *, order: Order | None = None, now: datetime | None = None
) -> str:
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


def pending_payment_link(order: Order) -> PaymentLink | None:
    """The newest link of an order still awaiting payment (the one the customer should use)."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return None
    return order.payment_links.order_by("-created_at", "-pk").first()


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
