"""Conversations between one manufacturer and one reseller, and the triage marks on them.

A conversation belongs to a partnership. Its messages are written by reseller users
(`reseller`), by staff (`staff`), or logged by the system (`event`: a qualification
requested, granted or revoked, a qualifying status changed). Staff comments are a separate
table so that no query meant for a reseller can ever reach them.

Marks: any message may carry one emoji from a small fixed palette. A conversation is
*marked* when its own `mark` is set; assigning an emoji to one of its messages (or
"mark as done", which assigns ✅) sets it, and a new message from the reseller clears it so
the conversation is a new lead again (`reopened_at`): only the marks given since then count.
An emoji marks the conversation done for the team and answers nothing.

The manual's rule: a staff message written with an emoji is an internal answer, not sent to
the reseller. Once a staff message has been delivered (`delivered_at`: the reseller was
notified of it or read it), no emoji hides it again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Manufacturer
from channel.models import Partnership
from core.constraints import one_of
from qualifications.models import QualificationRequest

MAX_BODY_LENGTH = 5000

DONE_EMOJI = "✅"
EMOJI_PALETTE: tuple[str, ...] = ("✅", "👍", "⭐", "🔥", "❗", "👀")


class ConversationType(models.TextChoices):
    QUALIFICATION = "qualification", _("Qualification")
    INVENTORY = "inventory", _("Inventory")
    OPPORTUNITY = "opportunity", _("Opportunity")
    PRODUCTS = "products", _("Product information update")
    SHOPIFY = "shopify", _("Shopify integration")
    GENERAL = "general", _("General")


class MessageKind(models.TextChoices):
    RESELLER = "reseller", _("Reseller")
    STAFF = "staff", _("Staff")
    EVENT = "event", _("Event")


class Conversation(models.Model):
    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="conversations"
    )
    # History: a partnership (and so a reseller) with conversations cannot be deleted.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="conversations"
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=ConversationType, default=ConversationType.GENERAL
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    mark = models.CharField(_("mark"), max_length=8, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message at"))
    # The reseller's side last wrote (or asked for something): marks older than this are
    # last round's triage and no longer mark the conversation.
    reopened_at = models.DateTimeField(null=True, blank=True)
    # The "new conversation" form's one-time key: a double submit opens one conversation.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            # Keyset paging: newest first on (last_message_at, id) within a tenant.
            models.Index(
                fields=["manufacturer", "-last_message_at", "-id"], name="conversation_inbox_idx"
            ),
            models.Index(
                fields=["manufacturer", "kind", "mark", "-last_message_at"],
                name="conversation_tab_idx",
            ),
            models.Index(fields=["partnership", "kind"], name="conversation_partner_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="unique_conversation_submission",
            ),
            one_of("kind", ConversationType, name="conversation_kind_valid"),
            one_of("mark", EMOJI_PALETTE, name="conversation_mark_valid", blank=True),
        ]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.partnership_id}"

    @property
    def is_marked(self) -> bool:
        return bool(self.mark)

    @property
    def is_done(self) -> bool:
        return self.mark == DONE_EMOJI


class Message(models.Model):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("from"), max_length=10, choices=MessageKind)
    # Who wrote what stays known: a user who wrote messages is deactivated, not deleted.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.CharField(_("event"), max_length=40, blank=True)
    body = models.TextField(_("message"), max_length=MAX_BODY_LENGTH)
    emoji = models.CharField(_("emoji"), max_length=8, blank=True)
    # When the emoji was given: only those given since the conversation reopened count.
    marked_at = models.DateTimeField(null=True, blank=True)
    # A staff message reached the reseller (notified in the portal or by email, or shown in
    # their thread); from then on it stays visible to them whatever emoji it gets.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The request an event message logs ("qualification_requested"): Qualify in this
    # conversation grants what it asked for.
    qualification_request = models.ForeignKey(
        QualificationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A form's one-time key: a second submission of the same form changes nothing.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), db_index=True)

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["conversation", "-created_at"], name="message_thread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="unique_message_submission",
            ),
            one_of("kind", MessageKind, name="message_kind_valid"),
            one_of("emoji", EMOJI_PALETTE, name="message_emoji_valid", blank=True),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.body[:40]}"

    @property
    def is_hidden_from_reseller(self) -> bool:
        """The manual's rule: a staff message with an emoji is done, not sent, unless it
        was already delivered."""
        return self.kind == MessageKind.STAFF and bool(self.emoji) and self.delivered_at is None

    @property
    def is_delivered(self) -> bool:
        return self.delivered_at is not None


def reseller_visible_messages_q(prefix: str = "") -> Q:
    """Messages a reseller may read: theirs, system events, staff replies without a mark,
    and every staff message already delivered to them."""
    return (
        Q(**{f"{prefix}kind__in": [MessageKind.RESELLER, MessageKind.EVENT]})
        | Q(**{f"{prefix}kind": MessageKind.STAFF, f"{prefix}emoji": ""})
        | Q(**{f"{prefix}kind": MessageKind.STAFF, f"{prefix}delivered_at__isnull": False})
    )


class StaffComment(models.Model):
    """A note for the manufacturer's staff only; never shown to the reseller."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=MAX_BODY_LENGTH)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("written at"))

    objects = ScopedManager(manufacturer="manufacturer")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="unique_comment_submission",
            )
        ]
        verbose_name = _("staff comment")
        verbose_name_plural = _("staff comments")

    def __str__(self) -> str:
        return self.body[:40]
