"""Partner performance: staff ratings of orders and the monthly scorecards built from orders.

A scorecard row holds one partnership's figures for one calendar month, computed in the
database by `partners.services.scorecards` from orders, returns and ratings. The rates are
stored next to the counts they come from so the leaderboard can sort on them; a rate whose
denominator is zero is NULL ("no orders"), never 0 %.
"""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from accounts.models import Manufacturer, Region
from catalog.models import Product
from channel.models import Partnership
from core.bounds import (
    MAX_PERCENT,
    MAX_PRICE,
    MAX_QUANTITY,
    MAX_TEXT_LENGTH,
    MONEY_PLACES,
    PRICE_DIGITS,
    SUM_DIGITS,
    between,
    percent_validators,
    price_validators,
    quantity_validators,
)
from core.constraints import one_of
from orders.models import Order

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_SATISFACTION = 1
MAX_SATISFACTION = 5
MAX_RESPONSE_HOURS = Decimal("99999.9")


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
    # The partner's replies to the manufacturer's messages in the month, and their average
    # wait in hours (None: it answered nothing).
    responses = models.PositiveIntegerField(_("replies to the manufacturer"), default=0)
    response_hours = models.DecimalField(
        _("average response time (hours)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_RESPONSE_HOURS)],
    )
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
            between("response_hours", 0, MAX_RESPONSE_HOURS, name="scorecard_response_hours"),
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
    APPROVED = "approved", pgettext_lazy("tier proposal", "Approved")  # a proposal: feminine
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

    def figure_rows(self) -> list[dict[str, object]]:
        """The stored figures as values a page formats: the month as a date, rates as
        decimals (None where the month had no orders)."""

        def decimal(value: object) -> Decimal | None:
            return None if value in (None, "") else Decimal(str(value))

        return [
            {
                "month": date.fromisoformat(f"{row['month']}-01"),
                "orders": row.get("orders", 0),
                "completion_rate": decimal(row.get("completion_rate")),
                "cancellation_rate": decimal(row.get("cancellation_rate")),
                "satisfaction": decimal(row.get("satisfaction")),
            }
            for row in self.figures
        ]


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


# --- offers ----------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: every verified partner")
    PREFERRED = "preferred", _("Preferred: partners from a minimum tier")
    SELECTED = "selected", _("Selected: named partners only")


class Offer(models.Model):
    """Products or a service bundle at a price, with terms, published to the partners it is
    open to (`partners.selectors.offers.offers_open_to` holds the one rule)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    terms = models.TextField(_("terms"), blank=True, max_length=MAX_TEXT_LENGTH)
    price = models.DecimalField(
        _("offer price"),
        max_digits=PRICE_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=price_validators(),
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility, default=Visibility.PUBLIC
    )
    min_tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minimum tier"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    early_access = models.BooleanField(
        _("early access"),
        default=True,
        help_text=_("Partners whose tier gives early access see it that many days sooner."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            between("price", 0, MAX_PRICE, name="offer_price_bounded"),
            one_of("visibility", Visibility, name="offer_visibility_valid"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="offer_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(visibility="preferred") | models.Q(min_tier__isnull=False),
                name="preferred_offer_has_a_tier",
            ),
        ]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.title


class OfferItem(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=quantity_validators()
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "product"], name="one_offer_item_per_product"),
            between("quantity", 1, MAX_QUANTITY, name="offer_item_quantity_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class AreaKind(models.TextChoices):
    REGION = "region", _("Region")
    POSTAL = "postal", _("Postal-code prefix")


class OfferArea(models.Model):
    """Where an offer is open: a region, or the start of a postal code. None: everywhere."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=10, choices=AreaKind)
    value = models.CharField(max_length=30)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "kind", "value"], name="unique_offer_area"),
            one_of("kind", AreaKind, name="offer_area_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class OfferRecipient(models.Model):
    """A partner named on a `selected` offer."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="recipients")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "partnership"], name="unique_offer_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} → {self.partnership_id}"


class OfferAnnouncement(models.Model):
    """A partner was told of an offer once (at publication, or when its window opened)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="announcements")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    announced_at = models.DateTimeField()

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "partnership"], name="one_announcement_per_offer_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} → {self.partnership_id}"


# --- announcements ---------------------------------------------------------------------------


class AnnouncementKind(models.TextChoices):
    NEW_SERVICE = "new_service", _("New service")
    SERVICE_AREA = "service_area", _("Service area")
    PROMOTION = "promotion", _("Promotion")
    DOWNTIME = "downtime", _("Planned downtime")
    OTHER = "other", _("Other news")


class Audience(models.TextChoices):
    ALL = "all", _("Every active partner")
    MIN_TIER = "min_tier", _("Partners from a minimum tier")
    NAMED = "named", _("Named partners only")


class AnnouncementStatus(models.TextChoices):
    # In context: an announcement is masculine in Spanish and Italian, an offer feminine.
    DRAFT = "draft", pgettext_lazy("announcement", "Draft")
    PUBLISHED = "published", pgettext_lazy("announcement", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("announcement", "Withdrawn")


class Announcement(models.Model):
    """News a manufacturer publishes to its partners: a new service, a service area, a
    promotion, planned downtime. Its audience is fixed when it is published: the partners
    told then (`AnnouncementDelivery`) are the ones who see it, until it is withdrawn."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=20, choices=AnnouncementKind, default=AnnouncementKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=MAX_TEXT_LENGTH)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience, default=Audience.ALL
    )
    min_tier = models.ForeignKey(
        Tier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minimum tier"),
    )
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AnnouncementStatus, default=AnnouncementStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            one_of("kind", AnnouncementKind, name="announcement_kind_valid"),
            one_of("audience", Audience, name="announcement_audience_valid"),
            one_of("status", AnnouncementStatus, name="announcement_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(audience="min_tier") | models.Q(min_tier__isnull=False),
                name="tier_announcement_has_a_tier",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="published_announcement_has_a_date",
            ),
        ]
        indexes = [models.Index(fields=["manufacturer", "status", "-created_at"])]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title


class AnnouncementRecipient(models.Model):
    """A partner named on an announcement for named partners only."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "partnership"], name="unique_announcement_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.partnership_id}"


class AnnouncementDelivery(models.Model):
    """A partner was told of an announcement when it was published (once)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField()

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "partnership"], name="one_delivery_per_announcement"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "-delivered_at"])]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.partnership_id}"


# --- problem partners ------------------------------------------------------------------------


class IncidentKind(models.TextChoices):
    HIGH_CANCELLATIONS = "high_cancellations", _("High cancellations")
    POOR_ADDRESSES = "poor_addresses", _("Poor address quality")
    COMPLAINTS = "complaints", _("Customer complaints")
    SLOW_RESPONSES = "slow_responses", _("Slow responses")
    OTHER = "other", _("Other")


class Step(models.TextChoices):
    """The guide's progressive response, in order; `lifted` ends a block."""

    FRIENDLY_CONTACT = "friendly_contact", _("Friendly contact")
    FORMAL_CONVERSATION = "formal_conversation", _("Formal conversation")
    REMOVED_FROM_PREFERRED = "removed_from_preferred", _("Removed from the preferred list")
    BLOCKED_OFFERS = "blocked_offers", _("Blocked from specific offers")
    BLOCKED_ALL = "blocked_all", _("Blocked from all offers")
    LIFTED = "lifted", _("Block lifted")
    RESOLVED = "resolved", _("Resolved")


STEP_ORDER = [
    Step.FRIENDLY_CONTACT,
    Step.FORMAL_CONVERSATION,
    Step.REMOVED_FROM_PREFERRED,
    Step.BLOCKED_OFFERS,
    Step.BLOCKED_ALL,
]


class Incident(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("kind"), max_length=30, choices=IncidentKind)
    summary = models.CharField(_("summary"), max_length=300)
    raised_automatically = models.BooleanField(default=False)
    # The furthest step taken so far ("" before the first).
    step = models.CharField(_("step"), max_length=30, choices=Step, blank=True)
    is_open = models.BooleanField(default=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            one_of("kind", IncidentKind, name="incident_kind_valid"),
            one_of("step", Step, name="incident_step_valid", blank=True),
            # The automatic check raises one open incident per kind, however often it runs.
            models.UniqueConstraint(
                fields=["partnership", "kind"],
                condition=models.Q(is_open=True, raised_automatically=True),
                name="one_open_automatic_incident_per_kind",
            ),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.summary


MAX_RESPONSE_THRESHOLD_HOURS = 720  # 30 days
MAX_ACTIVITY_THRESHOLD = 1000


class IncidentThresholds(models.Model):
    """When the nightly check raises an incident from last month's scorecard, per
    manufacturer (a tenant without a row uses the defaults). A figure counts only once the
    month had enough activity for it to mean something."""

    manufacturer = models.OneToOneField(
        Manufacturer, on_delete=models.CASCADE, related_name="incident_thresholds"
    )
    max_cancellation_rate = models.DecimalField(
        _("raise above this cancellation rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=percent_validators(),
    )
    min_address_accuracy = models.DecimalField(
        _("raise below this address accuracy (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80.00"),
        validators=percent_validators(),
    )
    min_satisfaction = models.DecimalField(
        _("raise below this average satisfaction (1–5)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("2.50"),
        validators=[
            MinValueValidator(Decimal(MIN_SATISFACTION)),
            MaxValueValidator(Decimal(MAX_SATISFACTION)),
        ],
    )
    max_response_hours = models.PositiveIntegerField(
        _("raise above this average response time (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESPONSE_THRESHOLD_HOURS)],
    )
    min_orders = models.PositiveIntegerField(
        _("orders a month needs before its rates count"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ACTIVITY_THRESHOLD)],
    )
    min_ratings = models.PositiveIntegerField(
        _("ratings a month needs before its satisfaction counts"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ACTIVITY_THRESHOLD)],
    )
    min_responses = models.PositiveIntegerField(
        _("replies a month needs before its response time counts"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ACTIVITY_THRESHOLD)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            between("max_cancellation_rate", 0, MAX_PERCENT, name="threshold_cancellation"),
            between("min_address_accuracy", 0, MAX_PERCENT, name="threshold_address"),
            between(
                "min_satisfaction",
                MIN_SATISFACTION,
                MAX_SATISFACTION,
                name="threshold_satisfaction",
            ),
            between(
                "max_response_hours", 1, MAX_RESPONSE_THRESHOLD_HOURS, name="threshold_response"
            ),
            between("min_orders", 1, MAX_ACTIVITY_THRESHOLD, name="threshold_min_orders"),
            between("min_ratings", 1, MAX_ACTIVITY_THRESHOLD, name="threshold_min_ratings"),
            between("min_responses", 1, MAX_ACTIVITY_THRESHOLD, name="threshold_min_responses"),
        ]
        verbose_name = _("incident thresholds")
        verbose_name_plural = _("incident thresholds")

    def __str__(self) -> str:
        return str(self.manufacturer_id)


class IncidentStep(models.Model):
    """One step of the response: who took it, when, with what notes."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=30, choices=Step)
    notes = models.TextField(_("notes"), max_length=MAX_TEXT_LENGTH)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [one_of("step", Step, name="incident_step_step_valid")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.step}"


class PartnerBlock(models.Model):
    """A partner blocked from one offer (`offer`) or from all offers (`offer` empty); it takes
    effect at once in what the reseller sees and orders, until lifted."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="blocks")
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="blocks"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="blocks"
    )
    reason = models.TextField(_("reason"), max_length=MAX_TEXT_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True, max_length=MAX_TEXT_LENGTH)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["partnership"],
                condition=models.Q(lifted_at__isnull=True),
                name="active_block_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id} blocked from {self.offer_id or 'all'}"


class PartnerNote(models.Model):
    """Documentation of an interaction with a partner (a call, a meeting, an email)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partner_notes"
    )
    body = models.TextField(_("note"), max_length=MAX_TEXT_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.body[:60]


# --- exclusives ------------------------------------------------------------------------------


class ExclusiveKind(models.TextChoices):
    REGIONAL = "regional", _("Regional exclusive")
    SERVICE = "service", _("Service exclusive")


class ReviewPeriod(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Exclusive(models.Model):
    """Exclusive rights for one partner through a `selected` offer, with performance
    requirements checked each month of the term (`partners.services.exclusives`)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="exclusives"
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="exclusives")
    kind = models.CharField(_("kind"), max_length=20, choices=ExclusiveKind)
    # The region (accounts.Region) or the service the exclusive covers.
    scope = models.CharField(_("region or service"), max_length=100)
    min_monthly_orders = models.PositiveIntegerField(
        _("minimum orders per month"), default=0, validators=[MaxValueValidator(MAX_MONTHLY_ORDERS)]
    )
    min_completion_rate = _rate_field(_("minimum completion rate (%)"))
    starts_on = models.DateField(_("starts on"))
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    review_period = models.CharField(
        _("review period"), max_length=20, choices=ReviewPeriod, default=ReviewPeriod.QUARTERLY
    )
    renewal_criteria = models.TextField(_("renewal criteria"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            one_of("kind", ExclusiveKind, name="exclusive_kind_valid"),
            one_of("review_period", ReviewPeriod, name="exclusive_review_period_valid"),
            between("min_monthly_orders", 0, MAX_MONTHLY_ORDERS, name="exclusive_orders_bounded"),
            between("min_completion_rate", 0, MAX_PERCENT, name="exclusive_completion_bounded"),
            between("term_months", 1, 120, name="exclusive_term_bounded"),
        ]
        verbose_name = _("exclusive")
        verbose_name_plural = _("exclusives")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.scope}"

    @property
    def scope_label(self) -> "StrOrPromise":
        """A regional exclusive's region by its name; a service's scope as written."""
        if self.kind == ExclusiveKind.REGIONAL and self.scope in Region.values:
            return Region(self.scope).label
        return self.scope


# --- check-ins and business reviews ----------------------------------------------------------


class MeetingKind(models.TextChoices):
    """The tier's cadence (`Tier.check_ins`) names the kind of meeting it schedules."""

    CHECK_IN = Cadence.MONTHLY.value, _("Monthly check-in")
    REVIEW = Cadence.QUARTERLY.value, _("Quarterly business review")


MAX_FOLLOW_UP_LENGTH = 300


class Meeting(models.Model):
    """A check-in or business review with one partner, scheduled from its tier's cadence.

    While it is open (`held_at` empty) it is due on `due_on`; when it is held, `snapshot`
    freezes the scorecard figures of its period (`period_start`..`period_end`) so that later
    recomputations of the months do not change what was discussed.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind)
    due_on = models.DateField(_("due on"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    held_at = models.DateTimeField(_("held on"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True, max_length=MAX_TEXT_LENGTH)
    # {"orders": 12, "completion_rate": "97.00", ...}: the figures of the period when held.
    snapshot = models.JSONField(_("figures of the period"), default=dict, blank=True)
    # When the account manager was told it is due (once per meeting).
    due_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            one_of("kind", MeetingKind, name="meeting_kind_valid"),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(held_at__isnull=True),
                name="one_open_meeting_per_partnership",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="meeting_period_ordered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["manufacturer", "due_on"],
                condition=models.Q(held_at__isnull=True),
                name="open_meeting_due_idx",
            )
        ]
        verbose_name = _("check-in or review")
        verbose_name_plural = _("check-ins and reviews")

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.kind} {self.due_on}"


class FollowUp(models.Model):
    """Something agreed in a meeting, with the team member who owns it."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(_("follow-up"), max_length=MAX_FOLLOW_UP_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    is_done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["is_done", "created_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.description[:60]
