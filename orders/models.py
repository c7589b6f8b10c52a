from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer, Reseller
from catalog.models import Product
from channel.models import EndCustomer, Partnership, PaymentMethod, ShippingMethod
from core.bounds import (
    AMOUNT_DIGITS,
    MAX_AMOUNT,
    MAX_PRICE,
    MAX_QUANTITY,
    MAX_TEXT_LENGTH,
    MONEY_PLACES,
    PRICE_DIGITS,
    SUM_DIGITS,
    amount_validators,
    between,
    price_validators,
    quantity_validators,
)
from core.constraints import currency_code, one_of


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PLACED = "placed", _("Placed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    FULFILLED = "fulfilled", _("Fulfilled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class SaleKind(models.TextChoices):
    """Who the order is priced for (orders.pricing holds the rule)."""

    CUSTOMER_PAYS = "customer_pays", _("End customer pays through a payment link")
    WHOLESALE = "wholesale", _("Wholesale, for resale")
    OWN_USE = "own_use", _("Own use")


class Order(models.Model):
    """An order of one reseller from one manufacturer, through their partnership.

    Totals are computed once, in Decimal, when the order is created (orders.services) and
    stored, so statistics aggregate indexed columns instead of looping over lines.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="orders")
    # Referenced by name: resellers sits above orders (ARCHITECTURE.md rule 4).
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="orders")
    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="orders")
    end_customer = models.ForeignKey(
        EndCustomer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("end customer"),
    )
    own_use = models.BooleanField(
        _("for the reseller's own use"),
        default=False,
        help_text=_("Own-use orders earn no commission."),
    )
    sale_kind = models.CharField(
        _("kind of sale"), max_length=20, choices=SaleKind, default=SaleKind.WHOLESALE
    )
    number = models.CharField(_("order number"), max_length=30)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus, default=OrderStatus.PLACED
    )
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(
        _("subtotal"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=amount_validators(),
    )
    discount_total = models.DecimalField(
        _("discount"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0.00"),
        validators=amount_validators(),
    )
    total = models.DecimalField(
        _("total"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=amount_validators(),
        help_text=_("At the reseller's prices."),
    )
    # What the end customer pays, at the manufacturer's retail prices for their market;
    # set only on orders the end customer pays (SaleKind.CUSTOMER_PAYS).
    retail_total = models.DecimalField(
        _("customer total"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=amount_validators(),
    )
    payment_method = models.CharField(_("payment method"), max_length=20, blank=True)
    shipping_method = models.CharField(_("shipping method"), max_length=20, blank=True)
    # A user who placed orders is deactivated, not deleted: the order keeps who placed it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    is_manual = models.BooleanField(
        _("manual order"),
        default=False,
        help_text=_("Created by manufacturer staff or a sales rep on the reseller's behalf."),
    )
    created_at = models.DateTimeField(_("ordered at"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "number"], name="unique_order_number"),
            models.CheckConstraint(
                condition=~(models.Q(own_use=True) & models.Q(end_customer__isnull=False)),
                name="own_use_order_has_no_end_customer",
            ),
            between("subtotal", 0, MAX_AMOUNT, name="order_subtotal_bounded"),
            between("discount_total", 0, MAX_AMOUNT, name="order_discount_bounded"),
            between("total", 0, MAX_AMOUNT, name="order_total_bounded"),
            between("retail_total", 0, MAX_AMOUNT, name="order_retail_total_bounded"),
            models.CheckConstraint(
                condition=models.Q(own_use=True, sale_kind=SaleKind.OWN_USE)
                | (models.Q(own_use=False) & ~models.Q(sale_kind=SaleKind.OWN_USE)),
                name="order_own_use_is_its_sale_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(sale_kind=SaleKind.CUSTOMER_PAYS)
                | models.Q(retail_total__isnull=False, end_customer__isnull=False),
                name="customer_sale_has_customer_and_retail_total",
            ),
            one_of("sale_kind", SaleKind, name="order_sale_kind_valid"),
            one_of("status", OrderStatus, name="order_status_valid"),
            currency_code("currency", name="order_currency_valid"),
            # Copied from the partnership's conditions when the order is placed.
            one_of("payment_method", PaymentMethod, name="order_payment_method_valid", blank=True),
            one_of(
                "shipping_method", ShippingMethod, name="order_shipping_method_valid", blank=True
            ),
        ]
        indexes = [
            models.Index(fields=["manufacturer", "created_at"], name="order_tenant_date_idx"),
            models.Index(
                fields=["manufacturer", "reseller", "created_at"], name="order_reseller_date_idx"
            ),
            models.Index(fields=["manufacturer", "status"], name="order_tenant_status_idx"),
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number


class OrderSubmission(models.Model):
    """The one-time key of an order form (checkout, manual order, the reseller's order
    page), claimed before the order is created: a double submit finds the key taken, waits
    for the first to commit and answers its order instead of creating a second one."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    submission_key = models.UUIDField()
    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="submission"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "submission_key"], name="unique_order_submission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_key} → {self.order_id}"


class OrderNumberCounter(models.Model):
    """The last order number a manufacturer has given out (orders.services draws the next).

    It only goes up: a deleted order's number is never given out again, and the row is
    locked while an order takes its number, so orders placed at once never draw the same.
    """

    manufacturer = models.OneToOneField(Manufacturer, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    objects = ScopedManager(manufacturer="manufacturer")

    def __str__(self) -> str:
        return f"{self.manufacturer_id}: {self.last_number}"


class OrderLine(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    sku = models.CharField(_("SKU"), max_length=60)
    name = models.CharField(_("product"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), validators=quantity_validators())
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=PRICE_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=price_validators(),
    )
    line_total = models.DecimalField(
        _("line total"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=amount_validators(),
    )
    # The end customer's price, captured with the reseller's (unit_price) when ordered.
    retail_unit_price = models.DecimalField(
        _("customer unit price"),
        max_digits=PRICE_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=price_validators(),
    )
    retail_line_total = models.DecimalField(
        _("customer line total"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=amount_validators(),
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["pk"]
        constraints = [
            between("retail_unit_price", 0, MAX_PRICE, name="order_line_retail_price_bounded"),
            between("retail_line_total", 0, MAX_AMOUNT, name="order_line_retail_total_bounded"),
            models.CheckConstraint(
                condition=models.Q(retail_unit_price__isnull=True, retail_line_total__isnull=True)
                | models.Q(retail_unit_price__isnull=False, retail_line_total__isnull=False),
                name="order_line_retail_price_and_total_together",
            ),
            # order_create adds up a product named on several lines into one line.
            models.UniqueConstraint(fields=["order", "product"], name="one_line_per_order_product"),
            between("quantity", 1, MAX_QUANTITY, name="order_line_quantity_bounded"),
            between("unit_price", 0, MAX_PRICE, name="order_line_unit_price_bounded"),
            between("line_total", 0, MAX_AMOUNT, name="order_line_total_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class OrderStatusChange(models.Model):
    """One step of an order's timeline: who moved it from what to what, when and why."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=OrderStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(db_index=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            one_of("from_status", OrderStatus, name="order_change_from_valid", blank=True),
            one_of("to_status", OrderStatus, name="order_change_to_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class NoteSide(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer")
    RESELLER = "reseller", _("Reseller")


class OrderNote(models.Model):
    """A note on an order: internal notes are seen only by the writer's organisation."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    side = models.CharField(max_length=20, choices=NoteSide)
    is_internal = models.BooleanField(
        _("internal"),
        default=True,
        help_text=_(
            "Internal notes are seen only by your organisation; others are customer-facing."
        ),
    )
    body = models.TextField(_("note"), max_length=MAX_TEXT_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [one_of("side", NoteSide, name="order_note_side_valid")]

    def __str__(self) -> str:
        return self.body[:60]


class OrderReturn(models.Model):
    """Goods or services that came back; commissions on them are voided (commissions)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    returned_at = models.DateTimeField(_("returned at"), db_index=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=amount_validators(),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["returned_at", "pk"]
        constraints = [between("amount", 0, MAX_AMOUNT, name="order_return_amount_bounded")]

    def __str__(self) -> str:
        return f"{self.order_id} returned {self.returned_at:%Y-%m-%d}"


class OrderReturnLine(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order_return = models.ForeignKey(OrderReturn, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="returned")
    quantity = models.PositiveIntegerField(validators=quantity_validators())
    amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=MONEY_PLACES, validators=amount_validators()
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_return", "order_line"], name="one_return_line_per_order_line"
            ),
            between("quantity", 1, MAX_QUANTITY, name="return_line_quantity_bounded"),
            between("amount", 0, MAX_AMOUNT, name="return_line_amount_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line_id}"


class Cart(models.Model):
    """A reseller's basket for one end customer, before it becomes an order."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="carts")
    end_customer = models.ForeignKey(
        EndCustomer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            # One cart per reseller user and partnership: checkout empties it, never a second.
            models.UniqueConstraint(
                fields=["partnership", "created_by"], name="one_cart_per_partnership_user"
            )
        ]

    def __str__(self) -> str:
        return f"Cart {self.pk}"


class CartLine(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(validators=quantity_validators())

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="unique_cart_product"),
            between("quantity", 1, MAX_QUANTITY, name="cart_line_quantity_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class PaymentLink(models.Model):
    """A single-use link that lets an end customer pay an order without an account.

    Only a hash of the token is stored: a database leak does not give working links.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    recipient = models.EmailField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # When the reseller was told the link expired unpaid (or it was replaced by a new one):
    # the periodic job tells each expiry once.
    expiry_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=models.Q(used_at__isnull=True, expiry_notified_at__isnull=True),
                name="payment_link_expiry_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Payment link for order {self.order_id}"


class PaymentStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class AttemptStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class PaymentAttempt(models.Model):
    """One try at charging an order through its payment link, written and committed before
    the provider is called and confirmed in a new transaction after it answers.

    The idempotency key is what the provider sees: a retry of the same attempt (the
    customer pays again after a crash, or the reconciliation job asks) reuses it, so the
    provider never charges twice for it. A pending attempt that nobody confirms is finished
    by `orders.services.payments.payment_attempts_reconcile`.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payment_attempts")
    link = models.ForeignKey(PaymentLink, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=80, unique=True)
    provider = models.CharField(max_length=40)
    amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=MONEY_PLACES, validators=amount_validators()
    )
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=AttemptStatus, default=AttemptStatus.PENDING)
    provider_reference = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "number"], name="unique_attempt_number"),
            # At most one attempt of an order is in flight, whichever link it came through:
            # a retry reuses it, so an order is never charged by two attempts at once.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status="pending"),
                name="one_pending_attempt_per_order",
            ),
            between("amount", 0, MAX_AMOUNT, name="payment_attempt_amount_bounded"),
            one_of("status", AttemptStatus, name="payment_attempt_status_valid"),
            currency_code("currency", name="payment_attempt_currency_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} {self.status}"


class TestProviderCharge(models.Model):
    """The built-in test provider's own ledger (orders.payments.TestPaymentProvider): one row
    per idempotency key, so a key is never charged twice and tests can count charges. It
    stands for the provider's side of the world, so it carries no tenant."""

    __test__ = False  # not a pytest test class

    idempotency_key = models.CharField(max_length=80, unique=True)
    succeeded = models.BooleanField()
    reference = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=MONEY_PLACES, validators=amount_validators()
    )
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            between("amount", 0, MAX_AMOUNT, name="test_provider_charge_amount_bounded"),
            currency_code("currency", name="test_provider_charge_currency_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} {self.reference or self.error}"


class Payment(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=40)
    provider_reference = models.CharField(max_length=120)
    amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=MONEY_PLACES, validators=amount_validators()
    )
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=PaymentStatus)
    # The attempt this payment confirms: one payment per attempt, however often it is confirmed.
    attempt = models.OneToOneField(
        PaymentAttempt, on_delete=models.PROTECT, null=True, blank=True, related_name="payment"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            # An order is paid once, even when the customer double-submits.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status="succeeded"),
                name="one_successful_payment_per_order",
            ),
            # A provider's reference names one payment: a replayed callback records nothing.
            models.UniqueConstraint(
                fields=["provider", "provider_reference"], name="unique_payment_reference"
            ),
            between("amount", 0, MAX_AMOUNT, name="payment_amount_bounded"),
            one_of("status", PaymentStatus, name="payment_status_valid"),
            currency_code("currency", name="payment_currency_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_reference} {self.status}"


class ProcessedWebhook(models.Model):
    """A provider's event already handled: a replayed webhook changes nothing."""

    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="unique_webhook_event")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class TallySpan(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    EVER = "ever", _("all time")


# What a tally row counts: orders now in one status, or returns (`RETURN_MEASURE`).
RETURN_MEASURE = "return"
TALLY_MEASURES = [*OrderStatus.values, RETURN_MEASURE]


class OrderTally(models.Model):
    """How many orders of a partnership are in one status, and their value, per UTC day,
    per month and for all time; the same for returns. Kept by orders.summaries inside the
    transaction of every change, so the dashboards never aggregate the order history.

    `placed_by` is empty on the rows of all orders; the manual orders a user placed are
    counted once more on rows with `placed_by` set, for the sales rep who sees those
    outside their portfolio (orders.visibility).
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    span = models.CharField(max_length=5, choices=TallySpan)
    # The day, the first day of the month, or orders.summaries.EVER.
    start = models.DateField()
    measure = models.CharField(max_length=20, choices=[(m, m) for m in TALLY_MEASURES])
    orders = models.IntegerField(default=0)
    amount = models.DecimalField(
        max_digits=SUM_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0.00")
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "span", "start", "measure"],
                condition=models.Q(placed_by__isnull=True),
                name="order_tally_unique",
            ),
            models.UniqueConstraint(
                fields=["partnership", "placed_by", "span", "start", "measure"],
                condition=models.Q(placed_by__isnull=False),
                name="order_tally_placed_by_unique",
            ),
            one_of("span", TallySpan, name="order_tally_span_valid"),
            one_of("measure", TALLY_MEASURES, name="order_tally_measure_valid"),
            models.CheckConstraint(condition=models.Q(orders__gte=0), name="order_tally_orders"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="order_tally_amount"),
        ]
        indexes = [
            models.Index(
                fields=["manufacturer", "span", "start", "measure"], name="order_tally_read_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.span} {self.start} {self.measure}: {self.orders}"
