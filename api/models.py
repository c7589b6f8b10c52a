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


# --- webhooks -------------------------------------------------------------------------------


class WebhookEvent(models.TextChoices):
    ORDER_CREATED = "order.created", _("Order created")
    ORDER_STATUS_CHANGED = "order.status_changed", _("Order status changed")
    QUALIFICATION_GRANTED = "qualification.granted", _("Qualification granted")
    QUALIFICATION_REVOKED = "qualification.revoked", _("Qualification revoked")
    CONVERSATION_RECEIVED = "conversation.received", _("Conversation received")
    COMMISSION_PAYABLE = "commission.payable", _("Commission payable")
    PAYOUT_PAID = "payout.paid", _("Payout paid")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookEndpoint(models.Model):
    """An HTTPS address of the manufacturer's that hears about the events it chose.

    `secret` signs every delivery (HMAC-SHA256, api.webhooks); unlike an API key it is kept
    as it is, because the portal needs it to sign.
    """

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        return [str(WebhookEvent(e).label) for e in self.events if e in WebhookEvent.values]


class WebhookDelivery(models.Model):
    """One event for one endpoint: the webhooks' outbox, written in the transaction of the
    change. Its task tries after commit; the periodic sweep retries what is due, with
    backoff, for a day. `event_id` is the receiver's key for deduplication, and the
    (endpoint, event_id) pair is unique, so an event is never queued twice."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=40, choices=WebhookEvent)
    # The exact body sent, every time (the signature covers it).
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    retry_until = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_delivery_per_event"),
            one_of("status", DeliveryStatus, name="webhook_delivery_status_valid"),
            one_of("event_type", WebhookEvent, name="webhook_delivery_event_valid"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
