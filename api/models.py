"""API keys: a manufacturer's (acting with the role of the member who made it) and a reseller's.

The secret is shown once, when the key is made; only its SHA-256 is kept. A key is found by
its prefix (the part before the secret, shown in lists) and checked in constant time. SHA-256
and not a password hash: the secret is 32 random bytes, nothing a dictionary could guess, and
a slow hash on every API request would cost more than it protects.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer, Reseller, Role, User
from core.constraints import one_of


class KeyAccess(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class KeyState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class KeyFields(models.Model):
    name = models.CharField(_("name"), max_length=100)
    access = models.CharField(_("access"), max_length=10, choices=KeyAccess, default=KeyAccess.READ)
    # The public part of the key (`cpk_<prefix>_<secret>`): how a request finds its key.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return KeyState.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return KeyState.EXPIRED
        return KeyState.ACTIVE

    def get_state_display(self) -> str:
        return str(KeyState(self.state).label)

    @property
    def is_usable(self) -> bool:
        return self.state == KeyState.ACTIVE

    @property
    def can_write(self) -> bool:
        return self.access == KeyAccess.WRITE


class ApiKey(KeyFields):
    """A manufacturer's key. It acts as the member who made it, with the role they had then:
    it stops working once that member leaves or changes role (api.selectors)."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="api_keys"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta(KeyFields.Meta):
        constraints = [
            one_of("access", KeyAccess, name="api_key_access_valid"),
            one_of("role", Role, name="api_key_role_valid"),
        ]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")


class ResellerApiKey(KeyFields):
    """A reseller's key, for its own data with every manufacturer it partners with."""

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="api_keys")

    objects = ScopedManager(reseller="reseller")

    class Meta(KeyFields.Meta):
        constraints = [one_of("access", KeyAccess, name="reseller_api_key_access_valid")]
        verbose_name = _("reseller API key")
        verbose_name_plural = _("reseller API keys")
