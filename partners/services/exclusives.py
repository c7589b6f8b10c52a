"""Exclusives: one partner's exclusive rights for a region or a service, through a `selected`
offer naming only that partner, with performance requirements over a contract term.

Two exclusives of the same kind and scope (the same region, or the same service) may not
overlap in time: the grant locks the tenant's row, so two managers granting at once cannot
both succeed. Compliance is read from the stored scorecards (`partners.selectors.exclusives`).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, Region
from channel.models import Partnership
from core.bounds import MAX_PERCENT
from partners.models import (
    MAX_MONTHLY_ORDERS,
    Exclusive,
    ExclusiveKind,
    Offer,
    OfferRecipient,
    ReviewPeriod,
    Visibility,
)
from partners.selectors.exclusives import exclusive_end
from partners.services import PartnerRefused

MAX_TERM_MONTHS = 120


@dataclass(frozen=True)
class ExclusiveTerms:
    kind: str
    scope: str
    starts_on: date
    term_months: int = 12
    review_period: str = ReviewPeriod.QUARTERLY
    min_monthly_orders: int = 0
    min_completion_rate: Decimal | None = None
    renewal_criteria: str = ""


def _validate(terms: ExclusiveTerms) -> str:
    if terms.kind not in ExclusiveKind.values:
        raise PartnerRefused(_("Unknown kind of exclusive."))
    scope = terms.scope.strip()
    if not scope or len(scope) > 100:
        raise PartnerRefused(_("Name the region or the service the exclusive covers."))
    if terms.kind == ExclusiveKind.REGIONAL and scope not in Region.values:
        raise PartnerRefused(_("Choose one of your regions for a regional exclusive."))
    if terms.review_period not in ReviewPeriod.values:
        raise PartnerRefused(_("Unknown review period."))
    if not 1 <= terms.term_months <= MAX_TERM_MONTHS:
        raise PartnerRefused(_("The term is 1 to 120 months."))
    if not 0 <= terms.min_monthly_orders <= MAX_MONTHLY_ORDERS:
        raise PartnerRefused(
            _("Minimum orders per month must be between 0 and %(max)d.")
            % {"max": MAX_MONTHLY_ORDERS}
        )
    rate = terms.min_completion_rate
    if rate is not None and (not rate.is_finite() or not 0 <= rate <= MAX_PERCENT):
        raise PartnerRefused(_("The minimum completion rate must be between 0% and 100%."))
    return scope


@transaction.atomic
def exclusive_grant(*, partnership: Partnership, offer: Offer, terms: ExclusiveTerms) -> Exclusive:
    scope = _validate(terms)
    manufacturer = Manufacturer.objects.select_for_update().get(pk=partnership.manufacturer_id)
    if offer.manufacturer_id != manufacturer.pk:
        raise PartnerRefused(_("No such offer."))
    if offer.visibility != Visibility.SELECTED:
        raise PartnerRefused(_("An exclusive is granted through a selected offer."))
    recipients = set(
        OfferRecipient.objects.filter(offer=offer).values_list("partnership_id", flat=True)
    )
    if recipients != {partnership.pk}:
        raise PartnerRefused(_("The offer of an exclusive names this partner and no one else."))
    end = exclusive_end(terms.starts_on, terms.term_months)
    for other in Exclusive.objects.filter(
        manufacturer=manufacturer, kind=terms.kind, scope__iexact=scope
    ):
        if other.starts_on < end and terms.starts_on < exclusive_end(
            other.starts_on, other.term_months
        ):
            raise PartnerRefused(
                _("%(scope)s already has an exclusive from %(start)s for %(months)d months.")
                % {"scope": scope, "start": other.starts_on, "months": other.term_months}
            )
    return Exclusive.objects.create(
        manufacturer=manufacturer,
        partnership=partnership,
        offer=offer,
        kind=terms.kind,
        scope=scope,
        min_monthly_orders=terms.min_monthly_orders,
        min_completion_rate=terms.min_completion_rate,
        starts_on=terms.starts_on,
        term_months=terms.term_months,
        review_period=terms.review_period,
        renewal_criteria=terms.renewal_criteria.strip(),
    )
