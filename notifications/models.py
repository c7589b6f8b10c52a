from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import DNS_NAME, make_msgid
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Manufacturer
from core.constraints import one_of


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", pgettext_lazy("email", "Cancelled")  # an order's is feminine in French


# The first attempt is the email's own task's, right after commit; the periodic sweep takes
# over what is still pending this long after. A failed email is retried for RETRY_FOR.
FIRST_ATTEMPT_GRACE = timedelta(seconds=30)
RETRY_FOR = timedelta(days=1)


def first_sweep_at() -> datetime:
    return timezone.now() + FIRST_ATTEMPT_GRACE


def retry_deadline() -> datetime:
    return timezone.now() + RETRY_FOR


def new_message_id() -> str:
    """A Message-ID for a new outbox email, generated once and kept with the row."""
    return make_msgid(domain=DNS_NAME)


class OutboxEmail(models.Model):
    """An email written in the same transaction as the change that causes it.

    Its own Celery task makes the first attempt after commit; the periodic sweep takes over
    what is still pending at `next_attempt_at` (a lost task, a retry), so nothing is lost
    when the broker is down. A worker claims rows for `claimed_until` in a short transaction
    and sends outside it, so no row lock is held while the mail server is slow, and nobody
    else sends the row while the claim holds. `message_id` is generated once: a copy sent
    again after a crash carries the same Message-ID, which mail systems recognise.
    """

    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_emails",
        help_text=_("The tenant the email belongs to, when there is one."),
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    # The links of the body that work as keys, encrypted (notifications.sealing); emptied
    # once the email is sent.
    sealed = models.TextField(blank=True, default="", editable=False)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    # What the email is about ("conversation:12"), so deleting that thing cancels it.
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=255, unique=True, default=new_message_id, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=first_sweep_at)
    retry_until = models.DateTimeField(_("retried until"), default=retry_deadline)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_due_idx",
            ),
            models.Index(
                fields=["manufacturer", "status", "created_at"], name="outbox_tenant_status_idx"
            ),
            models.Index(
                fields=["manufacturer", "topic"],
                condition=~models.Q(topic=""),
                name="outbox_topic_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OutboxStatus.values), name="outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_sent_at",
            ),
        ]
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject} ({self.status})"


class NotificationKind(models.TextChoices):
    """Kinds of events a user may be told about; later issues add theirs here."""

    MESSAGE_RECEIVED = "message_received", _("A reseller wrote a message")
    QUALIFICATION_REQUESTED = "qualification_requested", _("A reseller requested a qualification")
    ORDER_CREATED = "order_created", _("A new order")
    ORDER_MOVED = "order_moved", _("A reseller moved an order on")
    PAYOUT = "payout", _("Payouts")
    TIER_CHANGED = "tier_changed", _("Partner tier changes")
    PARTNER_ANNOUNCEMENT = "partner_announcement", _("New offers and announcements")
    PAYMENT_LINK = "payment_link", _("A payment link expired unpaid")
    EMAIL_FAILED = "email_failed", _("Emails that could not be delivered")
    PORTFOLIO_RECEIVED = "portfolio_received", _("Customers moved into your portfolio")
    STAFF_REPLIED = "staff_replied", _("The manufacturer answered in a conversation")
    QUALIFICATION_GRANTED = "qualification_granted", _("A qualification was granted")
    QUALIFICATION_REVOKED = "qualification_revoked", _("A qualification was revoked")
    QUALIFICATION_ANSWERED = "qualification_answered", _("A qualification request was answered")
    ORDER_STATUS = "order_status", _("An order's status changed")
    ORDER_PAID = "order_paid", _("An order was paid")
    ORDER_RETURNED = "order_returned", _("Goods of an order came back")
    ORDER_CANCELLED = "order_cancelled", _("An order was cancelled")
    CONVERSATION_ASSIGNED = "conversation_assigned", _("A conversation was assigned to you")
    MEETING_DUE = "meeting_due", _("A partner check-in or business review is due")


# Who may hear of each kind: the preferences page offers a manufacturer's members the first
# list and a reseller's users the second (order events reach both sides).
STAFF_KINDS: tuple[str, ...] = (
    NotificationKind.MESSAGE_RECEIVED,
    NotificationKind.QUALIFICATION_REQUESTED,
    NotificationKind.CONVERSATION_ASSIGNED,
    NotificationKind.ORDER_CREATED,
    NotificationKind.ORDER_MOVED,
    NotificationKind.ORDER_STATUS,
    NotificationKind.ORDER_PAID,
    NotificationKind.ORDER_RETURNED,
    NotificationKind.ORDER_CANCELLED,
    NotificationKind.PAYMENT_LINK,
    NotificationKind.PORTFOLIO_RECEIVED,
    NotificationKind.PAYOUT,
    NotificationKind.TIER_CHANGED,
    NotificationKind.MEETING_DUE,
    NotificationKind.EMAIL_FAILED,
)
RESELLER_KINDS: tuple[str, ...] = (
    NotificationKind.STAFF_REPLIED,
    NotificationKind.QUALIFICATION_GRANTED,
    NotificationKind.QUALIFICATION_REVOKED,
    NotificationKind.QUALIFICATION_ANSWERED,
    NotificationKind.ORDER_STATUS,
    NotificationKind.ORDER_PAID,
    NotificationKind.ORDER_RETURNED,
    NotificationKind.ORDER_CANCELLED,
    NotificationKind.PAYMENT_LINK,
    NotificationKind.PAYOUT,
    NotificationKind.TIER_CHANGED,
    NotificationKind.PARTNER_ANNOUNCEMENT,
)


class NotificationChannel(models.TextChoices):
    IN_APP = "in_app", _("In the portal only")
    EMAIL = "email", _("In the portal and by email at once")
    DIGEST = "digest", _("In the portal and in a daily digest email")
    OFF = "off", _("Off")


# What a user gets before they choose: what someone wrote or decided reaches them in-app and
# by email at once; routine order progress in-app only.
DEFAULT_CHANNELS: dict[str, str] = {
    NotificationKind.MESSAGE_RECEIVED: NotificationChannel.EMAIL,
    NotificationKind.QUALIFICATION_REQUESTED: NotificationChannel.EMAIL,
    NotificationKind.CONVERSATION_ASSIGNED: NotificationChannel.EMAIL,
    NotificationKind.ORDER_CREATED: NotificationChannel.EMAIL,
    NotificationKind.STAFF_REPLIED: NotificationChannel.EMAIL,
    NotificationKind.QUALIFICATION_GRANTED: NotificationChannel.EMAIL,
    NotificationKind.QUALIFICATION_REVOKED: NotificationChannel.EMAIL,
    NotificationKind.QUALIFICATION_ANSWERED: NotificationChannel.EMAIL,
    NotificationKind.ORDER_CANCELLED: NotificationChannel.EMAIL,
    NotificationKind.ORDER_RETURNED: NotificationChannel.EMAIL,
    NotificationKind.PAYMENT_LINK: NotificationChannel.EMAIL,
    # A rep who takes over a departed colleague's customers should hear it the same day.
    NotificationKind.PORTFOLIO_RECEIVED: NotificationChannel.EMAIL,
}
FALLBACK_CHANNEL = NotificationChannel.IN_APP


def default_channel(kind: str) -> str:
    return DEFAULT_CHANNELS.get(kind, FALLBACK_CHANNEL)


class NotificationPreference(models.Model):
    """How one user wants to hear about one kind of event in one manufacturer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("event"), max_length=40, choices=NotificationKind)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "manufacturer", "kind"], name="unique_notification_preference"
            ),
            one_of("kind", NotificationKind, name="notification_preference_kind_valid"),
            one_of("channel", NotificationChannel, name="notification_preference_channel_valid"),
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}: {self.channel}"


class Notification(models.Model):
    """An in-app notification for one user.

    It belongs to the user, not to one tenant (a user of several manufacturers reads all of
    theirs on one page), so it has a plain manager and every query filters by the user.
    `email` is the outbox email that carried it (at once, or bundled into a daily digest).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=40, choices=NotificationKind)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel)
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What it is about ("conversation:12"), so deleting that thing withdraws it.
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        OutboxEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["channel", "email"],
                condition=models.Q(channel="digest", email__isnull=True),
                name="notification_digest_idx",
            ),
            models.Index(
                fields=["manufacturer", "topic"],
                condition=~models.Q(topic=""),
                name="notification_topic_idx",
            ),
        ]
        constraints = [
            one_of("kind", NotificationKind, name="notification_kind_valid"),
            one_of("channel", NotificationChannel, name="notification_channel_valid"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
