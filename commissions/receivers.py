"""What commissions does when an order moves (connected in CommissionsConfig.ready()).

Orders sit below commissions and call these through orders.hooks, inside the transaction
of the change: an accrual that fails rolls the completion back.
"""

from typing import Any

from commissions.services.ledger import commission_accrue, commission_void_for_return
from orders.models import Order, OrderReturn, OrderStatus


def on_order_status_changed(*, order: Order, to_status: str, **_: Any) -> None:
    # A cancelled order never reaches here completed, so it never accrues.
    if to_status == OrderStatus.COMPLETED:
        commission_accrue(order=order)


def on_order_returned(*, order_return: OrderReturn) -> None:
    commission_void_for_return(order_return=order_return)
