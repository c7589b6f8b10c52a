"""The order status workflow: which transitions exist and which side may make them."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from orders.models import OrderStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = OrderStatus

MANUFACTURER = "manufacturer"
RESELLER = "reseller"
SYSTEM = "system"  # the payment provider confirming a payment

# to_status -> (allowed from statuses, sides that may make the move)
TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    S.PLACED: (frozenset({S.AWAITING_PAYMENT}), frozenset({SYSTEM, MANUFACTURER})),
    S.ACCEPTED: (frozenset({S.PLACED}), frozenset({MANUFACTURER})),
    S.REJECTED: (frozenset({S.PLACED}), frozenset({MANUFACTURER})),
    S.FULFILLED: (frozenset({S.ACCEPTED}), frozenset({MANUFACTURER, RESELLER})),
    S.COMPLETED: (frozenset({S.FULFILLED}), frozenset({MANUFACTURER, RESELLER})),
    S.CANCELLED: (
        frozenset({S.AWAITING_PAYMENT, S.PLACED, S.ACCEPTED}),
        frozenset({MANUFACTURER, RESELLER}),
    ),
}
# A reseller may cancel only before the manufacturer has accepted.
RESELLER_CANCELLABLE = frozenset({S.AWAITING_PAYMENT, S.PLACED})
# Moves a reseller makes only where its manufacturer lets resellers fulfil their own orders
# (Manufacturer.resellers_fulfil_orders).
RESELLER_FULFILMENT = frozenset({S.FULFILLED, S.COMPLETED})

ACTION_LABELS: "dict[str, StrOrPromise]" = {
    S.PLACED: _("Mark as paid"),
    S.ACCEPTED: _("Accept"),
    S.REJECTED: _("Reject"),
    S.FULFILLED: _("Mark as fulfilled"),
    S.COMPLETED: _("Complete"),
    S.CANCELLED: _("Cancel order"),
}
REASON_REQUIRED = frozenset({S.REJECTED, S.CANCELLED})
OPEN_STATUSES = frozenset({S.AWAITING_PAYMENT, S.PLACED, S.ACCEPTED, S.FULFILLED})
# Orders that count as sales in statistics; rejected and cancelled ones never do.
SALES_STATUSES = frozenset({S.PLACED, S.ACCEPTED, S.FULFILLED, S.COMPLETED})


def can_transition(
    *, from_status: str, to_status: str, side: str, reseller_fulfils: bool = False
) -> bool:
    """`reseller_fulfils`: the order's manufacturer lets resellers fulfil their own orders."""
    rule = TRANSITIONS.get(to_status)
    if rule is None:
        return False
    allowed_from, sides = rule
    if from_status not in allowed_from or side not in sides:
        return False
    if side == RESELLER and to_status in RESELLER_FULFILMENT:
        return reseller_fulfils
    return not (side == RESELLER and from_status not in RESELLER_CANCELLABLE)


def available_transitions(
    *, from_status: str, side: str, reseller_fulfils: bool = False
) -> list[str]:
    return [
        to_status
        for to_status in TRANSITIONS
        if to_status != S.PLACED or side == MANUFACTURER
        if can_transition(
            from_status=from_status,
            to_status=to_status,
            side=side,
            reseller_fulfils=reseller_fulfils,
        )
    ]


CUSTOMER = "customer"  # the end customer, paying through the payment link


def next_mover(*, status: str, reseller_fulfils: bool) -> str | None:
    """Who moves an order in `status` on next (cancelling aside); None once it is closed."""
    if status == S.AWAITING_PAYMENT:
        return CUSTOMER
    if status == S.PLACED:
        return MANUFACTURER
    if status in {S.ACCEPTED, S.FULFILLED}:
        return RESELLER if reseller_fulfils else MANUFACTURER
    return None
