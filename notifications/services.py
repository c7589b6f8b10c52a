import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Manufacturer, User
from core.enqueue import enqueue_after_commit
from notifications.models import (
    Notification,
    NotificationChannel,
    NotificationPreference,
    OutboxEmail,
    OutboxStatus,
    default_channel,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def email_enqueue(
    *,
    recipient: str,
    subject: str,
    body: str,
    kind: str = "",
    manufacturer: Manufacturer | None = None,
) -> OutboxEmail:
    """Write an email to the outbox in the caller's transaction; deliver it after commit."""
    from notifications.tasks import email_deliver_task

    email = OutboxEmail.objects.create(
        manufacturer=manufacturer, recipient=recipient, subject=subject, body=body, kind=kind
    )
    # When the broker is down the row stays pending and the periodic flush sends it later.
    enqueue_after_commit(email_deliver_task, email.pk)
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send one pending email exactly once; True when this call sent it."""
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboxStatus.PENDING)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        try:
            send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.recipient])
        except Exception as error:  # any transport failure: retry later, keep the row
            email.last_error = str(error)[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboxStatus.FAILED
            email.save(update_fields=["attempts", "last_error", "status"])
            return False
        email.status = OutboxStatus.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at"])
        return True


def outbox_pending_ids(*, older_than: timedelta = timedelta(seconds=30)) -> list[int]:
    """Pending emails that had time to be delivered by their own task and were not."""
    cutoff = timezone.now() - older_than
    return list(
        OutboxEmail.objects.filter(status=OutboxStatus.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


# --- in-app notifications and preferences ---------------------------------------------------


def preference_channels(
    *, user_ids: Iterable[int], manufacturer: Manufacturer | None, kind: str
) -> dict[int, str]:
    """{user_id: channel} for these users, their saved choice or the kind's default."""
    user_ids = list(user_ids)
    chosen: dict[int, str] = {}
    if manufacturer is not None and user_ids:
        chosen = dict(
            NotificationPreference.objects.filter(
                user_id__in=user_ids, manufacturer=manufacturer, kind=kind
            ).values_list("user_id", "channel")
        )
    return {user_id: chosen.get(user_id, default_channel(kind)) for user_id in user_ids}


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    manufacturer: Manufacturer | None,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Tell these users about an event, each the way they chose (in-app, email, digest, off).

    Runs in the caller's transaction: the notification and its outbox email exist only if the
    change that caused them commits, and the email is sent by Celery after the commit.
    """
    by_id = {user.pk: user for user in users}
    channels = preference_channels(user_ids=by_id, manufacturer=manufacturer, kind=kind)
    created = []
    for user_id, user in by_id.items():
        channel = channels[user_id]
        if channel == NotificationChannel.OFF:
            continue
        email = None
        if channel == NotificationChannel.EMAIL and user.email:
            email = email_enqueue(
                recipient=user.email,
                subject=title[:250],
                body=_email_body(body, url),
                kind=kind,
                manufacturer=manufacturer,
            )
        created.append(
            Notification(
                user=user,
                manufacturer=manufacturer,
                kind=kind,
                channel=channel,
                title=title[:250],
                body=body,
                url=url[:500],
                email=email,
            )
        )
    return Notification.objects.bulk_create(created)


def _email_body(body: str, url: str) -> str:
    """The text plus the link; a path gets the portal's address when one is configured."""
    if not url:
        return body
    if url.startswith("/"):
        url = settings.PORTAL_BASE_URL.rstrip("/") + url
    return f"{body}\n\n{url}".strip()


@transaction.atomic
def preferences_save(*, user: User, manufacturer: Manufacturer, channels: dict[str, str]) -> None:
    """Store the user's choice for each kind; a choice equal to the default is stored too."""
    for kind, channel in channels.items():
        NotificationPreference.objects.update_or_create(
            user=user, manufacturer=manufacturer, kind=kind, defaults={"channel": channel}
        )


def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False when there is no such unread one."""
    return bool(
        Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def digest_send(*, user_id: int) -> OutboxEmail | None:
    """Bundle the user's undigested digest notifications into one email, once.

    The rows are locked and linked to the email in one transaction, so two runs of the daily
    job (or a retry) never send the same notification twice.
    """
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(user_id=user_id, channel=NotificationChannel.DIGEST, email__isnull=True)
            .select_related("user", "manufacturer")
            .order_by("created_at", "pk")
        )
        if not pending:
            return None
        user = pending[0].user
        if not user.email:
            return None
        lines = []
        for note in pending:
            tenant = f"[{note.manufacturer.name}] " if note.manufacturer else ""
            lines.append(f"- {tenant}{note.title}")
            if note.body:
                lines.append(f"  {note.body[:300]}")
            if note.url:
                lines.append(f"  {_email_body('', note.url)}")
        email = email_enqueue(
            recipient=user.email,
            subject=gettext("Your daily summary: %(count)d notifications")
            % {"count": len(pending)},
            body="\n".join(lines),
            kind="digest",
        )
        Notification.objects.filter(pk__in=[note.pk for note in pending]).update(email=email)
        return email


def digest_pending_user_ids() -> list[int]:
    return list(
        Notification.objects.filter(channel=NotificationChannel.DIGEST, email__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
