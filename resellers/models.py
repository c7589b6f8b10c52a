from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer, Reseller
from catalog.models import PriceList


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
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    qualifying_status = models.CharField(
        _("qualifying status"),
        max_length=20,
        choices=QualifyingStatus.choices,
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
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    payment_method = models.CharField(
        _("payment method"),
        max_length=20,
        choices=PaymentMethod.choices,
        default=PaymentMethod.INVOICE,
    )
    shipping_method = models.CharField(
        _("shipping method"),
        max_length=20,
        choices=ShippingMethod.choices,
        default=ShippingMethod.STANDARD,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["reseller__name"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "reseller"], name="unique_partnership")
        ]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return f"{self.manufacturer} ↔ {self.reseller}"


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
    notes = models.TextField(_("notes"), blank=True)
    # Set when the customer signed up through an affiliate link.
    source_manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(reseller="reseller")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["reseller", "email"], name="unique_end_customer_email")
        ]
        verbose_name = _("end customer")
        verbose_name_plural = _("end customers")

    def __str__(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class InteractionKind(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    NOTE = "note", _("Note")


class CustomerInteraction(models.Model):
    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="+")
    end_customer = models.ForeignKey(
        EndCustomer, on_delete=models.CASCADE, related_name="interactions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=InteractionKind.choices, default=InteractionKind.NOTE
    )
    body = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("when"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(reseller="reseller")

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class AffiliateLink(models.Model):
    """A reseller's sign-up link for one manufacturer; people who use it become its customers."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="affiliate_links"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_affiliate_link_per_partnership",
            )
        ]

    def __str__(self) -> str:
        return self.token

    @property
    def is_active(self) -> bool:
        return self.retired_at is None
