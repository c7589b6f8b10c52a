"""Who hears about an order: the reseller's users and the customer's sales rep are told of
what the manufacturer's side or the payment provider did to it (notifications.services.notify,
each the way they chose), in the transaction of the change. What the reseller does itself is
told to the manufacturer's side by orders.services.reseller_moves instead."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from channel.selectors import partnership_reps
from core import formatting
from notifications.models import NotificationKind
from notifications.services import Text, notify, notify_reseller, render_text
from orders.models import Order, OrderReturn, OrderStatus, PaymentLink
from orders.workflow import SYSTEM


def order_topic(order: Order) -> str:
    return f"order:{order.pk}"


def reseller_order_path(order: Order) -> str:
    return reverse(
        "orders_reseller:detail",
        kwargs={
            "reseller_public_id": order.partnership.reseller.public_id,
            "manufacturer_slug": order.manufacturer.slug,
            "pk": order.pk,
        },
    )


def staff_order_path(order: Order) -> str:
    return reverse(
        "orders_manufacturer:detail",
        kwargs={"manufacturer_slug": order.manufacturer.slug, "pk": order.pk},
    )


def _tell_both_sides(
    *, order: Order, kind: str, title: Text, body: Text, actor: User | None
) -> None:
    """Both sides are told in their own language (`title` and `body` written per recipient)."""
    partnership = order.partnership
    notify_reseller(
        reseller_id=partnership.reseller_id,
        manufacturer=order.manufacturer,
        kind=kind,
        title=title,
        body=body,
        url=reseller_order_path(order),
        topic=order_topic(order),
        actor=actor,
    )
    reps = [rep for rep in partnership_reps(partnership) if actor is None or rep.pk != actor.pk]
    notify(
        users=reps,
        manufacturer=order.manufacturer,
        kind=kind,
        title=lambda: (
            _("%(reseller)s: %(title)s")
            % {"reseller": partnership.reseller.name, "title": render_text(title)}
        ),
        body=body,
        url=staff_order_path(order),
        topic=order_topic(order),
    )


def order_status_notify(
    *,
    order: Order,
    from_status: str,
    to_status: str,
    side: str,
    changed_by: User | None,
    reason: str,
) -> None:
    """An order moved on by the manufacturer's side or by a payment: tell the reseller and
    the rep, with the order's status as it now is."""

    def values() -> dict[str, str]:
        # The status labels are lazy: each recipient reads them in their language.
        return {
            "number": order.number,
            "status": str(OrderStatus(to_status).label),
            "previous": str(OrderStatus(from_status).label),
        }

    if to_status == OrderStatus.CANCELLED:
        kind = NotificationKind.ORDER_CANCELLED

        def title() -> str:
            return _("Order %(number)s was cancelled") % values()
    elif side == SYSTEM and from_status == OrderStatus.AWAITING_PAYMENT:
        kind = NotificationKind.ORDER_PAID

        def title() -> str:
            return _("Order %(number)s was paid: it is now “%(status)s”") % values()
    else:
        kind = NotificationKind.ORDER_STATUS

        def title() -> str:
            return _("Order %(number)s is now “%(status)s” (was “%(previous)s”)") % values()

    _tell_both_sides(order=order, kind=kind, title=title, body=reason, actor=changed_by)


def order_returned_notify(*, order_return: OrderReturn) -> None:
    order = order_return.order

    def title() -> str:
        return _("A return of %(amount)s was recorded on order %(number)s") % {
            "amount": formatting.money(order_return.amount, order.currency),
            "number": order.number,
        }

    _tell_both_sides(
        order=order,
        kind=NotificationKind.ORDER_RETURNED,
        title=title,
        body=order_return.reason,
        actor=order_return.created_by,
    )


def payment_link_expired_notify(*, link: PaymentLink) -> None:
    order = link.order
    _tell_both_sides(
        order=order,
        kind=NotificationKind.PAYMENT_LINK,
        title=lambda: (
            _("The payment link of order %(number)s expired unpaid") % {"number": order.number}
        ),
        body=lambda: (
            _(
                "The link sent to %(recipient)s can no longer be used. "
                "Send a new one from the order if the customer still wants to pay."
            )
            % {"recipient": link.recipient}
        ),
        actor=None,
    )
