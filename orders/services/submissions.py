"""One order per order form, however often it is submitted.

Every form that creates an order (checkout by payment link, the manual order of staff and
reps, the reseller's own order page) carries a one-time key rendered with it
(core.forms.OnceForm). The key is claimed (`OrderSubmission`, unique per tenant) in the
same transaction that creates the order: a twin submitted at the same moment waits on the
claim until the first commits, then answers the first one's order; a twin after that finds
it at once. Without a key (the API, the demo) orders are created as before.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from channel.models import EndCustomer, Partnership
from orders.models import Order, OrderSubmission
from orders.services.orders import LineRequest, OrderRefused, order_create


def order_submission_claim(
    *, manufacturer_id: int, submission_key: uuid.UUID | None
) -> Order | None:
    """Claim the form's key for an order about to be created (call inside the transaction
    that creates it, then `order_submission_record`). Returns the order an earlier
    submission of the same form created, or None when this one goes ahead."""
    if submission_key is None:
        return None
    claims = OrderSubmission.objects.filter(
        manufacturer_id=manufacturer_id, submission_key=submission_key
    ).select_related("order")
    earlier = claims.first()
    if earlier is None:
        try:
            with transaction.atomic():
                OrderSubmission.objects.create(
                    manufacturer_id=manufacturer_id, submission_key=submission_key
                )
        except IntegrityError:
            earlier = claims.first()  # a twin committed its order while we waited
        else:
            return None
    if earlier is None or earlier.order is None:
        raise OrderRefused(_("This order form was already sent; it was not sent twice."))
    return earlier.order


def order_submission_record(*, order: Order, submission_key: uuid.UUID | None) -> None:
    if submission_key is not None:
        OrderSubmission.objects.filter(
            manufacturer_id=order.manufacturer_id, submission_key=submission_key
        ).update(order=order)


@transaction.atomic
def order_create_once(
    *,
    submission_key: uuid.UUID | None,
    partnership: Partnership,
    lines: list[LineRequest],
    created_by: User | None,
    end_customer: EndCustomer | None = None,
    own_use: bool = False,
    is_manual: bool = False,
) -> tuple[Order, bool]:
    """`order_create` for a form: returns (order, created); a repeated submission of the
    same form returns the order the first one created, and created=False."""
    earlier = order_submission_claim(
        manufacturer_id=partnership.manufacturer_id, submission_key=submission_key
    )
    if earlier is not None:
        return earlier, False
    order = order_create(
        partnership=partnership,
        lines=lines,
        created_by=created_by,
        end_customer=end_customer,
        own_use=own_use,
        is_manual=is_manual,
    )
    order_submission_record(order=order, submission_key=submission_key)
    return order, True
