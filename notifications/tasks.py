from celery import shared_task

from notifications.services import email_deliver, outbox_pending_ids


@shared_task(acks_late=True)
def email_deliver_task(email_id: int) -> bool:
    return email_deliver(email_id=email_id)


@shared_task
def outbox_flush_task() -> int:
    """Periodic: deliver what the broker lost or a worker dropped."""
    return sum(1 for email_id in outbox_pending_ids() if email_deliver(email_id=email_id))
