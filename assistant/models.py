from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer

# How many requests are remembered per user and tenant; older ones are dropped.
RECENT_REQUESTS = 10
MAX_REQUEST_TEXT = 500


class RecentRequest(models.Model):
    """A request a user typed into the command bar, to offer again (newest first)."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_requests"
    )
    text = models.CharField(_("request"), max_length=MAX_REQUEST_TEXT)
    intent = models.CharField(_("intent"), max_length=40, blank=True)
    asked_at = models.DateTimeField(_("asked at"))

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "user", "text"], name="assistant_recent_once"
            )
        ]
        indexes = [
            models.Index(fields=["manufacturer", "user", "-asked_at"], name="assistant_recent_idx")
        ]

    def __str__(self) -> str:
        return self.text
