from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer
from catalog.models import Qualification
from channel.models import Partnership, QualifyingStatus
from core.constraints import one_of


class QualificationGrant(models.Model):
    """One holding of a qualification by a partnership, from grant to (maybe) revocation.

    Revoking sets `revoked_*` and keeps the row: the history is the table itself. A re-grant
    is a new row; the partial unique constraint allows one active grant per pair.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    # The grant history outlives nothing it describes: partnerships and users with grants
    # cannot be deleted (a user who leaves is deactivated).
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="qualification_grants"
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="grants"
    )
    granted_at = models.DateTimeField(_("granted at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grant_reason = models.CharField(_("reason for granting"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "qualification"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_partnership_qualification",
            )
        ]
        indexes = [models.Index(fields=["manufacturer", "qualification", "revoked_at"])]
        verbose_name = _("qualification grant")
        verbose_name_plural = _("qualification grants")

    def __str__(self) -> str:
        return f"{self.qualification} → {self.partnership_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class QualifyingStatusChange(models.Model):
    """History of a partnership's qualifying status: who changed it, when, from what, why."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="qualifying_status_changes",
    )
    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("changed at"))

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            one_of("from_status", QualifyingStatus, name="qualifying_change_from_valid"),
            one_of("to_status", QualifyingStatus, name="qualifying_change_to_valid"),
        ]
        verbose_name = _("qualifying status change")
        verbose_name_plural = _("qualifying status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(value: str) -> str:
    return str(QualifyingStatus(value).label) if value in QualifyingStatus.values else value


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class QualificationRequest(models.Model):
    """A reseller asks a manufacturer for a qualification; staff grant or decline it."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="qualification_requests"
    )
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("qualification"),
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus, default=RequestStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "qualification"],
                condition=models.Q(status="open"),
                name="one_open_qualification_request_per_pair",
            ),
            one_of("status", RequestStatus, name="qualification_request_status_valid"),
        ]
        verbose_name = _("qualification request")
        verbose_name_plural = _("qualification requests")

    def __str__(self) -> str:
        return f"{self.qualification} ({self.get_status_display()})"
