"""The commission ledger, its rates and windows, payout requests and payout batches.

The ledger (`CommissionEntry`) is append-only: every amount a reseller earns, loses or is
paid is one row with a credit or a debit, never changed and never deleted (PostgreSQL
refuses both, django-pgtrigger's `Protect`). Every balance anywhere is a sum of entries.

What changes over time lives beside it: an entry is *payable* once its `eligible_from` day
has come (a date the daily job scans, ARCHITECTURE.md rule 6), and *requested* or *paid*
once a `PayoutItem` puts it into a `PayoutRequest`. `PayoutItem.entry` is unique, so one
entry is paid at most once however many workers run; `business_key` is unique per tenant,
so one order accrues, is reversed and is clawed back at most once.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer
from catalog.models import Category, Product
from channel.models import Partnership
from core.bounds import (
    AMOUNT_DIGITS,
    MAX_AMOUNT,
    MAX_PERCENT,
    MAX_TEXT_LENGTH,
    MAX_WEEKS,
    MONEY_PLACES,
    amount_validators,
    between,
    percent_validators,
)
from core.constraints import currency_code, one_of
from orders.models import Order, OrderReturn

ZERO = Decimal("0.00")


class EntryKind(models.TextChoices):
    ACCRUAL = "accrual", _("Commission earned")
    REVERSAL = "reversal", _("Commission voided")
    CLAWBACK = "clawback", _("Clawback after payout")
    ADJUSTMENT = "adjustment", _("Manual adjustment")
    PAYOUT = "payout", _("Payout")


class RateRule(models.TextChoices):
    """Which rule gave an accrual its rate (shown to the reseller on the entry)."""

    DEFAULT = "default", _("the manufacturer's default rate")
    PARTNERSHIP = "partnership", _("your partnership's own rate")
    TIER = "tier", _("your partner tier's rate")
    CATEGORY = "category", _("the rate of the product's category")


class RateScope(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Default for every reseller")
    PARTNERSHIP = "partnership", _("One partnership")
    CATEGORY = "category", _("One category")


class CommissionSettings(models.Model):
    """A manufacturer's payout rules that the settings page does not hold yet."""

    manufacturer = models.OneToOneField(
        Manufacturer, on_delete=models.CASCADE, related_name="commission_settings"
    )
    minimum_payout = models.DecimalField(
        _("minimum payout"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("50.00"),
        validators=amount_validators(),
        help_text=_("A reseller can request a payout once its payable balance reaches this."),
    )
    service_returns_void = models.BooleanField(
        _("returned services void the commission"),
        default=False,
        help_text=_(
            "A return of a physical product always voids the order's commission; "
            "tick this to void it when a service is returned too."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            between("minimum_payout", 0, MAX_AMOUNT, name="commission_minimum_payout_bounded")
        ]
        verbose_name = _("commission settings")
        verbose_name_plural = _("commission settings")

    def __str__(self) -> str:
        return f"Commission settings of {self.manufacturer_id}"


class CommissionRate(models.Model):
    """A rate in % from `effective_from` on, for the whole tenant, one partnership or one
    category. A change is a new row with a later date: the old one keeps its history, and
    an entry keeps the rate it was accrued at."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(_("applies to"), max_length=20, choices=RateScope)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rate = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, validators=percent_validators()
    )
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-effective_from", "-pk"]
        constraints = [
            one_of("scope", RateScope, name="commission_rate_scope_valid"),
            between("rate", 0, MAX_PERCENT, name="commission_rate_bounded"),
            models.CheckConstraint(
                condition=models.Q(
                    scope=RateScope.MANUFACTURER, partnership__isnull=True, category__isnull=True
                )
                | models.Q(
                    scope=RateScope.PARTNERSHIP, partnership__isnull=False, category__isnull=True
                )
                | models.Q(
                    scope=RateScope.CATEGORY, partnership__isnull=True, category__isnull=False
                ),
                name="commission_rate_names_its_scope",
            ),
            models.UniqueConstraint(
                fields=["manufacturer", "scope", "partnership", "category", "effective_from"],
                nulls_distinct=False,
                name="one_commission_rate_per_scope_and_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.rate}% from {self.effective_from}"


class CommissionFree(models.Model):
    """A product or a whole category that earns no commission."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product__isnull=False, category__isnull=True)
                | models.Q(product__isnull=True, category__isnull=False),
                name="commission_free_names_one_thing",
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(product__isnull=False),
                name="commission_free_product_once",
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(category__isnull=False),
                name="commission_free_category_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Commission-free {self.product_id or self.category_id}"


class PartnershipPayoutTerms(models.Model):
    """A shorter (or longer) holding period for one partnership, "based on performance and
    trust"; without a row the manufacturer's holding period applies."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="payout_terms"
    )
    holding_weeks = models.PositiveSmallIntegerField(_("holding period (weeks)"))
    reason = models.CharField(_("reason"), max_length=300)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            between("holding_weeks", 0, MAX_WEEKS, name="partnership_holding_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.holding_weeks} weeks"


class PayoutDetails(models.Model):
    """Where a reseller's payouts of one manufacturer go: an IBAN or an account number."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="payout_details"
    )
    account_holder = models.CharField(_("account holder"), max_length=140)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    account_number = models.CharField(_("account number"), max_length=34, blank=True)
    bank_code = models.CharField(_("bank or routing code"), max_length=20, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(iban="") | ~models.Q(account_number=""),
                name="payout_details_name_an_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_holder} {self.masked_account}"

    @property
    def masked_account(self) -> str:
        """The account with all but its last four characters hidden."""
        account = self.iban or self.account_number
        if len(account) <= 4:
            return "•" * len(account)
        return (
            f"{account[:2]}{'•' * (len(account) - 6)}{account[-4:]}"
            if self.iban
            else (f"{'•' * (len(account) - 4)}{account[-4:]}")
        )


class PayoutBatchStatus(models.TextChoices):
    APPROVED = "approved", _("Approved, to be paid")
    PAID = "paid", _("Paid")


class PayoutBatch(models.Model):
    """Payout requests an owner or manager approved together, paid by one bank transfer run."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=20, choices=PayoutBatchStatus, default=PayoutBatchStatus.APPROVED
    )
    currency = models.CharField(max_length=3)
    reference = models.CharField(_("payment reference"), max_length=120, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField()
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-approved_at", "-pk"]
        constraints = [
            one_of("status", PayoutBatchStatus, name="payout_batch_status_valid"),
            currency_code("currency", name="payout_batch_currency_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=PayoutBatchStatus.PAID)
                | (models.Q(paid_at__isnull=False) & ~models.Q(reference="")),
                name="paid_batch_has_date_and_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"Batch {self.pk}"


class PayoutRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


class PayoutOrigin(models.TextChoices):
    RESELLER = "reseller", _("Requested by the reseller")
    DEADLINE = "deadline", _("Reached its pay-by date")


OPEN_REQUEST_STATUSES = (PayoutRequestStatus.REQUESTED, PayoutRequestStatus.APPROVED)


class PayoutRequest(models.Model):
    """A payout of a partnership's payable entries (its `items`), requested by the reseller
    or by the daily job for entries that reach their pay-by date."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="payout_requests"
    )
    amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=MONEY_PLACES, validators=amount_validators()
    )
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=20, choices=PayoutRequestStatus, default=PayoutRequestStatus.REQUESTED
    )
    origin = models.CharField(max_length=20, choices=PayoutOrigin, default=PayoutOrigin.RESELLER)
    batch = models.ForeignKey(
        PayoutBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            between("amount", 0, MAX_AMOUNT, name="payout_request_amount_bounded"),
            currency_code("currency", name="payout_request_currency_valid"),
            one_of("status", PayoutRequestStatus, name="payout_request_status_valid"),
            one_of("origin", PayoutOrigin, name="payout_request_origin_valid"),
            # One open request per partnership: a second waits until the first is paid.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status__in=OPEN_REQUEST_STATUSES),
                name="one_open_payout_request_per_partnership",
            ),
            models.CheckConstraint(
                condition=models.Q(status=PayoutRequestStatus.REQUESTED)
                | models.Q(batch__isnull=False),
                name="approved_payout_request_has_a_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"Payout request {self.pk}"


class CommissionEntry(models.Model):
    """One line of a partnership's commission ledger: a credit or a debit, never both.

    Accruals, positive adjustments: credit. Reversals, clawbacks, negative adjustments and
    payouts: debit. `eligible_from` is when the amount counts as payable (the end of the
    holding period for an accrual and its reversal; the day it is written otherwise);
    `pay_by` is the deadline of an accrual.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="commission_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind)
    credit = models.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        default=ZERO,
        validators=amount_validators(),
    )
    debit = models.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        default=ZERO,
        validators=amount_validators(),
    )
    currency = models.CharField(max_length=3)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order_return = models.ForeignKey(
        OrderReturn, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    payout_request = models.ForeignKey(
        PayoutRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the commission was computed on, frozen: the base, the rate in % and its rule.
    base = models.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=amount_validators(),
    )
    rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=percent_validators()
    )
    rule = models.CharField(max_length=20, choices=RateRule, blank=True)
    rule_detail = models.CharField(max_length=200, blank=True)
    eligible_from = models.DateField()
    pay_by = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=MAX_TEXT_LENGTH)
    business_key = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "business_key"], name="unique_commission_business_key"
            ),
            one_of("kind", EntryKind, name="commission_entry_kind_valid"),
            one_of("rule", RateRule, name="commission_entry_rule_valid", blank=True),
            currency_code("currency", name="commission_entry_currency_valid"),
            between("credit", 0, MAX_AMOUNT, name="commission_entry_credit_bounded"),
            between("debit", 0, MAX_AMOUNT, name="commission_entry_debit_bounded"),
            between("base", 0, MAX_AMOUNT, name="commission_entry_base_bounded"),
            between("rate", 0, MAX_PERCENT, name="commission_entry_rate_bounded"),
            models.CheckConstraint(
                condition=models.Q(credit=0) | models.Q(debit=0), name="entry_is_credit_or_debit"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=EntryKind.ACCRUAL) | models.Q(debit=0),
                name="accrual_is_a_credit",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    kind__in=[EntryKind.REVERSAL, EntryKind.CLAWBACK, EntryKind.PAYOUT]
                )
                | models.Q(credit=0),
                name="reversal_clawback_payout_are_debits",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=EntryKind.ADJUSTMENT) | ~models.Q(reason=""),
                name="adjustment_has_a_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["manufacturer", "eligible_from"], name="entry_tenant_eligible_idx"
            ),
            models.Index(fields=["manufacturer", "pay_by"], name="entry_tenant_pay_by_idx"),
            models.Index(fields=["partnership", "created_at"], name="entry_partnership_date_idx"),
            models.Index(fields=["order"], name="entry_order_idx"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="ledger_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]
        verbose_name = _("commission entry")
        verbose_name_plural = _("commission entries")

    def __str__(self) -> str:
        return f"{self.kind} {self.credit or -self.debit} {self.currency}"

    @property
    def net(self) -> Decimal:
        return self.credit - self.debit


class PayoutItem(models.Model):
    """An entry in a payout request. `entry` is unique: nothing is paid twice."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(PayoutRequest, on_delete=models.CASCADE, related_name="items")
    entry = models.OneToOneField(
        CommissionEntry, on_delete=models.PROTECT, related_name="payout_item"
    )

    objects = ScopedManager(manufacturer="manufacturer")

    def __str__(self) -> str:
        return f"{self.entry_id} in {self.request_id}"


class WindowExtension(models.Model):
    """An owner moved one accrual's pay-by date later, for a reason ("special cases")."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        CommissionEntry, on_delete=models.PROTECT, related_name="window_extensions"
    )
    pay_by = models.DateField(_("new pay-by date"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="extension_has_a_reason")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} pay by {self.pay_by}"


class CommissionJobRun(models.Model):
    """One day's run of the daily job for one tenant: a second run that day finds it and
    sends nothing again (the unique key decides between two workers)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    run_date = models.DateField()
    became_payable = models.PositiveIntegerField(default=0)
    batched = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-run_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "run_date"], name="one_commission_run_per_day"
            ),
            between("became_payable", 0, 2_147_483_647, name="job_run_payable_bounded"),
            between("batched", 0, 2_147_483_647, name="job_run_batched_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer_id} {self.run_date}"
