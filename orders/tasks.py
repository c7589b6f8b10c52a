from celery import shared_task

from orders.services.payment_links import payment_links_expired_notify
from orders.services.payments import payment_attempts_reconcile


@shared_task
def payment_attempts_reconcile_task() -> int:
    """Periodic: finish payment attempts whose confirmation was lost; idempotent."""
    return payment_attempts_reconcile()


@shared_task
def payment_links_expired_notify_task() -> int:
    """Periodic: tell resellers and reps of payment links that expired unpaid; idempotent."""
    return payment_links_expired_notify()
