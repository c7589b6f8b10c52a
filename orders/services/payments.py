"""Paying an order through its payment link: the public pay page, no account, no tenant
until the link is resolved. The charge goes through the configured provider
(orders.payments) once per order, with the link and the order locked.
"""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from core.exceptions import DomainRefused
from orders import workflow
from orders.models import Order, OrderStatus, Payment, PaymentLink, PaymentStatus
from orders.payments import get_payment_provider
from orders.pricing import amount_due
from orders.selectors.payment_links import LinkState, payment_link_resolve, payment_link_state
from orders.services.orders import order_transition
from orders.services.payment_links import payment_receipt_send


class PaymentLinkUnavailable(DomainRefused):
    """The link exists but cannot be paid: `state` says why (see LinkState); the view shows
    the page of that state."""

    def __init__(self, state: str) -> None:
        super().__init__(
            _("This payment link can no longer be paid (%(state)s).") % {"state": state}
        )
        self.state = state


class PaymentDeclined(DomainRefused):
    """The provider declined the payment; the message is user-facing; nothing changed."""


def payment_link_pay(*, token: str, form_data: Mapping[str, object]) -> Payment:
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
        amount = amount_due(order)  # orders.pricing: the customer's price, never the reseller's
        result = provider.charge(
            order=order, amount=amount, currency=order.currency, form_data=dict(form_data)
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
                    amount=amount,
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
        payment_receipt_send(payment=payment, link=locked)
        return payment
