"""Order test data, built through the services the product uses."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from orders.models import (
    AttemptStatus,
    Cart,
    CartLine,
    NoteSide,
    Order,
    OrderLine,
    OrderNote,
    OrderNumberCounter,
    OrderReturn,
    OrderReturnLine,
    OrderStatus,
    OrderStatusChange,
    OrderSubmission,
    OrderTally,
    Payment,
    PaymentAttempt,
    PaymentLink,
    PaymentStatus,
    ProcessedWebhook,
    TallySpan,
    TestProviderCharge,
)
from orders.selectors.payment_links import hash_token
from orders.services.orders import LineRequest, order_create
from orders.summaries import tally_order_moved
from resellers.services import end_customer_create
from tests.accounts.factories import ManufacturerFactory, MembershipFactory, ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.resellers.factories import PartnershipFactory
from tests.scoped_factories import ScopedModelFactory

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
    tally_order_moved(order=order, from_status=previous, to_status=status)
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


NEW_ORDER_STATUSES = {OrderStatus.PLACED, OrderStatus.AWAITING_PAYMENT}


class OrderFactory(factory.Factory):
    """An own-use order of `quantity` × `product` (a product of the same manufacturer).

    `status` beyond placed/awaiting payment is set afterwards with tests.orders.factories.
    force_status (one timeline row), as the order tests do.
    """

    class Meta:
        model = Order

    partnership = factory.SubFactory(PartnershipFactory)
    product = factory.SubFactory(
        ProductFactory, manufacturer=factory.SelfAttribute("..partnership.manufacturer")
    )
    quantity = 2
    created_by = factory.LazyAttribute(
        lambda o: ResellerUserFactory(reseller=o.partnership.reseller).user
    )
    own_use = True
    status = OrderStatus.PLACED

    @classmethod
    def _create(cls, model_class, product, quantity, status, **kwargs) -> Order:
        """A new order is placed or awaiting payment; any later status is forced after."""
        initial = status if status in NEW_ORDER_STATUSES else OrderStatus.PLACED
        order = order_create(
            lines=[LineRequest(product_id=product.pk, quantity=quantity)], status=initial, **kwargs
        )
        return order if status == initial else force_status(order, status)


class OrderNumberCounterFactory(ScopedModelFactory):
    """A tenant's counter before its first order (that order would create one itself)."""

    class Meta:
        model = OrderNumberCounter

    manufacturer = factory.SubFactory(ManufacturerFactory)
    last_number = 0


class OrderLineFactory(ScopedModelFactory):
    """One more line on an order; its totals are not recomputed."""

    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    manufacturer = factory.SelfAttribute("order.manufacturer")
    product = factory.SubFactory(
        ProductFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    sku = factory.SelfAttribute("product.sku")
    name = factory.SelfAttribute("product.name")
    quantity = 1
    unit_price = factory.SelfAttribute("product.price")
    line_total = factory.LazyAttribute(lambda o: o.unit_price * o.quantity)


class OrderStatusChangeFactory(ScopedModelFactory):
    class Meta:
        model = OrderStatusChange

    order = factory.SubFactory(OrderFactory)
    manufacturer = factory.SelfAttribute("order.manufacturer")
    from_status = OrderStatus.PLACED
    to_status = OrderStatus.ACCEPTED
    changed_by = factory.LazyAttribute(
        lambda o: MembershipFactory(manufacturer=o.manufacturer).user
    )
    reason = ""
    created_at = factory.LazyFunction(timezone.now)


class OrderNoteFactory(ScopedModelFactory):
    """An internal note by the manufacturer's staff."""

    class Meta:
        model = OrderNote

    order = factory.SubFactory(OrderFactory)
    manufacturer = factory.SelfAttribute("order.manufacturer")
    author = factory.LazyAttribute(lambda o: MembershipFactory(manufacturer=o.manufacturer).user)
    side = NoteSide.MANUFACTURER
    is_internal = True
    body = "Ship together with the pending back order."


class OrderReturnFactory(ScopedModelFactory):
    class Meta:
        model = OrderReturn

    order = factory.SubFactory(OrderFactory, status=OrderStatus.COMPLETED)
    manufacturer = factory.SelfAttribute("order.manufacturer")
    returned_at = factory.LazyFunction(timezone.now)
    reason = "Damaged in transit."
    amount = factory.LazyAttribute(lambda o: o.order.lines.first().unit_price)
    created_by = factory.LazyAttribute(
        lambda o: MembershipFactory(manufacturer=o.manufacturer).user
    )


class OrderReturnLineFactory(ScopedModelFactory):
    """One unit of the returned order's first line."""

    class Meta:
        model = OrderReturnLine

    order_return = factory.SubFactory(OrderReturnFactory)
    manufacturer = factory.SelfAttribute("order_return.manufacturer")
    order_line = factory.LazyAttribute(lambda o: o.order_return.order.lines.first())
    quantity = 1
    amount = factory.SelfAttribute("order_line.unit_price")


class CartFactory(ScopedModelFactory):
    class Meta:
        model = Cart

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    created_by = factory.LazyAttribute(
        lambda o: ResellerUserFactory(reseller=o.partnership.reseller).user
    )
    end_customer = None


class CartLineFactory(ScopedModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    manufacturer = factory.SelfAttribute("cart.manufacturer")
    product = factory.SubFactory(
        ProductFactory, manufacturer=factory.SelfAttribute("..manufacturer")
    )
    quantity = 3


class PaymentLinkFactory(ScopedModelFactory):
    """A link for an order awaiting payment; `token` is the clear token (only its hash is kept)."""

    class Meta:
        model = PaymentLink

    class Params:
        token = factory.Sequence(lambda n: f"test-payment-token-{n}")

    order = factory.SubFactory(OrderFactory, status=OrderStatus.AWAITING_PAYMENT)
    manufacturer = factory.SelfAttribute("order.manufacturer")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    recipient = factory.Sequence(lambda n: f"payer{n}@example.test")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    used_at = None


class PaymentFactory(ScopedModelFactory):
    """A successful payment of the whole order through the test provider."""

    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory, status=OrderStatus.AWAITING_PAYMENT)
    manufacturer = factory.SelfAttribute("order.manufacturer")
    provider = "test"
    provider_reference = factory.Sequence(lambda n: f"pay_{n:08d}")
    amount = factory.SelfAttribute("order.total")
    currency = factory.SelfAttribute("order.currency")
    status = PaymentStatus.SUCCEEDED


class PaymentAttemptFactory(ScopedModelFactory):
    """A pending attempt to charge an order through its link (the key is the link's first)."""

    class Meta:
        model = PaymentAttempt

    link = factory.SubFactory(PaymentLinkFactory)
    order = factory.SelfAttribute("link.order")
    manufacturer = factory.SelfAttribute("link.manufacturer")
    number = 1
    idempotency_key = factory.LazyAttribute(lambda o: f"paylink-{o.link.pk}-{o.number}")
    provider = "test"
    amount = factory.SelfAttribute("order.total")
    currency = factory.SelfAttribute("order.currency")
    status = AttemptStatus.PENDING
    created_at = factory.LazyFunction(timezone.now)


class TestProviderChargeFactory(factory.django.DjangoModelFactory):
    """A charge in the test provider's own ledger."""

    __test__ = False  # not a pytest test class

    class Meta:
        model = TestProviderCharge

    idempotency_key = factory.Sequence(lambda n: f"paylink-0-{n}")
    succeeded = True
    reference = factory.Sequence(lambda n: f"test_{n:016x}")
    amount = Decimal("10.00")
    currency = "EUR"


class OrderSubmissionFactory(ScopedModelFactory):
    """The claimed key of the form that created an order."""

    class Meta:
        model = OrderSubmission

    order = factory.SubFactory(OrderFactory)
    manufacturer = factory.SelfAttribute("order.manufacturer")
    submission_key = factory.Faker("uuid4", cast_to=None)


class ProcessedWebhookFactory(factory.django.DjangoModelFactory):
    """A provider event already handled (orders.services.payments.payment_webhook_receive)."""

    class Meta:
        model = ProcessedWebhook

    provider = "fakepay"
    event_id = factory.Sequence(lambda n: f"evt_{n}")


class OrderTallyFactory(ScopedModelFactory):
    """A tally row of a new partnership (test_factories only: real rows come from orders)."""

    class Meta:
        model = OrderTally

    partnership = factory.SubFactory(PartnershipFactory)
    manufacturer = factory.SelfAttribute("partnership.manufacturer")
    span = TallySpan.DAY
    start = factory.LazyFunction(timezone.localdate)
    measure = OrderStatus.PLACED
    orders = 1
    amount = Decimal("10.00")
