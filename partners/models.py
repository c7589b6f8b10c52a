"""Partner performance: staff ratings of orders and the monthly scorecards built from orders.

A scorecard row holds one partnership's figures for one calendar month, computed in the
database by `partners.services.scorecards` from orders, returns and ratings. The rates are
stored next to the counts they come from so the leaderboard can sort on them; a rate whose
denominator is zero is NULL ("no orders"), never 0 %.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer
from channel.models import Partnership
from core.bounds import (
    MAX_PERCENT,
    MAX_TEXT_LENGTH,
    MONEY_PLACES,
    SUM_DIGITS,
    between,
    percent_validators,
)
from core.constraints import one_of
from orders.models import Order

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_SATISFACTION = 1
MAX_SATISFACTION = 5


class OrderRating(models.Model):
    """What staff recorded about one order: the end customer's satisfaction (1–5) and
    whether the delivery address the reseller gave was right."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="rating")
    satisfaction = models.PositiveSmallIntegerField(
        _("customer satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_SATISFACTION), MaxValueValidator(MAX_SATISFACTION)],
    )
    address_accurate = models.BooleanField(_("address was accurate"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            between(
                "satisfaction", MIN_SATISFACTION, MAX_SATISFACTION, name="rating_satisfaction_1_5"
            ),
        ]
        verbose_name = _("order rating")
        verbose_name_plural = _("order ratings")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.satisfaction}"


def _rate_field(label: "StrOrPromise") -> "models.DecimalField[Decimal | None, Decimal | None]":
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=percent_validators(),
    )


def _money_field(label: "StrOrPromise") -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(
        label,
        max_digits=SUM_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )


class Scorecard(models.Model):
    """One partnership's figures for one month (`month` is its first day)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="scorecards"
    )
    month = models.DateField(_("month"))
    orders = models.PositiveIntegerField(_("orders"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    revenue = _money_field(_("order value"))
    average_order_value = _money_field(_("average order value"))
    returns_amount = _money_field(_("returns"))
    acceptance_rate = _rate_field(_("acceptance rate (%)"))
    completion_rate = _rate_field(_("completion rate (%)"))
    cancellation_rate = _rate_field(_("cancellation rate (%)"))
    new_customers = models.PositiveIntegerField(_("new end customers"), default=0)
    repeat_customers = models.PositiveIntegerField(_("repeat end customers"), default=0)
    rated_orders = models.PositiveIntegerField(_("orders rated"), default=0)
    satisfaction = models.DecimalField(
        _("average satisfaction"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(MIN_SATISFACTION)),
            MaxValueValidator(Decimal(MAX_SATISFACTION)),
        ],
    )
    address_checked = models.PositiveIntegerField(_("addresses checked"), default=0)
    address_accuracy = _rate_field(_("address accuracy (%)"))
    # {category name: order value} of the month's orders that were not cancelled or rejected.
    category_mix = models.JSONField(_("category mix"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["partnership_id", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "month"], name="one_scorecard_per_partnership_month"
            ),
            between("acceptance_rate", 0, MAX_PERCENT, name="scorecard_acceptance_bounded"),
            between("completion_rate", 0, MAX_PERCENT, name="scorecard_completion_bounded"),
            between("cancellation_rate", 0, MAX_PERCENT, name="scorecard_cancellation_bounded"),
            between("address_accuracy", 0, MAX_PERCENT, name="scorecard_address_bounded"),
            between(
                "satisfaction", MIN_SATISFACTION, MAX_SATISFACTION, name="scorecard_satisfaction"
            ),
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="scorecard_revenue"),
            models.CheckConstraint(
                condition=models.Q(average_order_value__gte=0), name="scorecard_aov"
            ),
            models.CheckConstraint(
                condition=models.Q(returns_amount__gte=0), name="scorecard_returns"
            ),
        ]
        indexes = [
            models.Index(fields=["manufacturer", "month"], name="scorecard_tenant_month_idx"),
        ]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.month:%Y-%m}"


# --- tiers -----------------------------------------------------------------------------------

# Published criteria: a monthly order count a tier may ask for, and how long it is held.
MAX_MONTHLY_ORDERS = 100_000
MAX_MONTHS_HELD = 24
MAX_EARLY_ACCESS_DAYS = 365


class Cadence(models.TextChoices):
    NONE = "none", _("None")
    MONTHLY = "monthly", _("Monthly check-in")
    QUARTERLY = "quarterly", _("Quarterly business review")


class Tier(models.Model):
    """A published partner tier of one manufacturer: its criteria and its benefits.

    `rank` orders the tiers (0 is the entry tier every partner starts in). A partner is
    promoted to a tier when, in each of the last `months_held` complete months, it met all of
    the tier's criteria; a criterion left empty is not asked for.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        validators=[MaxValueValidator(99)],
        help_text=_("0 is the entry tier; a higher rank is a better tier."),
    )
    description = models.TextField(
        _("benefits, as partners read them"), blank=True, max_length=2000
    )
    # Criteria
    min_monthly_orders = models.PositiveIntegerField(
        _("minimum orders per month"),
        default=0,
        validators=[MaxValueValidator(MAX_MONTHLY_ORDERS)],
    )
    min_completion_rate = _rate_field(_("minimum completion rate (%)"))
    max_cancellation_rate = _rate_field(_("maximum cancellation rate (%)"))
    min_satisfaction = models.DecimalField(
        _("minimum satisfaction (1–5)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(MIN_SATISFACTION)),
            MaxValueValidator(Decimal(MAX_SATISFACTION)),
        ],
    )
    months_held = models.PositiveSmallIntegerField(
        _("held for (months)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS_HELD)],
    )
    # Benefits
    discount_percent = models.DecimalField(
        _("better pricing (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=percent_validators(),
        help_text=_("Taken off every price the partner sees, after its own discount."),
    )
    commission_rate = _rate_field(_("commission rate (%)"))
    early_access_days = models.PositiveSmallIntegerField(
        _("early access to new offers (days)"),
        default=0,
        validators=[MaxValueValidator(MAX_EARLY_ACCESS_DAYS)],
    )
    priority_support = models.BooleanField(_("priority support queue"), default=False)
    exclusive_offers = models.BooleanField(_("exclusive offers"), default=False)
    account_manager = models.BooleanField(_("named account manager"), default=False)
    co_marketing = models.BooleanField(_("co-marketing"), default=False)
    check_ins = models.CharField(
        _("check-ins"), max_length=20, choices=Cadence, default=Cadence.NONE
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "rank"], name="unique_tier_rank"),
            models.UniqueConstraint(fields=["manufacturer", "name"], name="unique_tier_name"),
            between("rank", 0, 99, name="tier_rank_bounded"),
            between("min_monthly_orders", 0, MAX_MONTHLY_ORDERS, name="tier_orders_bounded"),
            between("min_completion_rate", 0, MAX_PERCENT, name="tier_completion_bounded"),
            between("max_cancellation_rate", 0, MAX_PERCENT, name="tier_cancellation_bounded"),
            between(
                "min_satisfaction", MIN_SATISFACTION, MAX_SATISFACTION, name="tier_satisfaction"
            ),
            between("months_held", 1, MAX_MONTHS_HELD, name="tier_months_held_bounded"),
            between("discount_percent", 0, MAX_PERCENT, name="tier_discount_bounded"),
            between("commission_rate", 0, MAX_PERCENT, name="tier_commission_bounded"),
            between("early_access_days", 0, MAX_EARLY_ACCESS_DAYS, name="tier_early_bounded"),
            one_of("check_ins", Cadence, name="tier_check_ins_valid"),
        ]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self) -> str:
        return self.name


class PartnerTier(models.Model):
    """The tier a partnership is in now. A partnership without a row is in the entry tier."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="partner_tier"
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="members")
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account manager"),
    )
    since = models.DateTimeField(_("in this tier since"))

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        verbose_name = _("partner tier")
        verbose_name_plural = _("partner tiers")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.tier_id}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    OVERRIDDEN = "overridden", _("Overridden")


class TierProposal(models.Model):
    """What the periodic evaluation proposes for one partnership, with the figures of the
    months it looked at; a manager approves it or overrides it with a reason."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="tier_proposals"
    )
    from_tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+")
    to_tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+")
    # [{"month": "2026-04", "orders": 12, "completion_rate": "97.00", ...}, ...]
    figures = models.JSONField(_("figures"), default=list, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(_("proposed at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_tier = models.ForeignKey(
        Tier, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True, max_length=MAX_TEXT_LENGTH)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="pending"),
                name="one_pending_tier_proposal",
            ),
            one_of("status", ProposalStatus, name="tier_proposal_status_valid"),
        ]
        verbose_name = _("tier proposal")
        verbose_name_plural = _("tier proposals")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.from_tier_id} → {self.to_tier_id}"


class TierChange(models.Model):
    """One step of a partnership's tier history: who moved it from what to what, and why."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="tier_changes"
    )
    from_tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(
        TierProposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=MAX_TEXT_LENGTH)
    created_at = models.DateTimeField(_("changed at"))

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.from_tier_id} → {self.to_tier_id}"
