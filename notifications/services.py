import logging
import smtplib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_scopes import scope

from accounts.i18n import override_for
from accounts.models import Manufacturer, ManufacturerMembership, Role, User
from core.enqueue import enqueue_after_commit
from core.http import portal_url
from notifications.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    OutboxEmail,
    OutboxStatus,
    default_channel,
    first_sweep_at,
    retry_deadline,
)
from notifications.sealing import seal, unseal

logger = logging.getLogger(__name__)

# A claim lasts this long: nobody else sends the batch meanwhile, and a crashed worker's
# batch is retried after it. A batch stops short of the lease's end (LEASE_MARGIN) and hands
# back what it did not send, so a slow mail server cannot make two workers send one email.
OUTBOX_BATCH_SIZE = 500
OUTBOX_LEASE = timedelta(minutes=5)
LEASE_MARGIN = timedelta(seconds=30)
# One email's own task sends within seconds: a worker killed while sending it leaves it to
# the sweep a minute later, not five (make chaos, worker-killed).
SINGLE_EMAIL_LEASE = timedelta(seconds=60)
# Backoff of a failed email: 1, 2, 4 … minutes, at most 2 hours apart, until retry_until.
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=2)
# The periodic sweep runs every minute; one run stops claiming after this long.
SWEEP_BUDGET = timedelta(seconds=50)

# Refusals of one message: the connection still serves the next one. Any other error (a
# timeout, a dropped connection) ends the batch, and its rest waits for the next attempt.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)

# The text of a notification: a string, or a function that writes it, called once per
# recipient in the recipient's language, formats and time zone (accounts.i18n.override_for),
# so an Italian reseller reads Italian whoever caused it. `lambda: _("%(code)s granted") % v`.
Text = str | Callable[[], str]


def render_text(text: Text) -> str:
    return text() if callable(text) else str(text)


def email_enqueue(
    *,
    recipient: str,
    subject: str,
    body: str,
    kind: str = "",
    manufacturer: Manufacturer | None = None,
    topic: str = "",
    secrets: Sequence[str] = (),
) -> OutboxEmail:
    """Write an email to the outbox in the caller's transaction; deliver it after commit.

    `secrets` are the links of the body that work as keys (a payment or invitation link):
    they are stored encrypted, not in the body (notifications.sealing)."""
    from notifications.tasks import email_deliver_task

    stored_body, sealed = seal(body, secrets)
    email = OutboxEmail.objects.create(
        manufacturer=manufacturer,
        recipient=recipient,
        subject=subject,
        body=stored_body,
        sealed=sealed,
        kind=kind,
        topic=topic,
    )
    # When the broker is down the row stays pending and the periodic flush sends it later.
    enqueue_after_commit(email_deliver_task, email.pk)
    return email


def outbox_claim(
    *, limit: int = OUTBOX_BATCH_SIZE, email_id: int | None = None, lease: timedelta = OUTBOX_LEASE
) -> list[OutboxEmail]:
    """Claim up to `limit` due emails for OUTBOX_LEASE, in a short transaction of its own.

    Rows another worker holds locked or claimed are skipped, not waited for. With `email_id`,
    only that email: its own task's first attempt does not wait for the sweep's time.
    """
    now = timezone.now()
    claimed_until = now + lease
    rows = OutboxEmail.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), status=OutboxStatus.PENDING
    )
    if email_id is None:
        rows = rows.filter(next_attempt_at__lte=now)
    else:
        rows = rows.filter(Q(attempts=0) | Q(next_attempt_at__lte=now), pk=email_id)
    with transaction.atomic():
        ids = list(
            rows.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        OutboxEmail.objects.filter(pk__in=ids).update(
            claimed_until=claimed_until, last_attempt_at=now
        )
    return list(
        OutboxEmail.objects.filter(pk__in=ids, claimed_until=claimed_until).order_by(
            "next_attempt_at", "pk"
        )
    )


def outbox_send(*, emails: list[OutboxEmail]) -> int:
    """Send claimed emails over one connection, outside any transaction; record each outcome.

    Returns how many were sent. Each message carries the row's Message-ID.
    """
    if not emails:
        return 0
    sent: list[OutboxEmail] = []
    failed: dict[int, Exception] = {}
    released: list[OutboxEmail] = []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        failed = dict.fromkeys((email.pk for email in emails), error)
    else:
        try:
            for index, email in enumerate(emails):
                if email.claimed_until and timezone.now() >= email.claimed_until - LEASE_MARGIN:
                    released = emails[index:]
                    break
                try:
                    if connection.send_messages([_message(email, connection)]) != 1:
                        raise smtplib.SMTPException("The mail backend sent nothing.")
                except _MESSAGE_ERRORS as error:
                    failed[email.pk] = error
                except Exception as error:
                    failed.update(dict.fromkeys((rest.pk for rest in emails[index:]), error))
                    break
                else:
                    sent.append(email)
        finally:
            try:
                connection.close()
            except Exception:
                logger.warning("Closing the mail connection failed", exc_info=True)
    _record_outcomes(sent=sent, failed=failed, released=released)
    return len(sent)


def _message(email: OutboxEmail, connection: Any) -> EmailMessage:
    return EmailMessage(
        email.subject,
        unseal(email.body, email.sealed),
        settings.DEFAULT_FROM_EMAIL,
        [email.recipient],
        connection=connection,
        headers={"Message-ID": email.message_id},
    )


def _record_outcomes(
    *, sent: list[OutboxEmail], failed: dict[int, Exception], released: list[OutboxEmail]
) -> None:
    now = timezone.now()
    if sent:
        # Sent is the truth even for a row cancelled meanwhile: the message is out.
        OutboxEmail.objects.filter(pk__in=[email.pk for email in sent]).update(
            status=OutboxStatus.SENT,
            sent_at=now,
            claimed_until=None,
            attempts=F("attempts") + 1,
            last_error="",
            sealed="",  # the links are out: nothing stored opens them any more
        )
    if released:
        OutboxEmail.objects.filter(pk__in=[email.pk for email in released]).update(
            claimed_until=None
        )
    if failed:
        _record_failures(failed=failed, now=now)


@transaction.atomic
def _record_failures(*, failed: dict[int, Exception], now: datetime) -> None:
    """Schedule the next attempt with backoff, or give up after retry_until and tell owners."""
    rows = list(
        OutboxEmail.objects.select_for_update()
        .filter(pk__in=failed, status=OutboxStatus.PENDING)
        .order_by("pk")
    )
    gave_up = []
    for email in rows:
        email.attempts += 1
        email.last_error = str(failed[email.pk])[:2000] or type(failed[email.pk]).__name__
        email.claimed_until = None
        if now >= email.retry_until:
            email.status = OutboxStatus.FAILED
            gave_up.append(email)
        else:
            email.next_attempt_at = min(now + retry_delay(email.attempts), email.retry_until)
    OutboxEmail.objects.bulk_update(
        rows, ["attempts", "last_error", "claimed_until", "status", "next_attempt_at"]
    )
    for email in gave_up:
        logger.warning("Gave up on outbox email %s: %s", email.pk, email.last_error)
    _tell_owners_of_failures(gave_up)


def retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed attempt an email is tried again."""
    delay: timedelta = RETRY_BASE * 2 ** min(max(attempts - 1, 0), 16)
    return min(delay, RETRY_CAP)


def _tell_owners_of_failures(emails: list[OutboxEmail]) -> None:
    """One in-app notification per tenant and batch to its owners (never about a notice)."""
    by_tenant: dict[int, list[OutboxEmail]] = defaultdict(list)
    for email in emails:
        if email.manufacturer_id is not None and email.kind != NotificationKind.EMAIL_FAILED:
            by_tenant[email.manufacturer_id].append(email)
    for manufacturer in Manufacturer.objects.filter(pk__in=by_tenant):
        failures = by_tenant[manufacturer.pk]
        with scope(manufacturer=manufacturer):
            owners = [
                membership.user
                for membership in ManufacturerMembership.objects.filter(
                    manufacturer=manufacturer, role=Role.OWNER
                ).select_related("user")
            ]
        first = failures[0]
        count = len(failures)

        def title(first: OutboxEmail = first, count: int = count) -> str:
            if count == 1:
                return gettext("An email to %(recipient)s could not be delivered: %(subject)s") % {
                    "recipient": first.recipient,
                    "subject": first.subject,
                }
            return ngettext(
                "%(count)d email could not be delivered",
                "%(count)d emails could not be delivered",
                count,
            ) % {"count": count}

        def body(first: OutboxEmail = first) -> str:
            return gettext("Last error: %(error)s") % {"error": first.last_error[:300]}

        notify(
            users=owners,
            manufacturer=manufacturer,
            kind=NotificationKind.EMAIL_FAILED,
            title=title,
            body=body,
            url=reverse(
                "notifications_manufacturer:failed_emails",
                kwargs={"manufacturer_slug": manufacturer.slug},
            ),
        )


def email_deliver(*, email_id: int) -> bool:
    """Send one pending email, unless another worker holds it; True when this call sent it."""
    claimed = outbox_claim(email_id=email_id, limit=1, lease=SINGLE_EMAIL_LEASE)
    return outbox_send(emails=claimed) == 1


def outbox_flush(*, budget: timedelta = SWEEP_BUDGET, batch_size: int = OUTBOX_BATCH_SIZE) -> int:
    """Deliver due emails batch by batch until none is due or `budget` is spent; how many sent."""
    deadline = time.monotonic() + budget.total_seconds()
    sent = 0
    while time.monotonic() < deadline:
        batch = outbox_claim(limit=batch_size)
        if not batch:
            break
        sent += outbox_send(emails=batch)
    return sent


def email_resend(*, email: OutboxEmail) -> bool:
    """Queue a failed email again, with a new day of retries; False when it is not failed."""
    from notifications.tasks import email_deliver_task

    with transaction.atomic():
        queued = OutboxEmail.objects.filter(pk=email.pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=first_sweep_at(),
            retry_until=retry_deadline(),
            claimed_until=None,
        )
        if queued:
            enqueue_after_commit(email_deliver_task, email.pk)
    return bool(queued)


@transaction.atomic
def notifications_withdraw(*, manufacturer_id: int, topic: str) -> int:
    """The thing `topic` names is gone: cancel its pending emails, delete its notifications.

    Returns how many emails were cancelled. An email a worker is sending at this moment may
    still go out; every later attempt sees it cancelled.
    """
    cancelled = OutboxEmail.objects.filter(
        manufacturer_id=manufacturer_id, topic=topic, status=OutboxStatus.PENDING
    ).update(status=OutboxStatus.CANCELLED, claimed_until=None)
    Notification.objects.filter(manufacturer_id=manufacturer_id, topic=topic).delete()
    return cancelled


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
    title: Text,
    body: Text = "",
    url: str = "",
    topic: str = "",
) -> list[Notification]:
    """Tell these users about an event, each the way they chose (in-app, email, digest, off).

    `title` and `body` given as functions (`Text`) are written in each recipient's language.

    Runs in the caller's transaction: the notification and its outbox email exist only if the
    change that caused them commits, and the email is sent by Celery after the commit.
    `topic` names what they are about, for `notifications_withdraw` when it is deleted.
    """
    by_id = {user.pk: user for user in users}
    channels = preference_channels(user_ids=by_id, manufacturer=manufacturer, kind=kind)
    created = []
    for user_id, user in by_id.items():
        channel = channels[user_id]
        if channel == NotificationChannel.OFF:
            continue
        with override_for(user):
            title_text, body_text = render_text(title)[:250], render_text(body)
        email = None
        if channel == NotificationChannel.EMAIL and user.email:
            email = email_enqueue(
                recipient=user.email,
                subject=title_text,
                body=_email_body(body_text, url),
                kind=kind,
                manufacturer=manufacturer,
                topic=topic,
            )
        created.append(
            Notification(
                user=user,
                manufacturer=manufacturer,
                kind=kind,
                channel=channel,
                title=title_text,
                body=body_text,
                url=url[:500],
                topic=topic,
                email=email,
            )
        )
    return Notification.objects.bulk_create(created)


def notify_reseller(
    *,
    reseller_id: int,
    manufacturer: Manufacturer,
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
    topic: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Tell the reseller's active users (not `actor`, who did it) about an event of theirs
    with `manufacturer`, each the way they chose for that manufacturer."""
    users = reseller_users(reseller_id=reseller_id)
    if actor is not None:
        users = [user for user in users if user.pk != actor.pk]
    return notify(
        users=users,
        manufacturer=manufacturer,
        kind=kind,
        title=title,
        body=body,
        url=url,
        topic=topic,
    )


def reseller_users(*, reseller_id: int) -> list[User]:
    return list(
        User.objects.filter(reseller_memberships__reseller_id=reseller_id, is_active=True)
        .distinct()
        .order_by("pk")
    )


def _email_body(body: str, url: str) -> str:
    """The text plus the link; a path gets the portal's address when one is configured."""
    if not url:
        return body
    return f"{body}\n\n{portal_url(url)}".strip()


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
        with override_for(user):
            subject = ngettext(
                "Your daily summary: %(count)d notification",
                "Your daily summary: %(count)d notifications",
                len(pending),
            ) % {"count": len(pending)}
        email = email_enqueue(
            recipient=user.email, subject=subject, body="\n".join(lines), kind="digest"
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
