from celery import shared_task

from notifications.services import (
    digest_pending_user_ids,
    digest_send,
    email_deliver,
    outbox_flush,
)


@shared_task(acks_late=True)
def email_deliver_task(email_id: int) -> bool:
    return email_deliver(email_id=email_id)


@shared_task
def outbox_flush_task() -> int:
    """Periodic: deliver what is due (a lost task, a retry, a crashed worker's claim)."""
    return outbox_flush()


@shared_task
def notifications_digest_task() -> int:
    """Daily: one email per user with their digest notifications; idempotent."""
    return sum(1 for user_id in digest_pending_user_ids() if digest_send(user_id=user_id))
