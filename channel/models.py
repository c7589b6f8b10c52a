"""The channel: one manufacturer's partnership with one reseller, and the reseller's customers.

The partnership is the row that orders, qualifications, communications, sales reps,
commissions and partner tiers hang on, so it lives in this layer, directly above the
catalog (its conditions name a price list) and below orders. Who may see a partnership
(the sales rep's django-guardian object permission) lives here too, so every list can
filter by it without reaching upwards; `salesreps` grants and withdraws it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Manufacturer, Reseller
from catalog.models import PriceList
from channel.benefits import effective_discount_percent
from core.bounds import MAX_PERCENT, MAX_TEXT_LENGTH, between, percent_validators
from core.constraints import one_of


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class QualifyingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    QUALIFIED = "qualified", _("Qualified")
    NOT_QUALIFIED = "not_qualified", _("Not qualified")


class PaymentMethod(models.TextChoices):
    INVOICE = "invoice", _("Invoice (30 days)")
    PREPAYMENT = "prepayment", _("Prepayment")
    DIRECT_DEBIT = "direct_debit", _("Direct debit")
    CARD = "card", _("Credit card")


class ShippingMethod(models.TextChoices):
    STANDARD = "standard", _("Standard parcel")
    EXPRESS = "express", _("Express")
    FREIGHT = "freight", _("Freight / pallet")
    PICKUP = "pickup", _("Pickup")


class Partnership(models.Model):
    """One manufacturer's relationship with one reseller: the unit of the reseller channel."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="partnerships"
    )
    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="partnerships")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus,
        default=PartnershipStatus.ACTIVE,
    )
    qualifying_status = models.CharField(
        _("qualifying status"),
        max_length=20,
        choices=QualifyingStatus,
        default=QualifyingStatus.PENDING,
    )
    # Commercial conditions
    price_list = models.ForeignKey(
        PriceList,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("price list"),
    )
    discount_percent = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=percent_validators(),
    )
    payment_method = models.CharField(
        _("payment method"),
        max_length=20,
        choices=PaymentMethod,
        default=PaymentMethod.INVOICE,
    )
    shipping_method = models.CharField(
        _("shipping method"),
        max_length=20,
        choices=ShippingMethod,
        default=ShippingMethod.STANDARD,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["reseller__name"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "reseller"], name="unique_partnership"),
            between("discount_percent", 0, MAX_PERCENT, name="partnership_discount_bounded"),
            one_of("status", PartnershipStatus, name="partnership_status_valid"),
            one_of("qualifying_status", QualifyingStatus, name="partnership_qualifying_valid"),
            one_of("payment_method", PaymentMethod, name="partnership_payment_method_valid"),
            one_of("shipping_method", ShippingMethod, name="partnership_shipping_method_valid"),
        ]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return f"{self.manufacturer} ↔ {self.reseller}"

    @property
    def is_active(self) -> bool:
        """Only an active partnership orders, requests qualifications and earns."""
        return self.status == PartnershipStatus.ACTIVE

    @property
    def effective_discount_percent(self) -> Decimal:
        """The discount its prices follow: its own, combined with its tier's (channel.benefits)."""
        return effective_discount_percent(self)

    @property
    def is_qualified(self) -> bool:
        return self.qualifying_status == QualifyingStatus.QUALIFIED

    @property
    def is_not_qualified(self) -> bool:
        return self.qualifying_status == QualifyingStatus.NOT_QUALIFIED


class EndCustomer(models.Model):
    """A customer of a reseller (a person or a business), kept by the reseller."""

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="end_customers")
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=MAX_TEXT_LENGTH)
    # What their payment page and emails are written in; blank: their browser's.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("Their payment page and emails are in it. Empty: their browser's language."),
    )
    # Set when the customer signed up through an affiliate link.
    source_manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(reseller="reseller")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["reseller", "email"], name="unique_end_customer_email"),
            one_of(
                "language",
                [code for code, _name in settings.LANGUAGES],
                name="end_customer_language_valid",
                blank=True,
            ),
        ]
        verbose_name = _("end customer")
        verbose_name_plural = _("end customers")

    def __str__(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class PartnershipUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's direct foreign-key permission table for partnerships.

    Lists join on it (`partnership__rep_permissions__user`), never one has_perm per row.
    Rows are written only by salesreps.services, together with the assignment history.
    """

    content_object = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="rep_permissions"
    )

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"], name="rep_perm_user_obj_idx")]


class PartnershipGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="group_permissions"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        pass
