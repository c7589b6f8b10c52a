from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer, Reseller
from channel.models import EndCustomer, Partnership
from core.bounds import MAX_TEXT_LENGTH
from core.constraints import one_of


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
        _("kind"), max_length=20, choices=InteractionKind, default=InteractionKind.NOTE
    )
    body = models.TextField(_("what happened"), max_length=MAX_TEXT_LENGTH)
    occurred_at = models.DateTimeField(_("when"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(reseller="reseller")

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [one_of("kind", InteractionKind, name="interaction_kind_valid")]

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


class AffiliateSignup(models.Model):
    """Someone who signed up through an affiliate link and has not confirmed their email yet.

    Nothing reaches the reseller before the confirmation: the end customer is made when the
    link in the email is used (resellers.services.affiliate_signup_confirm), so a typo'd or
    someone else's address never becomes a customer (OWASP ASVS 2.1 / consent).
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(AffiliateLink, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    company = models.CharField(_("company"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["link", "email"], name="affiliate_signup_email_idx")]
        verbose_name = _("affiliate sign-up")
        verbose_name_plural = _("affiliate sign-ups")

    def __str__(self) -> str:
        return self.email
