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
    MONEY_PLACES,
    SUM_DIGITS,
    between,
    percent_validators,
)
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
