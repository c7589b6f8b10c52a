"""A reseller moving its own order on: cancelling it before acceptance, and, where its
manufacturer lets resellers fulfil their own orders (Manufacturer.resellers_fulfil_orders),
marking it fulfilled and completed. The rules are orders.workflow's; the manufacturer's
staff and the customer's sales rep are told (notifications.services.notify).
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from channel.selectors import partnership_staff
from notifications.models import NotificationKind
from notifications.services import notify
from orders.models import Order, OrderStatus
from orders.services.orders import order_transition
from orders.workflow import RESELLER


@transaction.atomic
def order_reseller_move(*, order: Order, to_status: str, user: User, reason: str = "") -> Order:
    """Move the order as its reseller; an illegal move raises OrderRefused, changes nothing."""
    moved = order_transition(
        order=order, to_status=to_status, side=RESELLER, changed_by=user, reason=reason
    )
    partnership = moved.partnership
    manufacturer = partnership.manufacturer

    def title() -> str:
        return _("%(reseller)s marked order %(number)s “%(status)s”") % {
            "reseller": partnership.reseller.name,
            "number": moved.number,
            "status": str(OrderStatus(to_status).label),
        }

    notify(
        users=partnership_staff(partnership),
        manufacturer=manufacturer,
        kind=NotificationKind.ORDER_MOVED,
        title=title,
        body=reason,
        url=reverse(
            "orders_manufacturer:detail",
            kwargs={"manufacturer_slug": manufacturer.slug, "pk": moved.pk},
        ),
        topic=f"order:{moved.pk}",
    )
    return moved
