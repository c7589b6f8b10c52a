"""Compliance of exclusives, read from the stored monthly scorecards.

Each complete month of the term is met when the partner's orders reach the minimum and its
completion rate the minimum (a month without orders has no completion rate: not met). The
review periods (quarters or years from the start) are judged on their months; an exclusive is
in breach when a month of its current or last completed review period was not met. It warns
30 days before a review and 60 days before it expires.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer
from partners.metrics import add_months, month_start
from partners.models import Exclusive, ReviewPeriod, Scorecard

REVIEW_WARNING_DAYS = 30
EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class MonthCompliance:
    month: date
    orders: int
    completion_rate: Decimal | None
    met: bool


@dataclass(frozen=True)
class Compliance:
    exclusive: Exclusive
    months: list[MonthCompliance]
    ends_on: date  # the first day after the term
    next_review: date | None
    in_breach: bool
    review_due_soon: bool
    expires_soon: bool
    expired: bool


def exclusive_end(starts_on: date, term_months: int) -> date:
    """The first day after a term of `term_months` from `starts_on`."""
    return add_months(starts_on, term_months).replace(day=min(starts_on.day, 28))


def _period_months(exclusive: Exclusive) -> int:
    return 3 if exclusive.review_period == ReviewPeriod.QUARTERLY else 12


def exclusive_compliance(
    exclusives: list[Exclusive], *, today: date | None = None
) -> list[Compliance]:
    """The compliance of each exclusive; one query for all their scorecards."""
    today = today or timezone.localdate()
    current = month_start(today)
    if not exclusives:
        return []
    first = min(month_start(e.starts_on) for e in exclusives)
    cards = {
        (card.partnership_id, card.month): card
        for card in Scorecard.objects.filter(
            partnership_id__in={e.partnership_id for e in exclusives},
            month__gte=first,
            month__lt=current,
        )
    }
    results = []
    for exclusive in exclusives:
        ends_on = exclusive_end(exclusive.starts_on, exclusive.term_months)
        months = []
        month = month_start(exclusive.starts_on)
        while month < current and month < ends_on:
            card = cards.get((exclusive.partnership_id, month))
            orders = card.orders if card else 0
            completion = card.completion_rate if card else None
            met = orders >= exclusive.min_monthly_orders and (
                exclusive.min_completion_rate is None
                or (completion is not None and completion >= exclusive.min_completion_rate)
            )
            months.append(MonthCompliance(month, orders, completion, met))
            month = add_months(month, 1)
        length = _period_months(exclusive)
        # The current review period and the one before it (the last completed).
        done = len(months)
        period_start = (done // length) * length
        window = months[max(0, period_start - length) :]
        in_breach = any(not m.met for m in window)
        next_review = None
        review = add_months(month_start(exclusive.starts_on), length)
        while review < ends_on:
            if review > today:
                next_review = review
                break
            review = add_months(review, length)
        results.append(
            Compliance(
                exclusive=exclusive,
                months=months,
                ends_on=ends_on,
                next_review=next_review,
                in_breach=in_breach,
                review_due_soon=next_review is not None
                and next_review - today <= timedelta(days=REVIEW_WARNING_DAYS),
                expires_soon=today < ends_on
                and ends_on - today <= timedelta(days=EXPIRY_WARNING_DAYS),
                expired=ends_on <= today,
            )
        )
    return results


def exclusives_of(manufacturer: Manufacturer) -> QuerySet[Exclusive]:
    return (
        Exclusive.objects.filter(manufacturer=manufacturer)
        .select_related("partnership__reseller", "offer")
        .order_by("starts_on", "pk")
    )


def access_exclusive(*, manufacturer: Manufacturer, exclusive_id: int) -> Exclusive:
    exclusive = exclusives_of(manufacturer).filter(pk=exclusive_id).first()
    if exclusive is None:
        raise Http404(_("No such exclusive."))
    return exclusive
