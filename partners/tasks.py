from celery import shared_task

from partners.services.scorecards import scorecards_refresh_all
from partners.services.tiers import tiers_evaluate_all


@shared_task
def scorecards_refresh_task() -> int:
    """Nightly: store every tenant's monthly scorecards; idempotent."""
    return scorecards_refresh_all()


@shared_task
def tiers_evaluate_task() -> int:
    """Monthly: propose tier promotions and demotions from the stored scorecards."""
    return tiers_evaluate_all()
