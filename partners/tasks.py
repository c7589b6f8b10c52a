from celery import shared_task

from partners.services.incidents import incidents_raise_automatic_all
from partners.services.meetings import meetings_schedule_all
from partners.services.offers import offers_announce_due
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


@shared_task
def incidents_raise_task() -> int:
    """Nightly, after the scorecards: incidents from last month's figures; idempotent."""
    return incidents_raise_automatic_all()


@shared_task
def offers_announce_task() -> int:
    """Nightly: tell partners of offers whose window opened for them; once per partner."""
    return offers_announce_due()


@shared_task
def meetings_schedule_task() -> int:
    """Nightly: schedule the next check-ins and reviews from the tiers, and tell the account
    managers of the ones now due; idempotent."""
    return meetings_schedule_all()
