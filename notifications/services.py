import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Manufacturer
from notifications.models import OutboxEmail, OutboxStatus

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
    transaction.on_commit(lambda: _enqueue_delivery(email_deliver_task, email.pk))
    return email


def _enqueue_delivery(task, email_id: int) -> None:
    try:
        task.delay(email_id)
    except Exception:
        # The broker is down: the row stays pending and the periodic flush sends it later.
        logger.warning("Could not enqueue delivery of outbox email %s", email_id, exc_info=True)


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
