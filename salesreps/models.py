from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer
from channel.models import Partnership


class PortfolioAssignment(models.Model):
    """One period during which a sales rep had a customer (partnership) in their portfolio.

    The open period (ended_at is null) is the current assignment; at most one per customer.
    """

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    # The assignment history: partnerships and users in it cannot be deleted.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="rep_assignments"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portfolio_assignments",
        verbose_name=_("sales rep"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_rep_per_customer",
            )
        ]
        indexes = [
            models.Index(fields=["manufacturer", "rep", "ended_at"], name="assignment_rep_idx")
        ]

    def __str__(self) -> str:
        return f"{self.rep} → {self.partnership}"


class RepInvitation(models.Model):
    """Who invited whom as a sales rep, and with which form: the form's one-time key is
    unique per tenant, so a double-submitted invitation invites (and emails) once."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rep_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    new_user = models.BooleanField()
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # Someone who already has a login joins only when they accept: the emailed link's token
    # is kept as its SHA-256 digest, and `accepted_at` says they did.
    token_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="unique_rep_invitation_submission",
            ),
            models.UniqueConstraint(
                fields=["token_digest"],
                condition=~models.Q(token_digest=""),
                name="unique_rep_invitation_token",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.user_id} to {self.manufacturer_id}"
