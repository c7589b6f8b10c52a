from celery import shared_task

from orders.services.payments import payment_attempts_reconcile


@shared_task
def payment_attempts_reconcile_task() -> int:
    """Periodic: finish payment attempts whose confirmation was lost; idempotent."""
    return payment_attempts_reconcile()
