from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer, Reseller


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


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
