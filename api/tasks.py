from celery import shared_task

from api.webhooks import webhook_deliver, webhook_deliveries_flush


@shared_task(acks_late=True)
def webhook_deliver_task(delivery_id: int) -> bool:
    return webhook_deliver(delivery_id=delivery_id)


@shared_task
def webhook_deliveries_flush_task() -> int:
    """Periodic: deliver what is due (a lost task, a retry, a crashed worker's claim)."""
    return webhook_deliveries_flush()
