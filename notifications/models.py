from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxEmail(models.Model):
    """An email written in the same transaction as the change that causes it.

    Celery delivers it after commit; a periodic job re-sends what is still pending, so
    nothing is lost when the broker is down. Delivery locks the row, so it happens once.
    """

    manufacturer = models.ForeignKey(
        "accounts.Manufacturer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_emails",
        help_text=_("The tenant the email belongs to, when there is one."),
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_pending_idx")]
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject} ({self.status})"
