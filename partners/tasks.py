from celery import shared_task

from partners.services.scorecards import scorecards_refresh_all


@shared_task
def scorecards_refresh_task() -> int:
    """Nightly: store every tenant's monthly scorecards; idempotent."""
    return scorecards_refresh_all()
