"""Which offers a partner sees: the one rule (`offers_open_to`), used by the reseller's offer
pages, the announcements and the manufacturer's preview alike.

An offer is open to a partnership when all of these hold:

- it is published and the partnership is active;
- today is within its dates; a partner whose tier gives early access (and the offer allows
  it) sees it that many days before it starts;
- its visibility admits the partner: `public`, any verified (qualified) partner;
  `preferred`, a verified partner in the minimum tier or above, unless an open incident has
  removed it from the preferred list; `selected`, a partner named on it;
- it has no areas, or one of them is the reseller's region or the start of its postal code;
- no block stands between them: none for this offer, none for all offers.

A few queries for the partner's tier, incidents and blocks, then one for the offers, however
many offers or partners the tenant has.
"""

from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Manufacturer
from channel.models import Partnership
from partners.models import (
    AreaKind,
    Incident,
    Offer,
    OfferArea,
    OfferRecipient,
    PartnerBlock,
    Step,
    Visibility,
)
from partners.selectors.tiers import current_tier

# Steps of an open incident that take a partner off the preferred list.
OFF_PREFERRED_STEPS = (Step.REMOVED_FROM_PREFERRED, Step.BLOCKED_OFFERS, Step.BLOCKED_ALL)


def active_blocks(partnership: Partnership) -> QuerySet[PartnerBlock]:
    return PartnerBlock.objects.filter(partnership=partnership, lifted_at__isnull=True)


def off_preferred_list(partnership: Partnership) -> bool:
    return Incident.objects.filter(
        partnership=partnership, is_open=True, step__in=OFF_PREFERRED_STEPS
    ).exists()


def offers_open_to(*, partnership: Partnership, today: date | None = None) -> QuerySet[Offer]:
    today = today or timezone.localdate()
    if not partnership.is_active:
        return Offer.objects.none()
    if active_blocks(partnership).filter(offer__isnull=True).exists():
        return Offer.objects.none()
    tier = current_tier(partnership)
    rank = tier.rank if tier is not None else 0
    early_days = tier.early_access_days if tier is not None else 0

    visible = Q(
        visibility=Visibility.SELECTED,
        pk__in=OfferRecipient.objects.filter(partnership=partnership).values("offer_id"),
    )
    if partnership.is_qualified:
        visible |= Q(visibility=Visibility.PUBLIC)
        if not off_preferred_list(partnership):
            visible |= Q(visibility=Visibility.PREFERRED, min_tier__rank__lte=rank)

    reseller = partnership.reseller
    postal = reseller.postal_code.replace(" ", "").upper()
    in_area = (
        OfferArea.objects.filter(offer_id=OuterRef("pk"))
        .annotate(code=Value(postal))
        .filter(
            Q(kind=AreaKind.REGION, value=reseller.region or "-")
            | Q(kind=AreaKind.POSTAL, code__startswith=F("value"))
        )
    )
    started = Q(starts_on__lte=today)
    if early_days:
        started |= Q(early_access=True, starts_on__lte=today + timedelta(days=early_days))
    blocked = PartnerBlock.objects.filter(
        offer_id=OuterRef("pk"), partnership=partnership, lifted_at__isnull=True
    )
    return (
        Offer.objects.filter(manufacturer_id=partnership.manufacturer_id, is_published=True)
        .filter(started, Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .filter(visible)
        .filter(~Exists(OfferArea.objects.filter(offer_id=OuterRef("pk"))) | Exists(in_area))
        .filter(~Exists(blocked))
        .select_related("min_tier")
        .order_by("-starts_on", "-pk")
    )


def is_early_access(offer: Offer, today: date | None = None) -> bool:
    return offer.starts_on > (today or timezone.localdate())


def access_open_offer(*, partnership: Partnership, offer_id: int) -> Offer:
    """An offer open to the partner, or one 404 (missing, foreign, hidden or blocked)."""
    offer = offers_open_to(partnership=partnership).filter(pk=offer_id).first()
    if offer is None:
        raise Http404(_("No such offer."))
    return offer


def offers_of(manufacturer: Manufacturer, *, query: str = "") -> QuerySet[Offer]:
    offers = Offer.objects.filter(manufacturer=manufacturer).select_related("min_tier")
    if query:
        offers = offers.filter(title__icontains=query)
    return offers.order_by("-starts_on", "-pk")


def access_offer(*, manufacturer: Manufacturer, offer_id: int) -> Offer:
    offer = (
        Offer.objects.filter(manufacturer=manufacturer, pk=offer_id)
        .select_related("min_tier")
        .first()
    )
    if offer is None:
        raise Http404(_("No such offer."))
    return offer
