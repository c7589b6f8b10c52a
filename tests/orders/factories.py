"""Order test data, built through the services the product uses."""

from decimal import Decimal

from django.utils import timezone

from orders.models import Order, OrderStatus, OrderStatusChange
from orders.services import LineRequest, order_create
from resellers.services import end_customer_create

_counter = {"n": 0}


def make_end_customer(reseller, name: str = "Julia Weber", **fields):
    _counter["n"] += 1
    email = fields.pop("email", f"customer{_counter['n']}@example.test")
    return end_customer_create(reseller=reseller, name=name, email=email, **fields)


def make_order(
    partnership,
    products,
    *,
    quantities=None,
    end_customer=None,
    own_use=None,
    created_by=None,
    **kwargs,
) -> Order:
    """An order of `products` (one each unless `quantities`), for own use by default."""
    quantities = quantities or [1] * len(products)
    if own_use is None:
        own_use = end_customer is None
    return order_create(
        partnership=partnership,
        lines=[
            LineRequest(product_id=p.pk, quantity=q)
            for p, q in zip(products, quantities, strict=True)
        ],
        created_by=created_by,
        end_customer=end_customer,
        own_use=own_use,
        **kwargs,
    )


def force_status(order: Order, status: str) -> Order:
    """Test set-up only: put an order straight into a status (the timeline gets a row)."""
    previous = order.status
    Order.objects.filter(pk=order.pk).update(status=status)
    OrderStatusChange.objects.create(
        manufacturer=order.manufacturer,
        order=order,
        from_status=previous,
        to_status=status,
        created_at=timezone.now(),
    )
    order.refresh_from_db()
    return order


ALL_STATUSES = list(OrderStatus.values)
ZERO = Decimal("0.00")
