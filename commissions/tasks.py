from celery import shared_task

from commissions.services.job import commission_daily_run_all


@shared_task
def commissions_daily_task() -> int:
    """Daily: what became payable, what reaches its pay-by date; idempotent per day."""
    return commission_daily_run_all()
